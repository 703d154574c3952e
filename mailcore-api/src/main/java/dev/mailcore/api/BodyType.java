package dev.mailcore.api;

/** The MAIL FROM {@code BODY=} parameter (RFC 6152, RFC 3030). */
public enum BodyType {
    SEVEN_BIT("7BIT"), EIGHT_BIT_MIME("8BITMIME"), BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    /** The keyword as it appears on the wire. */
    public String keyword() {
        return keyword;
    }

    /** Case-insensitive lookup of a wire keyword; {@code null} when unknown. */
    public static BodyType fromKeyword(String keyword) {
        for (BodyType t : values()) {
            if (t.keyword.equalsIgnoreCase(keyword)) {
                return t;
            }
        }
        return null;
    }
}
