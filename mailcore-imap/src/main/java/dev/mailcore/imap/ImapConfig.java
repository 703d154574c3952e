package dev.mailcore.imap;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.store.Store;
import dev.mailcore.netty.AuthThrottle;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable configuration of an IMAP server: the store and auth provider it serves, the executor its SPI calls run
 * on, and its limits.
 *
 * <pre>{@code
 * ImapConfig config = ImapConfig.builder()
 *         .store(store)
 *         .authProvider(users)
 *         .executor(Executors.newVirtualThreadPerTaskExecutor())
 *         .build();
 * ImapProtocol imap = new ImapProtocol(config);   // bind it to a STARTTLS listener (143) and an implicit one (993)
 * }</pre>
 *
 * <p>Store and auth provider calls run on {@link #executor()}, unless the SPI is {@link dev.mailcore.api.NonBlocking}.
 * The listener's own idle timeout ({@link dev.mailcore.netty.ListenerConfig#idleTimeout()}) should be at least
 * {@link #autologoutTimeout()}: IMAP clients idle for up to 29 minutes (RFC 9051 §5.4).
 */
public final class ImapConfig {
    /** 35 MiB: the largest message APPEND accepts by default (advertised as {@code APPENDLIMIT}). */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 35L * 1024 * 1024;
    public static final int DEFAULT_MAX_BAD_COMMANDS = 20;
    /** 64 KiB of command text (literals not counted). */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
    /** 8 KiB: the largest literal accepted before authentication. */
    public static final int DEFAULT_MAX_LITERAL_BEFORE_AUTH = 8 * 1024;
    /** RFC 9051 §5.4: at least 30 minutes. */
    public static final Duration DEFAULT_AUTOLOGOUT_TIMEOUT = Duration.ofMinutes(30);
    /** Dovecot's {@code imap_idle_notify_interval}: 2 minutes. */
    public static final Duration DEFAULT_IDLE_KEEPALIVE_INTERVAL = Duration.ofMinutes(2);

    private final String hostname;
    private final Store store;
    private final AuthProvider authProvider;
    private final Executor executor;
    private final AuthThrottle authThrottle;
    private final boolean allowInsecureAuth;
    private final long maxMessageSize;
    private final int maxBadCommands;
    private final int maxLineLength;
    private final int maxLiteralBeforeAuth;
    private final Duration autologoutTimeout;
    private final Duration idleKeepaliveInterval;
    private final Clock clock;
    private final ImapHooks hooks;

    private ImapConfig(Builder b) {
        this.hostname = b.hostname != null ? b.hostname : "localhost";
        this.store = require(b.store, "store");
        this.authProvider = require(b.authProvider, "authProvider");
        this.executor = require(b.executor, "executor");
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.hooks = b.hooks;
        this.authThrottle = b.authThrottle != null ? b.authThrottle : AuthThrottle.builder().clock(clock).build();
        this.allowInsecureAuth = b.allowInsecureAuth;
        this.maxMessageSize = b.maxMessageSize;
        this.maxBadCommands = b.maxBadCommands;
        this.maxLineLength = b.maxLineLength;
        this.maxLiteralBeforeAuth = b.maxLiteralBeforeAuth;
        this.autologoutTimeout = Objects.requireNonNull(b.autologoutTimeout, "autologoutTimeout");
        this.idleKeepaliveInterval = Objects.requireNonNull(b.idleKeepaliveInterval, "idleKeepaliveInterval");
        if (maxMessageSize < 1 || maxBadCommands < 1 || maxLineLength < 1024 || maxLiteralBeforeAuth < 0
                || autologoutTimeout.isNegative() || idleKeepaliveInterval.isNegative()) {
            throw new MailcoreException("ImapConfig limits out of range: maxMessageSize=" + maxMessageSize
                    + ", maxBadCommands=" + maxBadCommands + ", maxLineLength=" + maxLineLength + " (at least 1024)"
                    + ", maxLiteralBeforeAuth=" + maxLiteralBeforeAuth + ", autologoutTimeout=" + autologoutTimeout
                    + ", idleKeepaliveInterval=" + idleKeepaliveInterval);
        }
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new MailcoreException("invalid hostname: " + hostname);
        }
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new MailcoreException("ImapConfig: " + name + " is required");
        }
        return value;
    }

    /** A new builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's host name (CRAM-MD5 challenges). */
    public String hostname() {
        return hostname;
    }

    /** Where the mailboxes are. */
    public Store store() {
        return store;
    }

    /** Checks LOGIN and AUTHENTICATE credentials. */
    public AuthProvider authProvider() {
        return authProvider;
    }

    /** Runs the store and auth provider calls (unless they are {@link dev.mailcore.api.NonBlocking}). */
    public Executor executor() {
        return executor;
    }

    /** Counts failed logins per client address; share one instance with SMTP and POP3. */
    public AuthThrottle authThrottle() {
        return authThrottle;
    }

    /** Whether LOGIN and AUTHENTICATE are allowed without TLS from non-loopback clients. */
    public boolean allowInsecureAuth() {
        return allowInsecureAuth;
    }

    /** The largest message APPEND accepts, in octets ({@code APPENDLIMIT}). */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** Bad commands after which the connection is closed with {@code * BYE}. */
    public int maxBadCommands() {
        return maxBadCommands;
    }

    /** The longest command line, literals not counted. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** The largest literal accepted before the client logged in. */
    public int maxLiteralBeforeAuth() {
        return maxLiteralBeforeAuth;
    }

    /** A connection that sends nothing for this long (IDLE included) is logged out; zero disables it. */
    public Duration autologoutTimeout() {
        return autologoutTimeout;
    }

    /**
     * How often an idling client is sent {@code * OK Still here}, so that NAT devices and firewalls keep the
     * connection; zero disables it.
     */
    public Duration idleKeepaliveInterval() {
        return idleKeepaliveInterval;
    }

    /** The clock for internal dates of APPEND and OLDER/YOUNGER; its zone is the zone of INTERNALDATE. */
    public Clock clock() {
        return clock;
    }

    /** The hooks that see every command (test tooling); {@link ImapHooks#NONE} by default. */
    public ImapHooks hooks() {
        return hooks;
    }

    /** Builds an {@link ImapConfig}; {@code store}, {@code authProvider} and {@code executor} are required. */
    public static final class Builder {
        private String hostname;
        private Store store;
        private AuthProvider authProvider;
        private Executor executor;
        private AuthThrottle authThrottle;
        private boolean allowInsecureAuth;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxBadCommands = DEFAULT_MAX_BAD_COMMANDS;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private int maxLiteralBeforeAuth = DEFAULT_MAX_LITERAL_BEFORE_AUTH;
        private Duration autologoutTimeout = DEFAULT_AUTOLOGOUT_TIMEOUT;
        private Duration idleKeepaliveInterval = DEFAULT_IDLE_KEEPALIVE_INTERVAL;
        private Clock clock;
        private ImapHooks hooks = ImapHooks.NONE;

        private Builder() {
        }

        /** Default {@code localhost}. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /** Required. */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Required. */
        public Builder authProvider(AuthProvider authProvider) {
            this.authProvider = Objects.requireNonNull(authProvider, "authProvider");
            return this;
        }

        /** Required; virtual threads are a good choice. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Default a new {@link AuthThrottle} with its defaults. */
        public Builder authThrottle(AuthThrottle authThrottle) {
            this.authThrottle = Objects.requireNonNull(authThrottle, "authThrottle");
            return this;
        }

        /** Default false: LOGIN/AUTHENTICATE only over TLS or from loopback ({@code LOGINDISABLED} otherwise). */
        public Builder allowInsecureAuth(boolean allowInsecureAuth) {
            this.allowInsecureAuth = allowInsecureAuth;
            return this;
        }

        /** Default 35 MiB. */
        public Builder maxMessageSize(long maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** Default 20. */
        public Builder maxBadCommands(int maxBadCommands) {
            this.maxBadCommands = maxBadCommands;
            return this;
        }

        /** Default 64 KiB; at least 1024. */
        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = maxLineLength;
            return this;
        }

        /** Default 8 KiB. */
        public Builder maxLiteralBeforeAuth(int maxLiteralBeforeAuth) {
            this.maxLiteralBeforeAuth = maxLiteralBeforeAuth;
            return this;
        }

        /** Default 30 minutes; zero disables the autologout. */
        public Builder autologoutTimeout(Duration autologoutTimeout) {
            this.autologoutTimeout = Objects.requireNonNull(autologoutTimeout, "autologoutTimeout");
            return this;
        }

        /** Default 2 minutes, as Dovecot; zero disables the {@code * OK Still here} keepalive during IDLE. */
        public Builder idleKeepaliveInterval(Duration idleKeepaliveInterval) {
            this.idleKeepaliveInterval = Objects.requireNonNull(idleKeepaliveInterval, "idleKeepaliveInterval");
            return this;
        }

        /** Default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Hooks that see every command and may answer it differently (test tooling: fault injection). */
        public Builder hooks(ImapHooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        public ImapConfig build() {
            return new ImapConfig(this);
        }
    }
}
