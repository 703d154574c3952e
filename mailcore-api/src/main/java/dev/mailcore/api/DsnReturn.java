package dev.mailcore.api;

/** The MAIL FROM {@code RET=} parameter of RFC 3461 §4.3: return the full message or only its headers. */
public enum DsnReturn {
    FULL, HDRS
}
