package dev.mailcore.api;

import java.util.List;

/** The per-recipient outcomes of one {@link Transport#deliver} call, one entry per recipient given. */
public record DeliveryReport(List<RecipientOutcome> outcomes) {
    public DeliveryReport {
        outcomes = List.copyOf(outcomes);
    }

    public boolean allDelivered() {
        return outcomes.stream().allMatch(o -> o.status() == DeliveryStatus.DELIVERED);
    }
}
