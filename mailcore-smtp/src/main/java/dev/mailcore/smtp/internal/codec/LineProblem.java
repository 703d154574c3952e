package dev.mailcore.smtp.internal.codec;

/** Why a command line could not be used as is. */
public enum LineProblem {
    /** The line ended in LF without CR. */
    BARE_LF,
    /** The line contained a CR not followed by LF. */
    BARE_CR,
    /** The line was longer than the limit; its text is cut. */
    TOO_LONG,
    /** The line is not valid UTF-8. */
    BAD_ENCODING
}
