package dev.mailcore.imap.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One complete command as framed by the decoder: its line segments and the literals between them. Segment {@code i}
 * ends with the literal header ({@code {n}}, {@code {n+}}, {@code ~{n}}) of literal {@code i}; the last segment ends
 * the command. Segments hold the line octets one char per octet (ISO-8859-1), without CRLF.
 *
 * @param lines    the line segments, one more than {@code literals}
 * @param literals the literals in order
 */
public record CommandText(List<String> lines, List<Literal> literals) implements AutoCloseable {

    public CommandText {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
        if (lines.size() != literals.size() + 1) {
            throw new IllegalArgumentException("one line segment more than literals expected");
        }
    }

    /** Releases every literal. */
    @Override
    public void close() {
        for (Literal literal : literals) {
            literal.close();
        }
    }

    /**
     * Splits a command as written on the wire (literal headers followed by CRLF and the literal octets; the final
     * CRLF optional) into segments and in-memory literals. For tests and tools; the decoder frames input itself.
     */
    public static CommandText ofWire(String wire) {
        byte[] b = wire.getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        List<Literal> literals = new ArrayList<>();
        int p = 0;
        while (true) {
            int lf = p;
            while (lf < b.length && b[lf] != '\n') {
                lf++;
            }
            int end = lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
            String line = new String(b, p, end - p, StandardCharsets.ISO_8859_1);
            LiteralHeader header = LiteralHeader.find(line);
            if (header == null || lf >= b.length) {
                lines.add(line);
                return new CommandText(lines, literals);
            }
            lines.add(line);
            int start = lf + 1;
            int size = (int) Math.min(header.size(), b.length - start);
            byte[] content = new byte[size];
            System.arraycopy(b, start, content, 0, size);
            literals.add(Literal.inMemory(content, header.binary()));
            p = start + size;
        }
    }
}
