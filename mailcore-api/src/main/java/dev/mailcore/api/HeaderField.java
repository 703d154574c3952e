package dev.mailcore.api;

import java.util.Objects;

/**
 * A header field a filter adds to a message. The name must be a valid RFC 5322 field name; the value is unfolded
 * text without CR or LF (the server folds it if needed).
 */
public record HeaderField(String name, String value) {
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':')) {
            throw new MailcoreException("invalid header field name: " + name);
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new MailcoreException("header field value must not contain CR or LF");
        }
    }

    /** {@code Name: value} followed by CRLF. */
    public String toWire() {
        return name + ": " + value + "\r\n";
    }
}
