package dev.mailcore.imap.internal.message;

import java.util.Locale;

/**
 * One node of a parsed MIME tree: where its header and body are in the raw message, and what its Content-* header
 * fields said. Compact and immutable once the parser is done with it; shared by all sessions through the cache.
 */
final class MimePart {

    static final MimePart[] NO_PARTS = new MimePart[0];

    long headerOffset;
    long headerLength;
    long bodyOffset;
    long bodyLength;
    int lines;

    /** Content type and subtype as written, or null when absent (defaults apply). */
    String type;
    String subtype;
    /** Content-Type parameters, name/value pairs, RFC 2231 decoded; null when none. */
    String[] params;
    String id;
    String description;
    String encoding;
    String md5;
    String disposition;
    String[] dispositionParams;
    String[] language;
    String location;

    /** Children of a multipart (possibly empty); null for other parts. */
    MimePart[] children;
    /** The encapsulated message of a message/rfc822 part; null otherwise. */
    MimePart message;
    /** The header of a message entity (the top level and encapsulated messages); null for plain MIME parts. */
    HeaderBlock header;

    boolean isMultipart() {
        return children != null;
    }

    boolean isMessage() {
        return message != null;
    }

    /** Text when there is no type or the type is "text". */
    boolean isText() {
        return children == null && message == null && (type == null || type.equalsIgnoreCase("text"));
    }

    String lowerType() {
        return type == null ? "text" : type.toLowerCase(Locale.ROOT);
    }

    String lowerSubtype() {
        return subtype == null ? (type == null ? "plain" : "unknown") : subtype.toLowerCase(Locale.ROOT);
    }

    String param(String name) {
        if (params != null) {
            for (int i = 0; i < params.length; i += 2) {
                if (params[i].equalsIgnoreCase(name)) {
                    return params[i + 1];
                }
            }
        }
        return null;
    }

    /** The transfer encoding lower-cased, "7bit" when absent. */
    String lowerEncoding() {
        return encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
    }
}
