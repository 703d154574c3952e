package dev.mailcore.store.internal;

import dev.mailcore.api.store.MessageMeta;

import java.util.Objects;

/**
 * One message in one mailbox: its metadata and its (possibly shared) bytes. Immutable; a flag change replaces it.
 *
 * @param meta UID, MODSEQ, size, internal date and flags
 * @param blob the bytes
 */
public record StoredMessage(MessageMeta meta, Blob blob) {
    public StoredMessage {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(blob, "blob");
    }

    public long uid() {
        return meta.uid();
    }
}
