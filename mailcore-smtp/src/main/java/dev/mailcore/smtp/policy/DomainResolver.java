package dev.mailcore.smtp.policy;

/**
 * Tells whether a mail domain exists in the DNS, for {@link SenderChecks}. Implementations must answer within a
 * bounded time (a DNS timeout gives {@link Status#TEMPORARY_FAILURE}) and must not throw for DNS outcomes.
 * {@link DnsDomainResolver} is the dnsjava implementation; tests use a lambda.
 */
@FunctionalInterface
public interface DomainResolver {

    /** The outcome of a lookup. */
    enum Status {
        /** The domain has an MX, A or AAAA record. */
        FOUND,
        /** The DNS says the domain does not exist (NXDOMAIN), or it has no MX, A or AAAA record. */
        NOT_FOUND,
        /** The domain publishes a null MX (RFC 7505): it accepts no mail, so it cannot take replies either. */
        NULL_MX,
        /** No definite answer: timeout, SERVFAIL, refused, network error. */
        TEMPORARY_FAILURE
    }

    /**
     * Looks a domain up.
     *
     * @param domain a domain name in lower case, A-label form, without a trailing dot
     */
    Status resolve(String domain);
}
