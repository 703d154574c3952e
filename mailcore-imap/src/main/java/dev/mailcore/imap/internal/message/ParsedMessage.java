package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.imap.internal.command.Section;

import java.time.ZonedDateTime;
import java.util.List;

/**
 * What IMAP knows about one message's content after parsing it once (see {@link MessageParser}). Immutable and small:
 * it keeps the MIME tree with byte offsets, the decoded top-level header fields and derived strings, never the body.
 * Anything that needs body bytes takes the raw {@link MessageSource} again.
 */
public interface ParsedMessage {

    /** The raw size in octets. */
    long size();

    /** The ENVELOPE structure in IMAP syntax, e.g. {@code ("date" "subject" ((...)) ...)}. */
    String envelope();

    /** {@code BODYSTRUCTURE} ({@code extensible}, with extension data) or {@code BODY} in IMAP syntax. */
    String bodyStructure(boolean extensible);

    /**
     * Where the bytes of a section are: a range of the raw message, computed bytes (HEADER.FIELDS), or absent when the
     * part does not exist.
     */
    SectionData section(Section section);

    /**
     * The decoded content of a part for {@code BINARY[part]} (RFC 3516): content-transfer-encoding removed. Fails
     * with {@link SectionData.UnknownEncoding} for an encoding it cannot decode.
     */
    SectionData binary(List<Integer> part, MessageSource raw);

    /** Size of {@link #binary} for {@code BINARY.SIZE}. */
    SectionData binarySize(List<Integer> part, MessageSource raw);

    /** Values of a top-level header field (name case-insensitive), unfolded and RFC 2047-decoded, in order. */
    List<String> headerValues(String name);

    /** All top-level header text, decoded, for SEARCH TEXT. */
    String headerText();

    /** True when the decoded text of any text part contains {@code needle} case-insensitively (SEARCH BODY). */
    boolean bodyContains(String needle, MessageSource raw);

    /** The Date header parsed, or null when missing or unparseable. */
    ZonedDateTime sentDate();

    /** RFC 5256 base subject, for SORT SUBJECT and THREAD. */
    String baseSubject();

    /** RFC 5256 sort value of the first address's mailbox of From/To/Cc ({@code field} "from", "to" or "cc"). */
    String sortAddress(String field);

    /** RFC 5957 display value of the first From/To address (display name, else the address). */
    String displayAddress(String field);

    /** The Message-ID (without angle brackets), or null. */
    String messageId();

    /** Message-IDs of References (or, without it, In-Reply-To), oldest first, for THREAD REFERENCES. */
    List<String> references();
}
