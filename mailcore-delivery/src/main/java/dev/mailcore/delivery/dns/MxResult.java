package dev.mailcore.delivery.dns;

import java.util.List;
import java.util.Objects;

/** What an {@link MxResolver} found for a destination domain. */
public sealed interface MxResult {

    /** The hosts to try, most preferred first (equal preferences already shuffled). Never empty. */
    record Hosts(List<NextHop> hops) implements MxResult {
        public Hosts {
            hops = List.copyOf(hops);
            if (hops.isEmpty()) {
                throw new IllegalArgumentException("Hosts needs at least one hop");
            }
        }
    }

    /** The domain publishes a null MX (RFC 7505): it accepts no mail at all. */
    record NullMx() implements MxResult {
    }

    /**
     * The domain does not exist (NXDOMAIN) or has neither MX nor address records: permanent.
     *
     * @param reason a short explanation for logs and bounces
     */
    record NotFound(String reason) implements MxResult {
        public NotFound {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The lookup could not be completed now (timeout, SERVFAIL, network error): try again later.
     *
     * @param reason a short explanation for logs and deferral notices
     */
    record TemporaryFailure(String reason) implements MxResult {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
