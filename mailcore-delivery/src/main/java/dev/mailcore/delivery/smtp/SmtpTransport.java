package dev.mailcore.delivery.smtp;

import dev.mailcore.netty.Hostnames;
import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.Transport;
import dev.mailcore.delivery.dns.DnsMxResolver;
import dev.mailcore.delivery.dns.MxResolver;
import dev.mailcore.delivery.smtp.internal.Deliverer;
import dev.mailcore.delivery.smtp.internal.SessionPool;
import dev.mailcore.delivery.smtp.internal.Settings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Transport}: an SMTP client on Netty that makes one delivery attempt per call.
 *
 * <pre>{@code
 * try (SmtpTransport transport = SmtpTransport.builder()
 *         .heloName("mail.example.org")
 *         .routes(Routes.smarthost(Route.smarthost("relay.example.net", 587)
 *                 .withTlsPolicy(TlsPolicy.VERIFY)
 *                 .withAuth(new SmarthostAuth("user", "secret"))))
 *         .build()) {
 *     DeliveryReport report = transport.deliver(envelope, MessageSource.of(bytes));
 * }
 * }</pre>
 *
 * <p>For each recipient the {@link Routes} pick a route; recipients with the same destination share one transaction.
 * MX hosts are tried in order (next one on a connection failure, a 4xx greeting or deferred recipients; at most 5
 * addresses and 2 sessions per attempt, like Postfix). The client speaks EHLO (HELO fallback), PIPELINING, SIZE,
 * 8BITMIME, SMTPUTF8 (never downgraded: a message that needs it fails with 5.6.7 when the server lacks it), DSN
 * parameters, CHUNKING (BDAT) and STARTTLS per {@link TlsPolicy}; AUTH PLAIN/LOGIN to a smarthost, only over TLS.
 * Message content is streamed from {@link MessageSource#openStream()} in blocks, bare LFs turned into CRLF, dot-stuffed
 * for DATA. Sessions are kept open for a short time and reused for the next message to the same server (with RSET).
 * A {@link Route.Lmtp} route delivers over LMTP (LHLO, one reply per recipient) to an external store instead.
 * Each attempt's per-recipient result is logged at INFO, Postfix-style ({@code to=<...>, relay=..., status=...}).
 *
 * <p>{@link #deliver} blocks the calling thread until the attempt is over; all network I/O runs on Netty event loops
 * (no thread per connection). Thread-safe. {@link #close()} ends idle sessions and the event loops it created.
 */
public final class SmtpTransport implements Transport, AutoCloseable {
    private final Deliverer deliverer;
    private final SessionPool pool;
    private final EventLoopGroup ownGroup;

    private SmtpTransport(Builder b) {
        String helo = b.heloName != null ? b.heloName : Hostnames.local(true);
        EventLoopGroup group = b.eventLoopGroup;
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory("mailcore-smtp-client",
                    true), NioIoHandler.newFactory());
            this.ownGroup = group;
        } else {
            this.ownGroup = null;
        }
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        b.connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024));
        SslContext insecure;
        SslContext verifying;
        try {
            insecure = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null).protocols("TLSv1.3", "TLSv1.2").build();
            TrustManagerFactory tmf = b.trustManagerFactory;
            if (tmf == null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
            }
            verifying = SslContextBuilder.forClient().trustManager(tmf).endpointIdentificationAlgorithm("HTTPS")
                    .protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException | GeneralSecurityException e) {
            if (ownGroup != null) {
                ownGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw new MailcoreException("cannot build the client TLS contexts: " + e.getMessage(), e);
        }
        Settings settings = new Settings(helo, b.port, b.tlsPolicy, insecure, verifying, b.connectTimeout,
                b.timeouts, b.pipelining, b.chunking, bootstrap, b.blockSize);
        this.pool = new SessionPool(b.connectionReuseTime, b.maxTransactionsPerConnection);
        MxResolver resolver = b.mxResolver != null ? b.mxResolver : DnsMxResolver.system();
        this.deliverer = new Deliverer(settings, resolver, b.routes, pool, b.maxConnectionsPerDestination,
                b.destinationWait);
    }

    /** A new builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes one delivery attempt to every recipient of {@code envelope}.
     *
     * @return one outcome per recipient, in envelope order: DELIVERED when the remote server accepted the message
     *         for it, DEFERRED (4xx, timeouts, connection failures, DNS trouble) or FAILED (5xx, null MX, NXDOMAIN,
     *         SMTPUTF8 or size refusals)
     */
    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource content) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
        return deliverer.deliver(envelope, content);
    }

    /** How many deliveries reused an idle connection (for monitoring and tests). */
    public long reusedConnections() {
        return pool.reuseCount();
    }

    /** Sends QUIT on idle connections and stops the event loops this transport created. */
    @Override
    public void close() {
        pool.close();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    /** Builds an {@link SmtpTransport}. */
    public static final class Builder {
        private String heloName;
        private MxResolver mxResolver;
        private Routes routes = Routes.mxOnly();
        private int port = 25;
        private TlsPolicy tlsPolicy = TlsPolicy.OPPORTUNISTIC;
        private TrustManagerFactory trustManagerFactory;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private SmtpTimeouts timeouts = SmtpTimeouts.DEFAULTS;
        private int maxConnectionsPerDestination = 20;
        private Duration destinationWait = Duration.ofMinutes(5);
        private Duration connectionReuseTime = Duration.ofSeconds(5);
        private int maxTransactionsPerConnection = 100;
        private EventLoopGroup eventLoopGroup;
        private int ioThreads = 1;
        private boolean pipelining = true;
        private boolean chunking = true;
        private int blockSize = 64 * 1024;

        private Builder() {
        }

        /** The EHLO name; default the local host's canonical name. */
        public Builder heloName(String heloName) {
            if (heloName == null || heloName.isEmpty() || heloName.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new IllegalArgumentException("invalid HELO name: " + heloName);
            }
            this.heloName = heloName;
            return this;
        }

        /** Where MX lookups go; default {@link DnsMxResolver#system()}. */
        public Builder mxResolver(MxResolver mxResolver) {
            this.mxResolver = Objects.requireNonNull(mxResolver, "mxResolver");
            return this;
        }

        /** The routing table; default {@link Routes#mxOnly()}. */
        public Builder routes(Routes routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        /** The port of MX hosts and of smarthosts given without one; default 25. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The TLS policy for destinations whose route sets none; default {@link TlsPolicy#OPPORTUNISTIC}. */
        public Builder tlsPolicy(TlsPolicy tlsPolicy) {
            this.tlsPolicy = Objects.requireNonNull(tlsPolicy, "tlsPolicy");
            return this;
        }

        /** Trust anchors for {@link TlsPolicy#VERIFY}; default the JVM's trust store. */
        public Builder trustManagerFactory(TrustManagerFactory trustManagerFactory) {
            this.trustManagerFactory = Objects.requireNonNull(trustManagerFactory, "trustManagerFactory");
            return this;
        }

        /** Trust anchors for {@link TlsPolicy#VERIFY} from a key store of trusted certificates. */
        public Builder trustStore(KeyStore trustStore) {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(Objects.requireNonNull(trustStore, "trustStore"));
                this.trustManagerFactory = tmf;
            } catch (GeneralSecurityException e) {
                throw new MailcoreException("cannot use trust store: " + e.getMessage(), e);
            }
            return this;
        }

        /** TCP connect timeout; default 30 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Command timeouts; default {@link SmtpTimeouts#DEFAULTS}. */
        public Builder timeouts(SmtpTimeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** Most concurrent sessions to one destination (domain or relay); default 20. */
        public Builder maxConnectionsPerDestination(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnectionsPerDestination must be positive");
            }
            this.maxConnectionsPerDestination = max;
            return this;
        }

        /** How long a delivery waits for a free slot of its destination before it defers; default 5 minutes. */
        public Builder destinationWait(Duration wait) {
            this.destinationWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** How long an idle connection is kept for the next message; default 5 s; zero turns reuse off. */
        public Builder connectionReuseTime(Duration reuseTime) {
            Objects.requireNonNull(reuseTime, "reuseTime");
            if (reuseTime.isNegative()) {
                throw new IllegalArgumentException("connectionReuseTime must not be negative");
            }
            this.connectionReuseTime = reuseTime;
            return this;
        }

        /** Transactions after which a connection is closed rather than reused; default 100. */
        public Builder maxTransactionsPerConnection(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTransactionsPerConnection must be positive");
            }
            this.maxTransactionsPerConnection = max;
            return this;
        }

        /** Run on these event loops (not shut down by {@link SmtpTransport#close()}); default: own ones. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Event loop threads when the transport makes its own; default 1 (0: the number of cores). */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads must not be negative");
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /** Whether PIPELINING is used when offered; default true. */
        public Builder pipelining(boolean pipelining) {
            this.pipelining = pipelining;
            return this;
        }

        /**
         * Whether CHUNKING (BDAT) is used when offered; default true. False always sends DATA, and so returns
         * BINARYMIME messages to their senders (5.6.3), as does a server that offers no CHUNKING or BINARYMIME.
         */
        public Builder chunking(boolean chunking) {
            this.chunking = chunking;
            return this;
        }

        /** Bytes read from the message per block (and per BDAT chunk); default 64 KiB. */
        public Builder blockSize(int blockSize) {
            if (blockSize < 1) {
                throw new IllegalArgumentException("blockSize must be positive");
            }
            this.blockSize = blockSize;
            return this;
        }

        public SmtpTransport build() {
            return new SmtpTransport(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
