package dev.mailcore.smtp.policy;

import dev.mailcore.api.AddressException;
import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.smtp.internal.policy.Domains;
import dev.mailcore.smtp.internal.policy.IpLiterals;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A sendmail-style access table: rules keyed by client ({@code Connect:}), sender ({@code From:}) or recipient
 * ({@code To:}) with an {@link AccessAction} each.
 *
 * <p><b>Phases.</b> {@code Connect:} rules are consulted at {@link #onConnect connect}, {@code From:} rules at
 * {@link #onMailFrom MAIL FROM} and {@code To:} rules at {@link #onRecipient RCPT TO}. In each phase only the
 * <em>most specific</em> matching rule counts, so an {@code OK} for a specific key overrides a {@code REJECT} for a
 * broader one ({@code OK} = accept and stop evaluating access rules for this phase; later policies still run).
 *
 * <p><b>Order of specificity.</b>
 * <ul>
 *   <li>{@code From:} / {@code To:}: the full address ({@code user@example.com}), then the local part ({@code user@}),
 *       then the domain ({@code mail.example.com}) and its parent domains, longest first ({@code example.com},
 *       {@code com}). {@code From:<>} matches the null sender. Keys compare case-insensitively, local parts too.</li>
 *   <li>{@code Connect:}: the exact client IP ({@code 192.0.2.1}, {@code 2001:db8::1} or {@code IPv6:2001:db8::1}),
 *       then the longest matching network ({@code 192.0.2.0/24}, or sendmail's {@code 192.0.2} for a /24), then the
 *       client's host name, then the domains above it, longest first. Host names come from the {@code
 *       reverseLookup} function (which should return a forward-confirmed name); without one, host rules never
 *       match. An IPv4-mapped IPv6 client matches IPv4 rules.</li>
 * </ul>
 *
 * <p><b>File format</b> ({@link Builder#load(Path)}, {@link Builder#parse(String, String)}): one rule per line, a key
 * with its tag, white space, an action; blank lines and lines starting with {@code #} are ignored. Tags and actions
 * are case-insensitive. Every bad line is reported, by number, in one {@link AccessRulesException}; a key defined
 * twice is an error.
 * <pre>
 * # clients
 * Connect:192.0.2.1            REJECT
 * Connect:198.51.100.0/24      RELAY
 * Connect:IPv6:2001:db8::/32   OK
 * Connect:dialup.example.net   ERROR:"554 5.7.1 Dial-up clients must use their provider's relay"
 * # senders
 * From:spammer@example.com     ERROR:"550 5.7.1 Go away"
 * From:example.org             REJECT
 * From:ceo@example.org         OK
 * From:postmaster@             OK
 * From:&lt;&gt;                       OK
 * # recipients
 * To:abuse@example.com         OK
 * To:old.example.com           ERROR:"550 5.1.6 Domain moved"
 * To:busy.example.com          DEFER
 * To:backup.example            RELAY
 * To:trap@example.com          DISCARD
 * </pre>
 *
 * <p>Instances are immutable and thread-safe. For a table that can be reloaded from its file, see
 * {@link ReloadableAccessRules}.
 */
public final class AccessRules implements DeliveryPolicy {
    private static final String NULL_SENDER = "<>";

    private final Map<String, AccessAction> connectIps;
    private final List<Map.Entry<Cidr, AccessAction>> connectNetworks;
    private final Map<String, AccessAction> connectNames;
    private final Map<String, AccessAction> from;
    private final Map<String, AccessAction> to;
    private final Function<InetAddress, Optional<String>> reverseLookup;

    private AccessRules(Builder b) {
        this.connectIps = Map.copyOf(b.connectIps);
        List<Map.Entry<Cidr, AccessAction>> nets = new ArrayList<>(b.connectNetworks.entrySet());
        nets.sort(Comparator.comparingInt((Map.Entry<Cidr, AccessAction> e) -> e.getKey().prefixLength()).reversed());
        this.connectNetworks = List.copyOf(nets);
        this.connectNames = Map.copyOf(b.connectNames);
        this.from = Map.copyOf(b.from);
        this.to = Map.copyOf(b.to);
        this.reverseLookup = b.reverseLookup;
    }

    /** A builder for an empty table with no reverse lookup. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads a table from an access file (UTF-8) without reverse lookups.
     *
     * @throws AccessRulesException if the file cannot be read or has errors
     */
    public static AccessRules load(Path file) {
        return builder().load(file).build();
    }

    /** The number of rules. */
    public int size() {
        return connectIps.size() + connectNetworks.size() + connectNames.size() + from.size() + to.size();
    }

    /** The action of the most specific {@code Connect:} rule for a client, if any. */
    public Optional<AccessAction> lookupConnect(InetAddress client) {
        if (client == null) {
            return Optional.empty();
        }
        InetAddress ip = IpLiterals.normalize(client);
        AccessAction exact = connectIps.get(ip.getHostAddress());
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<Cidr, AccessAction> e : connectNetworks) {
            if (e.getKey().contains(ip)) {
                return Optional.of(e.getValue());
            }
        }
        if (connectNames.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> host = reverseLookup.apply(ip);
        if (host == null || host.isEmpty() || host.get().isBlank()) {
            return Optional.empty();
        }
        for (String name : Domains.selfAndParents(Domains.normalize(host.get()))) {
            AccessAction a = connectNames.get(name);
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The action of the most specific {@code From:} rule for a reverse path, if any. */
    public Optional<AccessAction> lookupFrom(ReversePath sender) {
        if (sender.isNull()) {
            return Optional.ofNullable(from.get(NULL_SENDER));
        }
        return lookupAddress(from, sender.address().orElseThrow());
    }

    /** The action of the most specific {@code To:} rule for a recipient, if any. */
    public Optional<AccessAction> lookupTo(MailAddress recipient) {
        return lookupAddress(to, recipient);
    }

    private static Optional<AccessAction> lookupAddress(Map<String, AccessAction> rules, MailAddress address) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        String local = address.localPart().toLowerCase(Locale.ROOT);
        String domain = address.normalizedDomain();
        AccessAction a = rules.get(local + "@" + domain);
        if (a == null) {
            a = rules.get(local + "@");
        }
        if (a == null) {
            for (String d : Domains.selfAndParents(domain)) {
                a = rules.get(d);
                if (a != null) {
                    break;
                }
            }
        }
        return Optional.ofNullable(a);
    }

    /** Applies the most specific {@code Connect:} rule. */
    @Override
    public Decision onConnect(SessionInfo session) {
        return lookupConnect(session.remote().getAddress()).map(AccessAction::toDecision).orElse(Decision.ACCEPT);
    }

    /** Applies the most specific {@code From:} rule. */
    @Override
    public Decision onMailFrom(SessionInfo session, ReversePath sender, MailParameters parameters) {
        return lookupFrom(sender).map(AccessAction::toDecision).orElse(Decision.ACCEPT);
    }

    /** Applies the most specific {@code To:} rule. */
    @Override
    public Decision onRecipient(SessionInfo session, ReversePath sender, EnvelopeRecipient recipient) {
        return lookupTo(recipient.address()).map(AccessAction::toDecision).orElse(Decision.ACCEPT);
    }

    @Override
    public String toString() {
        return "AccessRules[" + size() + " rules]";
    }

    /** Builds {@link AccessRules} from code, files or text. Not thread-safe. */
    public static final class Builder {
        private final Map<String, AccessAction> connectIps = new HashMap<>();
        private final Map<Cidr, AccessAction> connectNetworks = new HashMap<>();
        private final Map<String, AccessAction> connectNames = new HashMap<>();
        private final Map<String, AccessAction> from = new HashMap<>();
        private final Map<String, AccessAction> to = new HashMap<>();
        private final Map<String, Integer> lineOfKey = new HashMap<>();
        private Function<InetAddress, Optional<String>> reverseLookup = ip -> Optional.empty();

        private Builder() {
        }

        /**
         * Adds a {@code Connect:} rule; a later rule for the same key replaces the earlier one.
         *
         * @param key an IP address, a CIDR network, a partial IPv4 address ({@code 10.1}), a host name or a domain
         * @throws MailcoreException if the key is none of these
         */
        public Builder connect(String key, AccessAction action) {
            addConnect(key, Objects.requireNonNull(action, "action"));
            return this;
        }

        /**
         * Adds a {@code From:} rule; a later rule for the same key replaces the earlier one.
         *
         * @param key an address, {@code user@}, a domain, or {@code <>} for the null sender
         * @throws MailcoreException if the key is none of these
         */
        public Builder from(String key, AccessAction action) {
            from.put(addressKey(key, true), Objects.requireNonNull(action, "action"));
            return this;
        }

        /**
         * Adds a {@code To:} rule; a later rule for the same key replaces the earlier one.
         *
         * @param key an address, {@code user@} or a domain
         * @throws MailcoreException if the key is none of these
         */
        public Builder to(String key, AccessAction action) {
            to.put(addressKey(key, false), Objects.requireNonNull(action, "action"));
            return this;
        }

        /**
         * How to find a client's host name for host and domain {@code Connect:} rules; by default none (those
         * rules never match). Called at most once per connection, only when no IP rule matched.
         */
        public Builder reverseLookup(Function<InetAddress, Optional<String>> reverseLookup) {
            this.reverseLookup = Objects.requireNonNull(reverseLookup, "reverseLookup");
            return this;
        }

        /**
         * Adds the rules of an access file (UTF-8).
         *
         * @throws AccessRulesException if the file cannot be read or has errors (then no rule of it is added)
         */
        public Builder load(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new AccessRulesException(file.toString(), e);
            }
            return parse(text, file.toString());
        }

        /**
         * Adds the rules of access-file text.
         *
         * @param source a name for error messages, such as the file name
         * @throws AccessRulesException if the text has errors (then no rule of it is added)
         */
        public Builder parse(String text, String source) {
            Builder scratch = new Builder();
            List<String> problems = new ArrayList<>();
            String[] lines = text.split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                int lineNo = i + 1;
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int ws = 0;
                while (ws < line.length() && !Character.isWhitespace(line.charAt(ws))) {
                    ws++;
                }
                String key = line.substring(0, ws);
                String actionText = line.substring(ws).strip();
                if (actionText.isEmpty()) {
                    problems.add("line " + lineNo + ": missing action after key '" + key + "'");
                    continue;
                }
                try {
                    AccessAction action = AccessAction.parse(actionText);
                    String canonical = scratch.addTagged(key, action);
                    Integer first = scratch.lineOfKey.putIfAbsent(canonical, lineNo);
                    if (first != null) {
                        problems.add("line " + lineNo + ": duplicate key '" + key + "' (first at line " + first + ")");
                    }
                } catch (MailcoreException e) {
                    problems.add("line " + lineNo + ": " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                throw new AccessRulesException(source, problems);
            }
            connectIps.putAll(scratch.connectIps);
            connectNetworks.putAll(scratch.connectNetworks);
            connectNames.putAll(scratch.connectNames);
            from.putAll(scratch.from);
            to.putAll(scratch.to);
            return this;
        }

        /** The immutable table. */
        public AccessRules build() {
            return new AccessRules(this);
        }

        /** Adds a rule with a tagged key; returns a canonical key for duplicate detection. */
        private String addTagged(String taggedKey, AccessAction action) {
            int colon = taggedKey.indexOf(':');
            String tag = colon < 0 ? "" : taggedKey.substring(0, colon).toLowerCase(Locale.ROOT);
            String key = colon < 0 ? taggedKey : taggedKey.substring(colon + 1);
            switch (tag) {
                case "connect":
                    return "connect:" + addConnect(key, action);
                case "from": {
                    String k = addressKey(key, true);
                    from.put(k, action);
                    return "from:" + k;
                }
                case "to": {
                    String k = addressKey(key, false);
                    to.put(k, action);
                    return "to:" + k;
                }
                default:
                    throw new MailcoreException("key '" + taggedKey + "' needs a Connect:, From: or To: tag");
            }
        }

        private String addConnect(String rawKey, AccessAction action) {
            String key = Objects.requireNonNull(rawKey, "key").trim();
            if (key.isEmpty()) {
                throw new MailcoreException("empty Connect: key");
            }
            if (key.indexOf('/') >= 0) {
                Cidr net = Cidr.parse(key.regionMatches(true, 0, "IPv6:", 0, 5) ? key.substring(5) : key);
                connectNetworks.put(net, action);
                return net.toString();
            }
            Optional<InetAddress> ip = IpLiterals.parse(key);
            if (ip.isPresent()) {
                String k = ip.get().getHostAddress();
                connectIps.put(k, action);
                return k;
            }
            Cidr partial = partialIpv4(key);
            if (partial != null) {
                connectNetworks.put(partial, action);
                return partial.toString();
            }
            String name = Domains.normalize(key);
            if (!Domains.isHostName(name)) {
                throw new MailcoreException("Connect: key '" + key + "' is no IP address, network or host name");
            }
            connectNames.put(name, action);
            return name;
        }

        /** sendmail's {@code 10}, {@code 10.1}, {@code 10.1.2} networks (/8, /16, /24), or null. */
        private static Cidr partialIpv4(String key) {
            String[] parts = key.split("\\.", -1);
            if (parts.length < 1 || parts.length > 3) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < parts.length; i++) {
                Integer v = IpLiterals.octet(parts[i]);
                if (v == null) {
                    return null;
                }
                b[i] = (byte) (int) v;
            }
            return Cidr.of(IpLiterals.byAddress(b), parts.length * 8);
        }

        private static String addressKey(String rawKey, boolean allowNull) {
            String key = Objects.requireNonNull(rawKey, "key").trim();
            if (key.equals(NULL_SENDER)) {
                if (!allowNull) {
                    throw new MailcoreException("<> is only a From: key");
                }
                return NULL_SENDER;
            }
            if (key.startsWith("<") && key.endsWith(">") && key.length() > 2) {
                key = key.substring(1, key.length() - 1);
            }
            if (key.isEmpty()) {
                throw new MailcoreException("empty address key");
            }
            int at = key.lastIndexOf('@');
            if (at == key.length() - 1) {
                String local = key.substring(0, at);
                try {
                    MailAddress.of(local, "example.invalid");
                } catch (AddressException e) {
                    throw new MailcoreException("invalid local part in key '" + rawKey + "': " + e.getMessage());
                }
                return local.toLowerCase(Locale.ROOT) + "@";
            }
            if (at >= 0) {
                try {
                    MailAddress a = MailAddress.parse(key);
                    return a.localPart().toLowerCase(Locale.ROOT) + "@" + a.normalizedDomain();
                } catch (AddressException e) {
                    throw new MailcoreException("invalid address in key '" + rawKey + "': " + e.getMessage());
                }
            }
            String d = key;
            if (d.startsWith("[")) {
                try {
                    return MailAddress.of("x", d).normalizedDomain();
                } catch (AddressException e) {
                    throw new MailcoreException("invalid address literal in key '" + rawKey + "'");
                }
            }
            String n = Domains.normalize(d);
            if (!Domains.isHostName(n)) {
                throw new MailcoreException("key '" + rawKey + "' is no address, user@ or domain");
            }
            return n;
        }
    }
}
