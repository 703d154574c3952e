package dev.mailcore.smtp;

import dev.mailcore.netty.Hostnames;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.Filter;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Transport;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.store.Store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable configuration of an SMTP server: limits, the SPIs it calls and where it spools messages.
 *
 * <pre>{@code
 * SmtpConfig config = SmtpConfig.builder()
 *         .hostname("mx.example.org")
 *         .resolver(address -> address.domain().equalsIgnoreCase("example.org")
 *                 ? Resolution.Local.of(address.localPart()) : Resolution.REMOTE)
 *         .store(store)
 *         .executor(Executors.newVirtualThreadPerTaskExecutor())
 *         .maxMessageSize(50L * 1024 * 1024)
 *         .build();
 * SmtpProtocol smtp = new SmtpProtocol(config, SmtpRole.MX);
 * }</pre>
 *
 * <p>Every SPI (policy, filters, resolver, store, transport, auth provider) is called on {@link #executor()}, never
 * on a network thread.
 */
public final class SmtpConfig {
    /** 35 MiB, like Postfix's {@code message_size_limit} order of magnitude for modern mail. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 35L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECIPIENTS = 1000;
    public static final int DEFAULT_MAX_BAD_COMMANDS = 20;
    /** RFC 5321 §4.5.3.1.6 text line length, including CRLF. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1000;
    public static final int DEFAULT_MEMORY_THRESHOLD = 256 * 1024;
    /** RFC 5321 §4.5.3.2.7: the server waits at least 5 minutes for the next command. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);
    /** RFC 5321 §4.5.3.2.6: 3 minutes between data blocks (DATA content and BDAT chunks). */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(3);

    private final String hostname;
    private final long maxMessageSize;
    private final int maxRecipients;
    private final int maxBadCommands;
    private final int maxLineLength;
    private final boolean allowInsecureAuth;
    private final AuthProvider authProvider;
    private final DeliveryPolicy policy;
    private final List<Filter> filters;
    private final RecipientResolver resolver;
    private final Store store;
    private final Transport transport;
    private final Executor executor;
    private final Path spoolDirectory;
    private final int memoryThreshold;
    private final Clock clock;
    private final Duration commandTimeout;
    private final Duration dataTimeout;
    private final int maxTransactionsPerConnection;
    private final AuthThrottle authThrottle;
    private final SmtpHooks hooks;

    private SmtpConfig(Builder b) {
        this.hostname = b.hostname != null ? b.hostname : Hostnames.local(false);
        this.maxMessageSize = b.maxMessageSize;
        this.maxRecipients = b.maxRecipients;
        this.maxBadCommands = b.maxBadCommands;
        this.maxLineLength = b.maxLineLength;
        this.allowInsecureAuth = b.allowInsecureAuth;
        this.authProvider = b.authProvider;
        this.policy = b.policy != null ? b.policy : new DeliveryPolicy() {
        };
        this.filters = List.copyOf(b.filters);
        this.resolver = require(b.resolver, "resolver");
        this.store = require(b.store, "store");
        this.transport = b.transport;
        this.executor = require(b.executor, "executor");
        this.spoolDirectory = b.spoolDirectory != null ? b.spoolDirectory
                : Path.of(System.getProperty("java.io.tmpdir"));
        this.memoryThreshold = b.memoryThreshold;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.commandTimeout = b.commandTimeout;
        this.dataTimeout = b.dataTimeout;
        this.maxTransactionsPerConnection = b.maxTransactionsPerConnection;
        this.authThrottle = b.authThrottle != null ? b.authThrottle : AuthThrottle.builder().clock(clock).build();
        this.hooks = b.hooks != null ? b.hooks : SmtpHooks.NONE;
        if (commandTimeout.isNegative() || dataTimeout.isNegative() || maxTransactionsPerConnection < 0) {
            throw new MailcoreException("limits out of range: commandTimeout=" + commandTimeout + ", dataTimeout="
                    + dataTimeout + ", maxTransactionsPerConnection=" + maxTransactionsPerConnection);
        }
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new MailcoreException("invalid hostname: " + hostname);
        }
        if (maxMessageSize < 1 || maxRecipients < 1 || maxBadCommands < 1 || maxLineLength < 512
                || memoryThreshold < 0) {
            throw new MailcoreException("limits out of range: maxMessageSize=" + maxMessageSize + ", maxRecipients="
                    + maxRecipients + ", maxBadCommands=" + maxBadCommands + ", maxLineLength=" + maxLineLength
                    + " (at least 512), memoryThreshold=" + memoryThreshold);
        }
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new MailcoreException("SmtpConfig: " + name + " is required");
        }
        return value;
    }

    /** A new builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The name the server greets with and puts into {@code Received:} headers. */
    public String hostname() {
        return hostname;
    }

    /** Largest message accepted, in octets (advertised as {@code SIZE}). */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** Most RCPT TO accepted in one transaction. */
    public int maxRecipients() {
        return maxRecipients;
    }

    /** After this many 5xx syntax or sequence errors the connection is closed. */
    public int maxBadCommands() {
        return maxBadCommands;
    }

    /** Longest command line, in octets including CRLF. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** Whether AUTH is offered over plain text to non-loopback clients. */
    public boolean allowInsecureAuth() {
        return allowInsecureAuth;
    }

    /** The auth provider, or {@code null} when AUTH is not offered. */
    public AuthProvider authProvider() {
        return authProvider;
    }

    public DeliveryPolicy policy() {
        return policy;
    }

    public List<Filter> filters() {
        return filters;
    }

    public RecipientResolver resolver() {
        return resolver;
    }

    public Store store() {
        return store;
    }

    /** The transport for remote recipients, or {@code null}: then nothing is ever relayed. */
    public Transport transport() {
        return transport;
    }

    /** Runs every SPI call. */
    public Executor executor() {
        return executor;
    }

    /** Where messages larger than {@link #memoryThreshold()} are spooled while they are received. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /** Message octets kept in heap before spooling to a file. */
    public int memoryThreshold() {
        return memoryThreshold;
    }

    /** The clock for {@code Received:} dates, internal dates and the default {@link AuthThrottle}'s window. */
    public Clock clock() {
        return clock;
    }

    /**
     * How long the server waits for the next command line (and for AUTH responses) before it answers {@code 421
     * 4.4.2} and closes; {@link Duration#ZERO} for no limit (the listener's idle timeout still applies).
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * How long the server waits for more message data inside DATA or a BDAT chunk before it answers {@code 421
     * 4.4.2} and closes; {@link Duration#ZERO} for no limit.
     */
    public Duration dataTimeout() {
        return dataTimeout;
    }

    /** Most MAIL transactions one connection may start; 0 for no limit. */
    public int maxTransactionsPerConnection() {
        return maxTransactionsPerConnection;
    }

    /** Counts AUTH failures per client address across connections. */
    public AuthThrottle authThrottle() {
        return authThrottle;
    }

    /** The hooks every session calls ({@link SmtpHooks#NONE} unless set). */
    public SmtpHooks hooks() {
        return hooks;
    }

    /** Builds an {@link SmtpConfig}; {@link #resolver}, {@link #store} and {@link #executor} are required. */
    public static final class Builder {
        private String hostname;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxRecipients = DEFAULT_MAX_RECIPIENTS;
        private int maxBadCommands = DEFAULT_MAX_BAD_COMMANDS;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private boolean allowInsecureAuth;
        private AuthProvider authProvider;
        private DeliveryPolicy policy;
        private final List<Filter> filters = new ArrayList<>();
        private RecipientResolver resolver;
        private Store store;
        private Transport transport;
        private Executor executor;
        private Path spoolDirectory;
        private int memoryThreshold = DEFAULT_MEMORY_THRESHOLD;
        private Clock clock;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration dataTimeout = DEFAULT_DATA_TIMEOUT;
        private int maxTransactionsPerConnection;
        private AuthThrottle authThrottle;
        private SmtpHooks hooks;

        private Builder() {
        }

        /** Default: the local host's name, or {@code localhost}. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /** Default 35 MiB. */
        public Builder maxMessageSize(long maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** Default 1000. */
        public Builder maxRecipients(int maxRecipients) {
            this.maxRecipients = maxRecipients;
            return this;
        }

        /** Default 20. */
        public Builder maxBadCommands(int maxBadCommands) {
            this.maxBadCommands = maxBadCommands;
            return this;
        }

        /** Default 1000 octets including CRLF; at least 512 (RFC 5321 §4.5.3.1.4). */
        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = maxLineLength;
            return this;
        }

        /** Default false: AUTH only over TLS or from loopback. */
        public Builder allowInsecureAuth(boolean allowInsecureAuth) {
            this.allowInsecureAuth = allowInsecureAuth;
            return this;
        }

        /** Default none: AUTH is not offered. */
        public Builder authProvider(AuthProvider authProvider) {
            this.authProvider = authProvider;
            return this;
        }

        /** Default: accept everything the built-in checks accept. */
        public Builder policy(DeliveryPolicy policy) {
            this.policy = policy;
            return this;
        }

        /** Replaces the filters; they run in this order. Default none. */
        public Builder filters(List<? extends Filter> filters) {
            this.filters.clear();
            this.filters.addAll(filters);
            return this;
        }

        /** Adds one filter after those already set. */
        public Builder addFilter(Filter filter) {
            this.filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Required. */
        public Builder resolver(RecipientResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** Required. */
        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        /** Default none: remote recipients are always refused. */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Required: runs every SPI call (a virtual-thread executor is a good choice on Java 21+). */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Default {@code java.io.tmpdir}. */
        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
            return this;
        }

        /** Default 256 KiB. */
        public Builder memoryThreshold(int memoryThreshold) {
            this.memoryThreshold = memoryThreshold;
            return this;
        }

        /** Default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Default 5 minutes (RFC 5321 §4.5.3.2.7); zero for none. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
            return this;
        }

        /** Default 3 minutes between data blocks (RFC 5321 §4.5.3.2.6); zero for none. */
        public Builder dataTimeout(Duration dataTimeout) {
            this.dataTimeout = Objects.requireNonNull(dataTimeout, "dataTimeout");
            return this;
        }

        /**
         * Default 0, no limit. The MAIL command that would start one transaction more on the same connection gets
         * {@code 421 4.7.0} and the connection is closed (the client reconnects for the rest, as with Postfix's
         * {@code smtpd_client_message_rate_limit}). Transactions ended by RSET count too.
         */
        public Builder maxTransactionsPerConnection(int maxTransactionsPerConnection) {
            this.maxTransactionsPerConnection = maxTransactionsPerConnection;
            return this;
        }

        /**
         * Default: a new {@link AuthThrottle} with its defaults and this builder's clock, for this config alone. Pass
         * one instance to every config of a server to count failures across its listeners.
         */
        public Builder authThrottle(AuthThrottle authThrottle) {
            this.authThrottle = authThrottle;
            return this;
        }

        /**
         * Default {@link SmtpHooks#NONE}. Hooks observe every session and may inject faults (test tooling); they run
         * on the I/O threads and must not block.
         */
        public Builder hooks(SmtpHooks hooks) {
            this.hooks = hooks;
            return this;
        }

        /** @throws MailcoreException when a required part is missing or a limit is out of range */
        public SmtpConfig build() {
            return new SmtpConfig(this);
        }
    }
}
