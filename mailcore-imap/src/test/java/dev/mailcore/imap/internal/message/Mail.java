package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.imap.internal.command.Section;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Test helpers: messages from lines, and reading sections back. */
final class Mail {

    private Mail() {
    }

    /** The lines joined with CRLF, each line terminated. */
    static byte[] crlf(String... lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ParsedMessage parse(byte[] raw) {
        return MessageParser.parse(raw);
    }

    static ParsedMessage parse(String raw) {
        return MessageParser.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    static MessageSource source(byte[] raw) {
        return MessageSource.of(raw);
    }

    static List<Integer> path(Integer... numbers) {
        return Arrays.asList(numbers);
    }

    static Section body(Integer... numbers) {
        return new Section(path(numbers), null, List.of());
    }

    static Section section(Section.Text text, Integer... numbers) {
        return new Section(path(numbers), text, List.of());
    }

    static Section fields(boolean not, List<String> names, Integer... numbers) {
        return new Section(path(numbers), not ? Section.Text.HEADER_FIELDS_NOT : Section.Text.HEADER_FIELDS, names);
    }

    /** The octets a section stands for, as a string (UTF-8); "ABSENT" when absent. */
    static String text(byte[] raw, SectionData d) {
        if (d instanceof SectionData.Range r) {
            return new String(raw, (int) r.offset(), (int) r.length(), StandardCharsets.UTF_8);
        }
        if (d instanceof SectionData.Bytes b) {
            return new String(b.data(), StandardCharsets.UTF_8);
        }
        if (d instanceof SectionData.Absent) {
            return "ABSENT";
        }
        return d.toString();
    }

    static byte[] bytes(byte[] raw, SectionData d) {
        if (d instanceof SectionData.Range r) {
            return Arrays.copyOfRange(raw, (int) r.offset(), (int) (r.offset() + r.length()));
        }
        if (d instanceof SectionData.Bytes b) {
            return b.data();
        }
        throw new AssertionError("no bytes: " + d);
    }
}
