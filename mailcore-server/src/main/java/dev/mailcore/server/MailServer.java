package dev.mailcore.server;

import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.Filter;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Transport;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.MailAddress;
import dev.mailcore.delivery.DeliveryQueue;
import dev.mailcore.delivery.smtp.Route;
import dev.mailcore.delivery.smtp.Routes;
import dev.mailcore.delivery.smtp.SmtpTransport;
import dev.mailcore.imap.ImapConfig;
import dev.mailcore.imap.ImapProtocol;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.Hostnames;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.pop3.Pop3Config;
import dev.mailcore.pop3.Pop3Protocol;
import dev.mailcore.server.internal.LocalFirstTransport;
import dev.mailcore.server.internal.WorkerExecutors;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpProtocol;
import dev.mailcore.smtp.SmtpRole;
import dev.mailcore.smtp.routing.ReloadableRouter;
import dev.mailcore.smtp.routing.Router;
import dev.mailcore.store.MemoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A mail server running in this JVM.
 *
 * <pre>{@code
 * try (MailServer server = MailServer.builder()
 *         .user("alice@example.com", "secret")      // example.com becomes a local domain
 *         .smtp(0)                                  // port 0: any free port
 *         .build()
 *         .start()) {
 *     int port = server.port(SmtpRole.MX);
 *     // ... send mail to alice@example.com on 127.0.0.1:port, read it from server.store()
 * }
 * }</pre>
 *
 * <p>Everything is configured on the {@link Builder}; the configuration is fixed once built. Nothing is static:
 * many servers can run in one JVM. Listeners bind 127.0.0.1 unless told otherwise.
 */
public final class MailServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailServer.class);

    private final Builder config;
    private final InMemoryUsers users;
    private final Store store;
    private final ServerTls tls;
    private final ExecutorService ownedExecutor;
    private final Executor executor;
    private final Map<Service, BoundListener> bound = new EnumMap<>(Service.class);
    private final ReloadableRouter router;
    /** One throttle for every protocol: failed logins over SMTP, IMAP and POP3 count together, as in Dovecot. */
    private final AuthThrottle authThrottle;
    private NettyServer netty;
    private DeliveryQueue queue;
    private final String hostname;
    private SmtpTransport smtpTransport;
    private boolean closed;

    private MailServer(Builder b) {
        this.config = b.copy();
        this.users = new InMemoryUsers();
        config.userPasswords.forEach(users::add);
        this.store = b.store != null ? b.store : new MemoryStore();
        this.tls = ServerTls.create(b.tlsConfig != null ? b.tlsConfig : TlsConfig.selfSigned());
        this.ownedExecutor = b.executor == null ? WorkerExecutors.create("mailcore") : null;
        this.executor = b.executor != null ? b.executor : ownedExecutor;
        this.router = ReloadableRouter.of(this::newRouter);
        this.hostname = b.hostname != null ? b.hostname : Hostnames.local(false);
        this.authThrottle = AuthThrottle.builder().clock(config.clock).build();
    }

    /** A router for the configured local domains and users, with the host's routing rules applied. */
    private Router newRouter() {
        Set<String> domains = new LinkedHashSet<>(config.localDomains);
        domains.addAll(users.domains());
        Router.Builder b = Router.builder()
                .localDomain(domains.toArray(new String[0]))
                .mailboxes(users::lookup)
                .knownUsers(users::names);
        config.routingCustomizers.forEach(c -> c.accept(b));
        return b.build();
    }

    /**
     * Rebuilds the routing rules (aliases, virtual maps, files given to {@link Builder#routing}) and swaps them in
     * atomically; on an error the old rules stay and the exception says what is wrong.
     */
    public void reloadRouting() {
        router.reload();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds every configured listener. On failure nothing stays bound.
     *
     * @return this server
     * @throws MailcoreException if a port cannot be bound or the server was started or closed before
     */
    public synchronized MailServer start() {
        if (netty != null || closed) {
            throw new MailcoreException("a MailServer can be started once");
        }
        netty = new NettyServer(config.ioThreads, config.shutdownGrace);
        try {
            Transport relay = config.queueDirectory != null ? startQueue() : config.transport;
            SmtpConfig smtp = smtpConfig(relay);
            Map<Service, ListenerConfig> listeners = config.listeners();
            // one protocol instance per kind: IMAP and IMAPS share the message cache, POP3 and POP3S the maildrop lock
            ImapProtocol imap = listeners.containsKey(Service.IMAP) || listeners.containsKey(Service.IMAPS)
                    ? new ImapProtocol(imapConfig()) : null;
            Pop3Protocol pop3 = listeners.containsKey(Service.POP3) || listeners.containsKey(Service.POP3S)
                    ? new Pop3Protocol(pop3Config()) : null;
            for (Map.Entry<Service, ListenerConfig> e : listeners.entrySet()) {
                Service service = e.getKey();
                ProtocolSupport protocol = switch (service) {
                    case IMAP, IMAPS -> imap;
                    case POP3, POP3S -> pop3;
                    default -> new SmtpProtocol(smtp, service.smtpRole());
                };
                BoundListener l = netty.bind(e.getValue(), tls, protocol);
                bound.put(e.getKey(), l);
                LOG.debug("{} listening on {}", e.getValue().name(), l.address());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The recipient resolver: the host's, or the built-in router (in-memory tables: safe on the I/O threads). */
    private RecipientResolver resolver() {
        return config.resolver != null ? config.resolver : new InMemoryRouting(router);
    }

    /**
     * Opens the outbound queue on its spool directory and starts delivering: local recipients (bounces, forwards back
     * here) into the store, remote ones through the host's transport or SMTP with MX lookup (or the relay host).
     *
     * @return what SMTP hands relayed mail to: the queue's enqueue
     */
    private Transport startQueue() {
        Transport remote = config.transport;
        if (remote == null) {
            SmtpTransport.Builder tb = SmtpTransport.builder().heloName(hostname());
            if (config.relayHost != null) {
                tb.routes(Routes.smarthost(relayHostRoute(config.relayHost)));
            }
            config.outboundCustomizers.forEach(c -> c.accept(tb));
            smtpTransport = tb.build();
            remote = smtpTransport;
        }
        DeliveryQueue.Builder qb = DeliveryQueue.builder()
                .spoolDirectory(config.queueDirectory)
                .transport(new LocalFirstTransport(resolver(), store, remote, config.clock))
                .clock(config.clock)
                .hostname(hostname());
        String postmasterDomain = config.localDomains.stream().findFirst()
                .orElse(users.domains().stream().findFirst().orElse(null));
        if (postmasterDomain != null) {
            qb.postmaster(MailAddress.parse("postmaster@" + postmasterDomain));
        }
        config.queueCustomizers.forEach(c -> c.accept(qb));
        try {
            queue = qb.build();
        } catch (IOException e) {
            throw new MailcoreException("cannot open the queue in " + config.queueDirectory + ": " + e.getMessage(), e);
        }
        queue.start();
        return queue.asTransport();
    }

    private static Route.Smarthost relayHostRoute(String relayHost) {
        Route route = Routes.parseRoute(relayHost);
        if (route instanceof Route.Smarthost s) {
            return s;
        }
        throw new MailcoreException("relay host must be a next hop like [relay.example.net]:587, got " + relayHost);
    }

    private String hostname() {
        return hostname;
    }

    /** The outbound queue, when {@link Builder#queue} enabled it and the server was started. */
    public synchronized DeliveryQueue queue() {
        if (queue == null) {
            throw new MailcoreException("no outbound queue: enable it with MailServer.builder().queue(spoolDirectory)");
        }
        return queue;
    }

    private SmtpConfig smtpConfig(Transport relay) {
        RecipientResolver resolver = resolver();
        SmtpConfig.Builder b = SmtpConfig.builder()
                .authThrottle(authThrottle)
                .maxMessageSize(config.maxMessageSize)
                .allowInsecureAuth(config.allowInsecureAuth)
                .authProvider(authProvider())
                .policy(DeliveryPolicy.allOf(config.policies))
                .filters(config.filters)
                .resolver(resolver)
                .store(store)
                .transport(relay)
                .executor(executor)
                .clock(config.clock);
        b.hostname(hostname);
        if (config.spoolDirectory != null) {
            b.spoolDirectory(config.spoolDirectory);
        }
        config.smtpCustomizers.forEach(c -> c.accept(b));
        return b.build();
    }

    private ImapConfig imapConfig() {
        ImapConfig.Builder b = ImapConfig.builder()
                .store(store)
                .authProvider(authProvider())
                .authThrottle(authThrottle)
                .executor(executor)
                .allowInsecureAuth(config.allowInsecureAuth)
                .maxMessageSize(config.maxMessageSize)
                .clock(config.clock);
        b.hostname(hostname);
        config.imapCustomizers.forEach(c -> c.accept(b));
        return b.build();
    }

    private Pop3Config pop3Config() {
        Pop3Config.Builder b = Pop3Config.builder()
                .store(store)
                .authProvider(authProvider())
                .authThrottle(authThrottle)
                .executor(executor)
                .allowInsecureAuth(config.allowInsecureAuth)
                .clock(config.clock);
        b.hostname(hostname);
        config.pop3Customizers.forEach(c -> c.accept(b));
        return b.build();
    }

    private AuthProvider authProvider() {
        return config.authProvider != null ? config.authProvider : users;
    }

    /** The bound port of this service's listener; fails if there is none or the server is not started. */
    public synchronized int port(Service service) {
        BoundListener l = bound.get(service);
        if (l == null) {
            throw new MailcoreException("no " + service + " listener is running");
        }
        return l.port();
    }

    /** The bound address of this service's listener. */
    public synchronized InetSocketAddress address(Service service) {
        port(service);
        return bound.get(service).address();
    }

    /** The bound port of the SMTP listener with this role; fails if there is none or the server is not started. */
    public int port(SmtpRole role) {
        return port(Service.of(role));
    }

    /** The bound address of the SMTP listener with this role. */
    public InetSocketAddress address(SmtpRole role) {
        return address(Service.of(role));
    }

    /** The port of the MX-style SMTP listener. */
    public int smtpPort() {
        return port(SmtpRole.MX);
    }

    /** The port of the submission (587-style, STARTTLS + AUTH) listener. */
    public int submissionPort() {
        return port(SmtpRole.SUBMISSION);
    }

    /** The port of the submissions (465-style, implicit TLS) listener. */
    public int smtpsPort() {
        return port(SmtpRole.SUBMISSIONS);
    }

    /** The port of the IMAP (143-style, STARTTLS) listener. */
    public int imapPort() {
        return port(Service.IMAP);
    }

    /** The port of the IMAPS (993-style, implicit TLS) listener. */
    public int imapsPort() {
        return port(Service.IMAPS);
    }

    /** The port of the POP3 (110-style, STLS) listener. */
    public int pop3Port() {
        return port(Service.POP3);
    }

    /** The port of the POP3S (995-style, implicit TLS) listener. */
    public int pop3sPort() {
        return port(Service.POP3S);
    }

    /** The message store (the one given to the builder, or the default {@link MemoryStore}). */
    public Store store() {
        return store;
    }

    /** The user directory that {@link Builder#user} fills; users can be added while running. */
    public InMemoryUsers users() {
        return users;
    }

    /** The TLS context; {@link ServerTls#clientContext()} gives clients a context that trusts this server. */
    public ServerTls tls() {
        return tls;
    }

    /**
     * Stops accepting, lets transactions in progress finish (up to the shutdown grace period), closes every
     * connection and releases threads. The store is closed too when the server created it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (netty != null) {
            netty.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (smtpTransport != null) {
            smtpTransport.close();
        }
        bound.clear();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                ownedExecutor.awaitTermination(config.shutdownGrace.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (config.store == null) {
            store.close();
        }
    }

    /** The built-in routing: table lookups in memory, so marked {@link NonBlocking}. */
    private record InMemoryRouting(ReloadableRouter router) implements RecipientResolver, NonBlocking {
        @Override
        public dev.mailcore.api.Resolution resolve(dev.mailcore.api.MailAddress recipient) {
            return router.resolve(recipient);
        }
    }

    /** Configures a {@link MailServer}. Not thread-safe; {@link #build()} takes a snapshot. */
    public static final class Builder {
        private String hostname;
        private String bindAddress = ListenerConfig.DEFAULT_BIND_ADDRESS;
        private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
        private final Map<Service, ListenerConfig> customListeners = new EnumMap<>(Service.class);
        private final Set<String> localDomains = new LinkedHashSet<>();
        private final Map<String, String> userPasswords = new java.util.LinkedHashMap<>();
        private AuthProvider authProvider;
        private RecipientResolver resolver;
        private Store store;
        private final List<DeliveryPolicy> policies = new ArrayList<>();
        private final List<Filter> filters = new ArrayList<>();
        private Transport transport;
        private Executor executor;
        private TlsConfig tlsConfig;
        private long maxMessageSize = 35L * 1024 * 1024;
        private boolean allowInsecureAuth;
        private int ioThreads;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private Path spoolDirectory;
        private int maxConnections = 10_000;
        private int maxConnectionsPerIp = 100;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private final List<java.util.function.Consumer<SmtpConfig.Builder>> smtpCustomizers = new ArrayList<>();
        private final List<java.util.function.Consumer<Router.Builder>> routingCustomizers = new ArrayList<>();
        private final List<java.util.function.Consumer<ImapConfig.Builder>> imapCustomizers = new ArrayList<>();
        private final List<java.util.function.Consumer<Pop3Config.Builder>> pop3Customizers = new ArrayList<>();
        private final List<java.util.function.Consumer<SmtpTransport.Builder>> outboundCustomizers = new ArrayList<>();
        private final List<java.util.function.Consumer<DeliveryQueue.Builder>> queueCustomizers = new ArrayList<>();
        private Path queueDirectory;
        private String relayHost;
        private Clock clock = Clock.systemUTC();

        /**
         * Adds routing rules: aliases, virtual domains and maps, catch-alls, domain rewrites, plus-addressing,
         * postmaster, alias and virtual files. The server's local domains and users are already set on the
         * builder the customizer gets. Runs again on {@link MailServer#reloadRouting()}.
         *
         * <pre>{@code
         * .routing(r -> r.alias("sales", "alice", "bob").catchAll("example.com", "alice@example.com"))
         * }</pre>
         */
        public Builder routing(java.util.function.Consumer<Router.Builder> customizer) {
            routingCustomizers.add(Objects.requireNonNull(customizer));
            return this;
        }

        private Builder() {
        }

        /** Most connections open at once on each listener (default 10,000: an idle connection costs a few KiB). */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /** Most connections from one client IP on each listener (default 100). */
        public Builder maxConnectionsPerIp(int max) {
            this.maxConnectionsPerIp = max;
            return this;
        }

        /**
         * A connection that sends nothing and takes none of our output for this long is closed (default 5 minutes;
         * at least 10 minutes for POP3 and 31 for IMAP).
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Adjusts the SMTP settings the builder derives (limits, timeouts, AUTH throttling): the customizer runs
         * last, after the builder's own settings. For settings this builder has no method of its own for.
         */
        public Builder smtpSettings(java.util.function.Consumer<SmtpConfig.Builder> customizer) {
            smtpCustomizers.add(Objects.requireNonNull(customizer));
            return this;
        }

        /** The host name in greetings and trace headers; default: this machine's name. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname);
            return this;
        }

        /** The address every listener binds; default {@code 127.0.0.1}. Use {@code 0.0.0.0} or {@code ::} for all. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress);
            return this;
        }

        /** An MX-style SMTP listener (port 25 in production; STARTTLS offered). Port 0 picks a free port. */
        public Builder smtp(int port) {
            ports.put(Service.SMTP, port);
            return this;
        }

        /** A submission listener (port 587 in production; STARTTLS, AUTH required before MAIL). */
        public Builder submission(int port) {
            ports.put(Service.SUBMISSION, port);
            return this;
        }

        /** A submissions listener (port 465 in production; implicit TLS, AUTH required; RFC 8314). */
        public Builder smtps(int port) {
            ports.put(Service.SUBMISSIONS, port);
            return this;
        }

        /**
         * Queues mail for remote recipients (from authenticated senders and forwards) durably in this directory and
         * delivers it with retries and bounces, as Postfix does: by SMTP to the recipient domain's MX hosts, to the
         * {@link #relayHost relay host}, or through the {@link #transport transport} given. Without a queue, relayed
         * mail goes to the transport during the SMTP transaction.
         */
        public Builder queue(Path spoolDirectory) {
            this.queueDirectory = Objects.requireNonNull(spoolDirectory);
            return this;
        }

        /**
         * Sends all outbound mail through this smarthost instead of looking up MX records, like Postfix's
         * {@code relayhost}: {@code [relay.example.net]:587} (brackets: no MX lookup). Needs {@link #queue}.
         */
        public Builder relayHost(String nextHop) {
            relayHostRoute(nextHop);
            this.relayHost = nextHop;
            return this;
        }

        /** Adjusts the outbound SMTP client (routes, TLS policy, timeouts, DNS, concurrency); runs last. */
        public Builder outboundSettings(java.util.function.Consumer<SmtpTransport.Builder> customizer) {
            outboundCustomizers.add(Objects.requireNonNull(customizer));
            return this;
        }

        /** Adjusts the outbound queue (retry schedule, postmaster, concurrency, listeners); runs last. */
        public Builder queueSettings(java.util.function.Consumer<DeliveryQueue.Builder> customizer) {
            queueCustomizers.add(Objects.requireNonNull(customizer));
            return this;
        }

        /** An IMAP listener (port 143 in production; STARTTLS offered, LOGIN only after TLS). Port 0: any free port. */
        public Builder imap(int port) {
            ports.put(Service.IMAP, port);
            return this;
        }

        /** An IMAP listener with implicit TLS (port 993 in production). */
        public Builder imaps(int port) {
            ports.put(Service.IMAPS, port);
            return this;
        }

        /** A POP3 listener (port 110 in production; STLS offered, USER/PASS only after TLS). */
        public Builder pop3(int port) {
            ports.put(Service.POP3, port);
            return this;
        }

        /** A POP3 listener with implicit TLS (port 995 in production). */
        public Builder pop3s(int port) {
            ports.put(Service.POP3S, port);
            return this;
        }

        /**
         * Adjusts the IMAP settings the builder derives (literal and line limits, autologout, ...); runs last.
         */
        public Builder imapSettings(java.util.function.Consumer<ImapConfig.Builder> customizer) {
            imapCustomizers.add(Objects.requireNonNull(customizer));
            return this;
        }

        /** Adjusts the POP3 settings the builder derives (APOP, EXPIRE, LOGIN-DELAY, ...); runs last. */
        public Builder pop3Settings(java.util.function.Consumer<Pop3Config.Builder> customizer) {
            pop3Customizers.add(Objects.requireNonNull(customizer));
            return this;
        }

        /** An SMTP listener with full control of its settings (limits, PROXY protocol, timeouts). */
        public Builder listener(SmtpRole role, ListenerConfig listener) {
            return listener(Service.of(role), listener);
        }

        /** A listener with full control of its settings (limits, PROXY protocol, timeouts). */
        public Builder listener(Service service, ListenerConfig listener) {
            customListeners.put(service, Objects.requireNonNull(listener));
            ports.remove(service);
            return this;
        }

        /** A domain whose mail is delivered here (the domains of {@link #user users} are local automatically). */
        public Builder localDomain(String domain) {
            localDomains.add(Objects.requireNonNull(domain));
            return this;
        }

        /** Adds a user with a password; the address's domain becomes local. */
        public Builder user(String address, String password) {
            dev.mailcore.api.MailAddress.parse(address);
            userPasswords.put(address, Objects.requireNonNull(password));
            return this;
        }

        /** Authenticates with this provider instead of the built-in user list. */
        public Builder authProvider(AuthProvider provider) {
            this.authProvider = provider;
            return this;
        }

        /** Routes recipients with this resolver instead of the built-in one (local domains + users). */
        public Builder recipientResolver(RecipientResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** Stores mail here; default a new {@link MemoryStore}. The host keeps ownership (not closed by us). */
        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        /** Adds a policy; policies run in the order added, the first non-accept decision wins. */
        public Builder policy(DeliveryPolicy policy) {
            policies.add(Objects.requireNonNull(policy));
            return this;
        }

        /** Adds a content filter; filters run in the order added. */
        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter));
            return this;
        }

        /** Delivers relayed mail (from authenticated clients to remote domains) with this transport. */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Runs blocking SPI calls on this executor; default: virtual threads (Java 21+) or a cached pool. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** TLS key and certificate; default: a self-signed certificate for localhost generated at start. */
        public Builder tls(TlsConfig tls) {
            this.tlsConfig = tls;
            return this;
        }

        /** The largest message accepted, in octets (SIZE); default 35 MiB. */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** Offer AUTH also without TLS to non-loopback clients (never do this on a public network). */
        public Builder allowInsecureAuth(boolean allow) {
            this.allowInsecureAuth = allow;
            return this;
        }

        /** I/O event loop threads; 0 (default) picks the number of cores. */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** How long {@link MailServer#close()} lets transactions in progress finish; default 10 s. */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace);
            return this;
        }

        /**
         * The server's clock, for every protocol and the outbound queue: {@code Received:} dates, internal dates, the
         * AUTH throttle's window, queue arrival times and the retry schedule. Default: the system clock in UTC. Tests
         * pass one they move themselves; a started queue notices that its clock moved within a second (or at once
         * with {@code queue().runDue()}).
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Where incoming messages larger than the memory threshold are spooled; default java.io.tmpdir. */
        public Builder spoolDirectory(Path dir) {
            this.spoolDirectory = dir;
            return this;
        }

        /** Builds the server (not started). With no listener configured, one SMTP listener on port 0 is used. */
        public MailServer build() {
            return new MailServer(this);
        }

        Map<Service, ListenerConfig> listeners() {
            Map<Service, ListenerConfig> result = new EnumMap<>(customListeners);
            if (result.isEmpty() && ports.isEmpty()) {
                ports.put(Service.SMTP, 0);
            }
            ports.forEach((service, port) -> result.put(service, defaultListener(service).withPort(port)));
            return result;
        }

        private ListenerConfig defaultListener(Service service) {
            Duration idle = idleTimeout.compareTo(service.minimumIdleTimeout()) < 0
                    ? service.minimumIdleTimeout() : idleTimeout;
            return new ListenerConfig(service.listenerName(), bindAddress, 0, service.tlsMode(), false, maxConnections,
                    maxConnectionsPerIp, idle);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.hostname = hostname;
            c.bindAddress = bindAddress;
            c.ports.putAll(ports);
            c.customListeners.putAll(listeners());
            c.ports.clear();
            c.localDomains.addAll(localDomains);
            c.userPasswords.putAll(userPasswords);
            c.authProvider = authProvider;
            c.resolver = resolver;
            c.store = store;
            c.policies.addAll(policies);
            c.filters.addAll(filters);
            c.transport = transport;
            c.executor = executor;
            c.tlsConfig = tlsConfig;
            c.maxMessageSize = maxMessageSize;
            c.allowInsecureAuth = allowInsecureAuth;
            c.ioThreads = ioThreads;
            c.shutdownGrace = shutdownGrace;
            c.spoolDirectory = spoolDirectory;
            c.maxConnections = maxConnections;
            c.maxConnectionsPerIp = maxConnectionsPerIp;
            c.idleTimeout = idleTimeout;
            c.smtpCustomizers.addAll(smtpCustomizers);
            c.routingCustomizers.addAll(routingCustomizers);
            c.imapCustomizers.addAll(imapCustomizers);
            c.pop3Customizers.addAll(pop3Customizers);
            c.outboundCustomizers.addAll(outboundCustomizers);
            c.queueCustomizers.addAll(queueCustomizers);
            c.queueDirectory = queueDirectory;
            c.relayHost = relayHost;
            c.clock = clock;
            return c;
        }
    }
}
