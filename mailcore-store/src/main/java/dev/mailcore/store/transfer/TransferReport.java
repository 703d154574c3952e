package dev.mailcore.store.transfer;

import java.util.List;
import java.util.Objects;

/**
 * What an import or export did.
 *
 * @param transferred the number of messages imported into the store, or written to the mbox
 * @param skipped     the messages left out, in the order met
 */
public record TransferReport(long transferred, List<Skipped> skipped) {

    public TransferReport {
        if (transferred < 0) {
            throw new IllegalArgumentException("transferred must not be negative");
        }
        skipped = List.copyOf(skipped);
    }

    /**
     * One message that was left out.
     *
     * @param position which message: its 1-based number in the mbox (import) or its UID (export)
     * @param reason   why, for people
     */
    public record Skipped(long position, String reason) {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
