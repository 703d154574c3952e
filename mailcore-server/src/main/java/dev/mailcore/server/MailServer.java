package dev.mailcore.server;

import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.Filter;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Transport;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.store.Store;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.server.internal.WorkerExecutors;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpProtocol;
import dev.mailcore.smtp.SmtpRole;
import dev.mailcore.smtp.routing.ReloadableRouter;
import dev.mailcore.smtp.routing.Router;
import dev.mailcore.store.MemoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
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
    private NettyServer netty;
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
            SmtpConfig smtp = smtpConfig();
            for (Map.Entry<Service, ListenerConfig> e : config.listeners().entrySet()) {
                BoundListener l = netty.bind(e.getValue(), tls, protocol(e.getKey(), smtp));
                bound.put(e.getKey(), l);
                LOG.debug("{} listening on {}", e.getValue().name(), l.address());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private SmtpConfig smtpConfig() {
        // the built-in router only looks into in-memory tables: safe to call on the I/O threads
        RecipientResolver resolver = config.resolver != null ? config.resolver : new InMemoryRouting(router);
        AuthProvider auth = config.authProvider != null ? config.authProvider : users;
        SmtpConfig.Builder b = SmtpConfig.builder()
                .maxMessageSize(config.maxMessageSize)
                .allowInsecureAuth(config.allowInsecureAuth)
                .authProvider(auth)
                .policy(DeliveryPolicy.allOf(config.policies))
                .filters(config.filters)
                .resolver(resolver)
                .store(store)
                .transport(config.transport)
                .executor(executor);
        if (config.hostname != null) {
            b.hostname(config.hostname);
        }
        if (config.spoolDirectory != null) {
            b.spoolDirectory(config.spoolDirectory);
        }
        config.smtpCustomizers.forEach(c -> c.accept(b));
        return b.build();
    }

    private ProtocolSupport protocol(Service service, SmtpConfig smtp) {
        SmtpRole role = service.smtpRole();
        if (role != null) {
            return new SmtpProtocol(smtp, role);
        }
        throw new MailcoreException(service + " is not available yet");
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
        private int maxConnections = 1000;
        private int maxConnectionsPerIp = 100;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private final List<java.util.function.Consumer<SmtpConfig.Builder>> smtpCustomizers = new ArrayList<>();
        private final List<java.util.function.Consumer<Router.Builder>> routingCustomizers = new ArrayList<>();

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

        /** Most connections open at once on each listener (default 1000); more get {@code 421 4.7.0}. */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /** Most connections from one client IP on each listener (default 100). */
        public Builder maxConnectionsPerIp(int max) {
            this.maxConnectionsPerIp = max;
            return this;
        }

        /** A connection that sends nothing for this long is closed (default 5 minutes). */
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
            return c;
        }
    }
}
