package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.dns.MxResolver;
import dev.mailcore.delivery.dns.MxResult;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.delivery.smtp.Route;
import dev.mailcore.delivery.smtp.Routes;
import dev.mailcore.delivery.smtp.SmarthostAuth;
import dev.mailcore.delivery.smtp.TlsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The body of {@code SmtpTransport.deliver}: routes each recipient, groups recipients by destination, resolves next
 * hops and tries them in order (next MX on connection failures and deferrals, within Postfix-like limits), reusing
 * pooled sessions and bounding concurrent deliveries per destination.
 */
public final class Deliverer {
    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Like Postfix's smtp_mx_address_limit. */
    static final int MAX_ADDRESSES = 5;
    /** Like Postfix's smtp_mx_session_limit. */
    static final int MAX_SESSIONS = 2;

    private final Settings settings;
    private final MxResolver resolver;
    private final Routes routes;
    private final SessionPool pool;
    private final Connector connector;
    private final Transaction transaction;
    private final int maxPerDestination;
    private final Duration destinationWait;
    private final Map<String, Semaphore> limits = new ConcurrentHashMap<>();

    public Deliverer(Settings settings, MxResolver resolver, Routes routes, SessionPool pool, int maxPerDestination,
                     Duration destinationWait) {
        this.settings = settings;
        this.resolver = resolver;
        this.routes = routes;
        this.pool = pool;
        this.connector = new Connector(settings);
        this.transaction = new Transaction(settings);
        this.maxPerDestination = maxPerDestination;
        this.destinationWait = destinationWait;
    }

    /** Where one group of recipients goes. */
    private record Destination(String key, String name, boolean useMx, boolean literal, int port, TlsPolicy tls,
                               SmarthostAuth auth, boolean lmtp) {
    }

    public DeliveryReport deliver(Envelope envelope, MessageSource content) {
        List<EnvelopeRecipient> recipients = envelope.recipients();
        RecipientOutcome[] outcomes = new RecipientOutcome[recipients.size()];
        Map<Destination, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < recipients.size(); i++) {
            MailAddress address = recipients.get(i).address();
            Destination dest;
            if (address.isAddressLiteral()) {
                String literal = address.domain().substring(1, address.domain().length() - 1);
                if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
                    literal = literal.substring(5);
                }
                dest = new Destination("literal:" + literal, literal, false, true, settings.port(),
                        settings.tlsPolicy(), null, false);
            } else {
                String domain = address.normalizedDomain();
                Route route = routes.routeFor(domain);
                if (route instanceof Route.Refuse) {
                    SmtpReply reply = ((Route.Refuse) route).reply();
                    outcomes[i] = new RecipientOutcome(address, reply.isTransientFailure() ? DeliveryStatus.DEFERRED
                            : DeliveryStatus.FAILED, reply);
                    continue;
                }
                if (route instanceof Route.Discard) {
                    outcomes[i] = new RecipientOutcome(address, DeliveryStatus.DELIVERED,
                            SmtpReply.of(250, "2.0.0", "discarded by routing for " + domain),
                            RecipientOutcome.Handoff.DELIVERED);
                    continue;
                }
                if (route instanceof Route.Smarthost) {
                    Route.Smarthost relay = (Route.Smarthost) route;
                    int port = relay.port() == 0 ? settings.port() : relay.port();
                    TlsPolicy tls = relay.tlsPolicy() != null ? relay.tlsPolicy() : settings.tlsPolicy();
                    boolean literal = isIpLiteral(relay.host());
                    dest = new Destination("relay:" + relay + ":" + port + ":" + tls + ":"
                            + (relay.auth() == null ? "" : relay.auth().username()), relay.host(),
                            relay.useMx() && !literal, literal, port, tls, relay.auth(), false);
                } else if (route instanceof Route.Lmtp) {
                    Route.Lmtp lmtp = (Route.Lmtp) route;
                    dest = new Destination("lmtp:" + lmtp.host() + ":" + lmtp.port(), lmtp.host(), false,
                            isIpLiteral(lmtp.host()), lmtp.port(), TlsPolicy.NONE, null, true);
                } else {
                    dest = new Destination("mx:" + domain, domain, true, false, settings.port(),
                            settings.tlsPolicy(), null, false);
                }
            }
            groups.computeIfAbsent(dest, d -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Destination, List<Integer>> group : groups.entrySet()) {
            deliverGroup(group.getKey(), envelope, group.getValue(), content, outcomes);
        }
        return new DeliveryReport(Arrays.asList(outcomes));
    }

    private void deliverGroup(Destination dest, Envelope envelope, List<Integer> indices, MessageSource content,
                              RecipientOutcome[] outcomes) {
        Semaphore limit = limits.computeIfAbsent(dest.key(), k -> new Semaphore(maxPerDestination, true));
        boolean acquired;
        try {
            acquired = limit.tryAcquire(destinationWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            fill(envelope, indices, outcomes, SmtpReply.of(451, "4.4.5", "too many concurrent deliveries to "
                    + dest.name()));
            return;
        }
        try {
            MxResult result = resolve(dest);
            if (result instanceof MxResult.NullMx) {
                fill(envelope, indices, outcomes, SmtpReply.of(556, "5.1.10", "Recipient address has null MX"));
            } else if (result instanceof MxResult.NotFound) {
                String reason = ((MxResult.NotFound) result).reason();
                fill(envelope, indices, outcomes, dest.useMx() && dest.key().startsWith("mx:")
                        ? SmtpReply.of(550, "5.1.2", "Domain not found: " + reason)
                        : SmtpReply.of(550, "5.4.4", "Host or domain name not found: " + reason));
            } else if (result instanceof MxResult.TemporaryFailure) {
                fill(envelope, indices, outcomes, SmtpReply.of(451, "4.4.3", "Host or domain name lookup failed: "
                        + ((MxResult.TemporaryFailure) result).reason()));
            } else {
                tryHops(dest, ((MxResult.Hosts) result).hops(), envelope, indices, content, outcomes);
            }
        } catch (RuntimeException e) {
            LOG.warn("delivery to {} failed unexpectedly", dest.name(), e);
            fill(envelope, indices, outcomes, SmtpReply.of(451, "4.3.0", "internal error delivering to "
                    + dest.name() + ": " + e));
        } finally {
            limit.release();
        }
    }

    private MxResult resolve(Destination dest) {
        if (dest.literal()) {
            try {
                return new MxResult.Hosts(List.of(NextHop.of(dest.name(), InetAddress.getByName(dest.name()))));
            } catch (UnknownHostException e) {
                return new MxResult.NotFound("invalid address " + dest.name());
            }
        }
        return dest.useMx() ? resolver.resolveMx(dest.name()) : resolver.resolveHost(dest.name());
    }

    private void tryHops(Destination dest, List<NextHop> hops, Envelope envelope, List<Integer> indices,
                         MessageSource content, RecipientOutcome[] outcomes) {
        List<Integer> pending = new ArrayList<>(indices);
        SmtpReply lastFailure = null;
        int addresses = 0;
        int sessions = 0;
        outer:
        for (NextHop hop : hops) {
            if (hop.addresses().isEmpty()) {
                lastFailure = SmtpReply.of(451, "4.4.3", "no address found for host " + hop.hostname());
                continue;
            }
            for (InetAddress address : hop.addresses()) {
                if (addresses >= MAX_ADDRESSES || sessions >= MAX_SESSIONS) {
                    break outer;
                }
                addresses++;
                InetSocketAddress socket = new InetSocketAddress(address, dest.port());
                String key = socket + "|" + hop.hostname() + "|" + dest.tls() + "|"
                        + (dest.auth() == null ? "" : dest.auth().username()) + (dest.lmtp() ? "|lmtp" : "");
                ClientSession session;
                try {
                    session = borrow(key, socket, hop.hostname(), dest);
                } catch (SessionException e) {
                    LOG.info("{}: {}", dest.name(), e.reply());
                    lastFailure = e.reply();
                    if (!e.tryNextHop()) {
                        break outer;
                    }
                    continue;
                }
                sessions++;
                List<EnvelopeRecipient> batch = new ArrayList<>(pending.size());
                for (int i : pending) {
                    batch.add(envelope.recipients().get(i));
                }
                List<RecipientOutcome> results = transaction.run(session, envelope, batch, content);
                pool.offer(key, session);
                if (LOG.isInfoEnabled()) {
                    for (RecipientOutcome o : results) {
                        LOG.info("to=<{}>, relay={}:{}, tls={}, status={} ({})", o.recipient(), session.peer(),
                                dest.port(), session.isTls(), o.status().name().toLowerCase(java.util.Locale.ROOT),
                                o.reply());
                    }
                }
                List<Integer> still = new ArrayList<>();
                for (int j = 0; j < pending.size(); j++) {
                    RecipientOutcome o = results.get(j);
                    outcomes[pending.get(j)] = o;
                    if (o.status() == DeliveryStatus.DEFERRED) {
                        still.add(pending.get(j));
                    }
                }
                pending = still;
                if (pending.isEmpty()) {
                    break outer;
                }
            }
        }
        for (int i : pending) {
            if (outcomes[i] == null) {
                outcomes[i] = new RecipientOutcome(envelope.recipients().get(i).address(), DeliveryStatus.DEFERRED,
                        lastFailure != null ? lastFailure
                                : SmtpReply.of(451, "4.4.1", "no reachable host for " + dest.name()));
            }
        }
    }

    private ClientSession borrow(String key, InetSocketAddress socket, String hostname, Destination dest)
            throws SessionException {
        ClientSession s;
        while ((s = pool.poll(key)) != null) {
            try {
                RemoteReply r = s.await(s.command("RSET"), settings.timeouts().greeting(), "sending RSET");
                if (r.code() == 250) {
                    return s;
                }
            } catch (SessionException e) {
                LOG.debug("pooled session with {} is gone: {}", s.peer(), e.reply());
            }
            s.close();
        }
        return connector.open(socket, hostname, dest.tls(), dest.auth(), dest.lmtp());
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    private static void fill(Envelope envelope, List<Integer> indices, RecipientOutcome[] outcomes, SmtpReply reply) {
        DeliveryStatus status = reply.isPositive() ? DeliveryStatus.DELIVERED
                : reply.isTransientFailure() ? DeliveryStatus.DEFERRED : DeliveryStatus.FAILED;
        for (int i : indices) {
            outcomes[i] = new RecipientOutcome(envelope.recipients().get(i).address(), status, reply);
        }
    }
}
