package dev.mailcore.delivery;

import java.time.Instant;

/**
 * A snapshot of a {@link DeliveryQueue}.
 *
 * @param messages   messages in the queue
 * @param held       of those, how many are on hold
 * @param pending    recipients not tried yet
 * @param deferred   recipients waiting for a retry
 * @param bytes      the total size of the queued messages in octets
 * @param oldest     the arrival time of the oldest queued message, or {@code null} when the queue is empty
 * @param delivered  recipients delivered since the queue started
 * @param deferrals  failed attempts (recipient deferrals) since the queue started
 * @param bounced    recipients bounced since the queue started
 */
public record QueueStats(int messages, int held, int pending, int deferred, long bytes, Instant oldest,
                         long delivered, long deferrals, long bounced) {
}
