package dev.mailcore.delivery.smtp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SMTP replies: lines ending in CRLF (a bare LF is tolerated), {@code ddd-text} continuing, {@code ddd text}
 * or {@code ddd} ending a reply. Emits {@link RemoteReply}. Text is read as UTF-8 (RFC 6531 allows it).
 */
public final class ReplyDecoder extends ByteToMessageDecoder {
    /** Longest reply line accepted (RFC 5321 says 512; be lenient). */
    public static final int MAX_LINE = 8192;
    /** Most lines in one reply. */
    public static final int MAX_LINES = 1000;

    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    throw new DecoderException("reply line too long");
                }
                return;
            }
            int len = lf - in.readerIndex();
            if (len > MAX_LINE) {
                throw new DecoderException("reply line too long");
            }
            int end = len > 0 && in.getByte(lf - 1) == '\r' ? len - 1 : len;
            String line = in.toString(in.readerIndex(), end, StandardCharsets.UTF_8);
            in.readerIndex(lf + 1);
            RemoteReply reply = line(line);
            if (reply != null) {
                out.add(reply);
            }
        }
    }

    private RemoteReply line(String line) {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || line.length() > 3 && line.charAt(3) != ' '
                && line.charAt(3) != '-') {
            throw new DecoderException("malformed reply line: " + printable(line));
        }
        int c = Integer.parseInt(line.substring(0, 3));
        if (code >= 0 && c != code) {
            throw new DecoderException("reply code changed within a reply: " + printable(line));
        }
        code = c;
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (lines.size() > MAX_LINES) {
            throw new DecoderException("reply has too many lines");
        }
        if (line.length() > 3 && line.charAt(3) == '-') {
            return null;
        }
        RemoteReply reply = new RemoteReply(code, lines);
        lines.clear();
        code = -1;
        return reply;
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
