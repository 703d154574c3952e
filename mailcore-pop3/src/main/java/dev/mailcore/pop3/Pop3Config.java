package dev.mailcore.pop3;

import dev.mailcore.netty.Hostnames;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.store.Store;
import dev.mailcore.netty.AuthThrottle;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Immutable configuration of a POP3 server: the store holding the maildrops (each user's INBOX), the auth provider,
 * the executor for blocking SPI calls and the limits.
 *
 * <pre>{@code
 * Pop3Config config = Pop3Config.builder()
 *         .hostname("pop.example.org")
 *         .store(store)
 *         .authProvider(users)
 *         .executor(Executors.newVirtualThreadPerTaskExecutor())
 *         .build();
 * server.bind(ListenerConfig.defaults("pop3", TlsMode.STARTTLS).withPort(110), tls, new Pop3Protocol(config));
 * }</pre>
 *
 * <p>The store and the auth provider are called on {@link #executor()} unless they implement {@link
 * dev.mailcore.api.NonBlocking}.
 */
public final class Pop3Config {
    /** Longest command line accepted by default, in octets including CRLF (Dovecot's input buffer size). */
    public static final int DEFAULT_MAX_LINE_LENGTH = 4096;
    /** RFC 2449 §4: a command line may be 255 octets; shorter limits are refused. */
    public static final int MIN_MAX_LINE_LENGTH = 255;
    /** RFC 1939 §3: the autologout timer is at least 10 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** After this many bad commands the connection is closed (as Dovecot does). */
    public static final int DEFAULT_MAX_BAD_COMMANDS = 20;

    private static final Pattern EXPIRE = Pattern.compile("(NEVER|0|[1-9][0-9]{0,8})( USER)?");

    private final String hostname;
    private final AuthProvider authProvider;
    private final Store store;
    private final Executor executor;
    private final boolean allowInsecureAuth;
    private final AuthThrottle authThrottle;
    private final boolean apop;
    private final int maxLineLength;
    private final int maxBadCommands;
    private final Duration idleTimeout;
    private final Clock clock;
    private final Pop3Hooks hooks;
    private final String expire;
    private final Duration loginDelay;
    private final boolean markSeen;

    private Pop3Config(Builder b) {
        this.hostname = b.hostname != null ? b.hostname : Hostnames.local(false);
        this.authProvider = require(b.authProvider, "authProvider");
        this.store = require(b.store, "store");
        this.executor = require(b.executor, "executor");
        this.allowInsecureAuth = b.allowInsecureAuth;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.hooks = b.hooks;
        this.authThrottle = b.authThrottle != null ? b.authThrottle : AuthThrottle.builder().clock(clock).build();
        this.apop = b.apop;
        this.maxLineLength = b.maxLineLength;
        this.maxBadCommands = b.maxBadCommands;
        this.idleTimeout = b.idleTimeout;
        this.expire = b.expire;
        this.loginDelay = b.loginDelay;
        this.markSeen = b.markSeen;
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == '<' || c == '>')) {
            throw new MailcoreException("invalid hostname: " + hostname);
        }
        if (maxLineLength < MIN_MAX_LINE_LENGTH || maxBadCommands < 1 || idleTimeout.isNegative()
                || idleTimeout.isZero()) {
            throw new MailcoreException("limits out of range: maxLineLength=" + maxLineLength + " (at least "
                    + MIN_MAX_LINE_LENGTH + "), maxBadCommands=" + maxBadCommands + ", idleTimeout=" + idleTimeout);
        }
        if (apop && !authProvider.supportsPlainTextPassword()) {
            throw new MailcoreException("APOP needs an AuthProvider that supports plainTextPassword()");
        }
        if (expire != null && !EXPIRE.matcher(expire).matches()) {
            throw new MailcoreException("invalid EXPIRE value (NEVER or a number of days, optionally USER): "
                    + expire);
        }
        if (loginDelay != null && (loginDelay.isNegative() || loginDelay.getSeconds() > 999_999_999L)) {
            throw new MailcoreException("invalid LOGIN-DELAY: " + loginDelay);
        }
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new MailcoreException("Pop3Config: " + name + " is required");
        }
        return value;
    }

    /** A new builder; {@link Builder#store}, {@link Builder#authProvider} and {@link Builder#executor} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's host name (CRAM-MD5 challenges, APOP timestamps, logs). */
    public String hostname() {
        return hostname;
    }

    /** Checks USER/PASS, APOP and AUTH credentials. */
    public AuthProvider authProvider() {
        return authProvider;
    }

    /** Holds the maildrops: each user's INBOX. */
    public Store store() {
        return store;
    }

    /** Runs the store and auth provider calls that may block. */
    public Executor executor() {
        return executor;
    }

    /** Whether USER/PASS and the plain-text SASL mechanisms are allowed without TLS from non-loopback clients. */
    public boolean allowInsecureAuth() {
        return allowInsecureAuth;
    }

    /** Counts failed logins per client address across connections (shareable with SMTP and IMAP). */
    public AuthThrottle authThrottle() {
        return authThrottle;
    }

    /** Whether APOP is offered (a timestamp in the greeting); off by default. */
    public boolean apop() {
        return apop;
    }

    /** Longest command or SASL response line, in octets including CRLF. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** Bad commands (unknown, wrong state, bad syntax) after which the connection is closed. */
    public int maxBadCommands() {
        return maxBadCommands;
    }

    /** The autologout timer: a client silent this long is disconnected without entering the UPDATE state. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The clock for APOP timestamps and the default {@link AuthThrottle}. */
    public Clock clock() {
        return clock;
    }

    /** The hooks that see every command (test tooling); {@link Pop3Hooks#NONE} by default. */
    public Pop3Hooks hooks() {
        return hooks;
    }

    /** The advertised {@code EXPIRE} capability argument (RFC 2449 §6.7), or {@code null} for none. */
    public String expire() {
        return expire;
    }

    /** The advertised {@code LOGIN-DELAY} (RFC 2449 §6.5), or {@code null} for none. */
    public Duration loginDelay() {
        return loginDelay;
    }

    /** Whether messages retrieved with RETR get {@code \Seen} in the UPDATE state (Dovecot's default: yes). */
    public boolean markSeen() {
        return markSeen;
    }

    /** Builds a {@link Pop3Config}. */
    public static final class Builder {
        private String hostname;
        private AuthProvider authProvider;
        private Store store;
        private Executor executor;
        private boolean allowInsecureAuth;
        private AuthThrottle authThrottle;
        private boolean apop;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private int maxBadCommands = DEFAULT_MAX_BAD_COMMANDS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Clock clock;
        private Pop3Hooks hooks = Pop3Hooks.NONE;
        private String expire;
        private Duration loginDelay;
        private boolean markSeen = true;

        private Builder() {
        }

        /** Default: the local host name, else {@code localhost}. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /** Required. */
        public Builder authProvider(AuthProvider authProvider) {
            this.authProvider = Objects.requireNonNull(authProvider, "authProvider");
            return this;
        }

        /** Required. */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Required: runs blocking store and auth provider calls. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Allow USER/PASS, PLAIN and LOGIN over unencrypted non-loopback connections; default false. */
        public Builder allowInsecureAuth(boolean allowInsecureAuth) {
            this.allowInsecureAuth = allowInsecureAuth;
            return this;
        }

        /** Default: a new {@link AuthThrottle} with its defaults and this config's clock. */
        public Builder authThrottle(AuthThrottle authThrottle) {
            this.authThrottle = Objects.requireNonNull(authThrottle, "authThrottle");
            return this;
        }

        /** Offer APOP (RFC 1939 §7); needs {@link AuthProvider#supportsPlainTextPassword()}; default false. */
        public Builder apop(boolean apop) {
            this.apop = apop;
            return this;
        }

        /** Default {@value #DEFAULT_MAX_LINE_LENGTH}; at least {@value #MIN_MAX_LINE_LENGTH}. */
        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = maxLineLength;
            return this;
        }

        /** Default {@value #DEFAULT_MAX_BAD_COMMANDS}. */
        public Builder maxBadCommands(int maxBadCommands) {
            this.maxBadCommands = maxBadCommands;
            return this;
        }

        /** The autologout timer; default 10 minutes (the RFC 1939 minimum; shorter values are for tests). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
            return this;
        }

        /** Default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Hooks that see every command and may answer it differently (test tooling: fault injection). */
        public Builder hooks(Pop3Hooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /**
         * Advertise {@code EXPIRE value} in CAPA: {@code NEVER}, or days such as {@code 30}, optionally followed by
         * {@code " USER"} (sent before login only, RFC 2449 §6.7: after login CAPA shows the value alone). Advertised
         * only: the server itself never deletes mail. Default: not advertised.
         */
        public Builder expire(String value) {
            this.expire = value;
            return this;
        }

        /** Advertise {@code LOGIN-DELAY seconds} in CAPA (advertised only, not enforced). Default: not advertised. */
        public Builder loginDelay(Duration loginDelay) {
            this.loginDelay = loginDelay;
            return this;
        }

        /** Whether retrieved messages get {@code \Seen} on QUIT; default true (as Dovecot). */
        public Builder markSeen(boolean markSeen) {
            this.markSeen = markSeen;
            return this;
        }

        /** The configuration; fails with {@link MailcoreException} when a required value is missing or invalid. */
        public Pop3Config build() {
            return new Pop3Config(this);
        }
    }
}
