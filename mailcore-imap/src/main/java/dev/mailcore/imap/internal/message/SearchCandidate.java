package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.MessageMeta;

/** One message as SEARCH, SORT and THREAD see it; the session supplies it and caches the parsed form. */
public interface SearchCandidate {

    /** Message sequence number in the session's view. */
    long sequence();

    MessageMeta meta();

    /** {@code \Recent} in this session (rev1). */
    boolean recent();

    /** The parsed content (cached; parsed on first use). */
    ParsedMessage parsed();

    /** The raw bytes, for BODY/TEXT searches. */
    MessageSource raw();
}
