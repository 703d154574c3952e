package dev.mailcore.imap.internal.message;

/** Where the octets of a FETCH section come from. */
public sealed interface SectionData {

    /** {@code length} octets of the raw message from {@code offset}. */
    record Range(long offset, long length) implements SectionData {
    }

    /** Computed octets (HEADER.FIELDS, decoded BINARY). */
    record Bytes(byte[] data) implements SectionData {
    }

    /** A number (BINARY.SIZE). */
    record Size(long octets) implements SectionData {
    }

    /** The part does not exist. */
    record Absent() implements SectionData {
    }

    /** BINARY of a part whose content-transfer-encoding is unknown ({@code [UNKNOWN-CTE]}). */
    record UnknownEncoding() implements SectionData {
    }
}
