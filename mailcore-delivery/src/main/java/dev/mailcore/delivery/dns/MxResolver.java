package dev.mailcore.delivery.dns;

/**
 * Finds where mail for a domain goes. Implementations may block (DNS queries); they are called from delivery worker
 * threads, never from an I/O thread. Implementations must be thread-safe.
 */
public interface MxResolver {

    /**
     * Resolves the mail exchangers of a domain (RFC 5321 §5.1): MX records by preference with their addresses, the
     * domain's own addresses when it has no MX (implicit MX), {@link MxResult.NullMx} for an RFC 7505 null MX.
     *
     * @param domain an ASCII (A-label) domain name, without trailing dot
     */
    MxResult resolveMx(String domain);

    /**
     * Resolves the addresses of one host, without MX lookup (a smarthost written as {@code [host]}).
     *
     * @param host an ASCII host name, without trailing dot
     * @return {@link MxResult.Hosts} with one hop, or {@link MxResult.NotFound} / {@link MxResult.TemporaryFailure}
     */
    MxResult resolveHost(String host);
}
