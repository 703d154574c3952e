package dev.mailcore.smtp.policy;

import dev.mailcore.api.MailcoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link DomainResolver} on dnsjava. It asks for MX, then A, then AAAA records (stopping at the first answer) and
 * maps the outcome:
 * <ul>
 *   <li>any record → {@link Status#FOUND}; a single MX whose exchange is the root ({@code MX 0 .}) →
 *       {@link Status#NULL_MX};</li>
 *   <li>NXDOMAIN, or no record of the three types → {@link Status#NOT_FOUND};</li>
 *   <li>a timeout, SERVFAIL, REFUSED, any other error code, an I/O error, a malformed name →
 *       {@link Status#TEMPORARY_FAILURE}.</li>
 * </ul>
 * Each query waits at most the configured timeout, so one lookup takes at most three timeouts. No cache: put a
 * caching DNS resolver next to the server, as for Postfix. Thread-safe.
 */
public final class DnsDomainResolver implements DomainResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DnsDomainResolver.class);
    private static final int[] TYPES = {Type.MX, Type.A, Type.AAAA};

    private final Resolver resolver;
    private final Duration timeout;
    private final List<InetSocketAddress> servers;

    private DnsDomainResolver(Builder b) {
        this.timeout = b.timeout;
        this.servers = List.copyOf(b.servers);
        if (servers.isEmpty()) {
            ExtendedResolver r = new ExtendedResolver();
            r.setTimeout(timeout);
            r.setRetries(1);
            this.resolver = r;
        } else if (servers.size() == 1) {
            SimpleResolver r = new SimpleResolver(servers.get(0));
            r.setTimeout(timeout);
            this.resolver = r;
        } else {
            List<Resolver> each = new ArrayList<>();
            for (InetSocketAddress s : servers) {
                each.add(new SimpleResolver(s));
            }
            ExtendedResolver r = new ExtendedResolver(each);
            r.setTimeout(timeout);
            r.setRetries(1);
            this.resolver = r;
        }
    }

    /** A builder using the system's DNS servers and a 5 second timeout. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Status resolve(String domain) {
        Name name;
        try {
            name = Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException e) {
            LOG.debug("cannot look up malformed domain {}: {}", domain, e.getMessage());
            return Status.TEMPORARY_FAILURE;
        }
        for (int type : TYPES) {
            Message response;
            try {
                response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
            } catch (IOException | RuntimeException e) {
                LOG.debug("DNS {} lookup of {} failed: {}", Type.string(type), domain, e.toString());
                return Status.TEMPORARY_FAILURE;
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return Status.NOT_FOUND;
            }
            if (rcode != Rcode.NOERROR) {
                LOG.debug("DNS {} lookup of {} answered {}", Type.string(type), domain, Rcode.string(rcode));
                return Status.TEMPORARY_FAILURE;
            }
            List<Record> answers = new ArrayList<>();
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r.getType() == type) {
                    answers.add(r);
                }
            }
            if (!answers.isEmpty()) {
                if (type == Type.MX && answers.size() == 1
                        && ((MXRecord) answers.get(0)).getTarget().equals(Name.root)) {
                    return Status.NULL_MX;
                }
                return Status.FOUND;
            }
        }
        return Status.NOT_FOUND;
    }

    /** The per-query timeout. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "DnsDomainResolver[servers=" + (servers.isEmpty() ? "system" : servers) + ", timeout=" + timeout + "]";
    }

    /** Builds a {@link DnsDomainResolver}. */
    public static final class Builder {
        private final List<InetSocketAddress> servers = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /** Queries this DNS server (UDP, TCP when truncated) instead of the system's; may be repeated. */
        public Builder server(InetSocketAddress server) {
            servers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        /** How long to wait for each query; 5 seconds by default. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new MailcoreException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The resolver. */
        public DnsDomainResolver build() {
            return new DnsDomainResolver(this);
        }
    }
}
