package dev.mailcore.delivery.smtp;

/** When the SMTP client uses STARTTLS and how it checks the server's certificate (Postfix's security levels). */
public enum TlsPolicy {
    /** Never use TLS ({@code none}). */
    NONE,
    /**
     * STARTTLS when the server offers it, without certificate checks; plain text when it does not, or when the
     * handshake fails (Postfix {@code may}).
     */
    OPPORTUNISTIC,
    /** STARTTLS must succeed or delivery is deferred; the certificate is not checked (Postfix {@code encrypt}). */
    REQUIRED,
    /**
     * STARTTLS must succeed and the server's certificate chain and host name (the MX or smarthost name) must verify
     * against the transport's trust store (Postfix {@code secure}/{@code verify}).
     */
    VERIFY;

    /** Case-insensitive lookup of a name or of its Postfix equivalent ({@code none, may, encrypt, verify, secure}). */
    public static TlsPolicy parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "none":
                return NONE;
            case "may":
            case "opportunistic":
                return OPPORTUNISTIC;
            case "encrypt":
            case "required":
                return REQUIRED;
            case "verify":
            case "secure":
                return VERIFY;
            default:
                throw new IllegalArgumentException("unknown TLS policy: " + text
                        + " (none, opportunistic/may, required/encrypt, verify/secure)");
        }
    }
}
