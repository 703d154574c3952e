package dev.mailcore.api.store;

import java.util.List;

/**
 * The UIDs a copy or move produced (RFC 4315 COPYUID data): {@code sourceUids.get(i)} became {@code targetUids.get(i)}.
 * UIDs that no longer existed in the source are left out of both lists.
 *
 * @param targetUidValidity the target mailbox's UIDVALIDITY
 * @param sourceUids        the source UIDs that were copied, ascending
 * @param targetUids        the new UIDs, in the same order
 */
public record CopyResult(long targetUidValidity, List<Long> sourceUids, List<Long> targetUids) {
    public CopyResult {
        sourceUids = List.copyOf(sourceUids);
        targetUids = List.copyOf(targetUids);
        if (sourceUids.size() != targetUids.size()) {
            throw new IllegalArgumentException("source and target UID lists differ in length");
        }
    }
}
