package dev.mailcore.smtp.routing;

import dev.mailcore.api.AddressException;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Resolution;
import dev.mailcore.smtp.internal.routing.Leaf;
import dev.mailcore.smtp.internal.routing.TableParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An immutable {@link RecipientResolver} that routes recipients the way Postfix and sendmail do: local domains with
 * a mailbox directory and {@code /etc/aliases}-style aliases, virtual domains defined by a virtual map, catch-alls,
 * domain rewrites, sub-addressing ({@code user+tag}), an always-reachable postmaster and an optional
 * unknown-recipient mailbox. Made by {@link #builder()}.
 *
 * <h2>Domains</h2>
 * An address is <em>ours</em> when its domain (compared case-insensitively and, for an IDN, in A-label form) is a
 * {@linkplain Builder#localDomain local domain}, a {@linkplain Builder#virtualDomain virtual domain}, or appears in
 * any rule: the key of a virtual entry or of a full-address alias, a catch-all, the source of a domain rewrite or
 * an unknown-recipient rule (such a domain counts as a virtual domain). Every other address is
 * {@link Resolution.Remote} and relay rules decide. Mailboxes are looked up, and aliases named by a bare local
 * part apply, only in local domains; the addresses of a virtual domain are all defined by the rules.
 *
 * <h2>Order of the rules for {@code local@domain}</h2>
 * <ol>
 *   <li>a virtual entry (or full-address alias) for exactly this address;</li>
 *   <li>in a local domain: an alias named by the local part;</li>
 *   <li>a domain rewrite of the domain: {@code local@newdomain} is resolved again;</li>
 *   <li>in a local domain: the mailbox lookup (local parts compared case-insensitively unless
 *       {@link Builder#caseSensitiveLocalParts(boolean)});</li>
 *   <li>sub-addressing: {@code user+tag} falls back to {@code user} (the envelope keeps the original address, so
 *       filters can still read the tag with {@link #subaddressTag(MailAddress, String)});</li>
 *   <li>{@code postmaster} (any case): the {@linkplain Builder#postmaster postmaster target}, else the alias named
 *       {@code postmaster}, else the mailbox {@code postmaster@} a local domain (in declaration order), else the first
 *       of the {@linkplain Builder#knownUsers known users} in that domain, else the first known user;</li>
 *   <li>the domain's catch-all;</li>
 *   <li>the domain's unknown-recipient mailbox;</li>
 *   <li>otherwise {@link Resolution.Unknown} (550 5.1.1).</li>
 * </ol>
 * Unlike a Postfix virtual {@code @domain} entry, a catch-all never shadows an existing mailbox or entry.
 *
 * <h2>Expansion</h2>
 * Targets and alias members are addresses, or bare names: a bare name is an alias when one has that name, else a
 * local part in the domain of the recipient being expanded (when that is a local domain) or else in the first local
 * domain (like Postfix's {@code $myorigin}). Expansion is depth first and every alias and virtual entry is expanded
 * once, at {@link Builder#build()}; a loop there is a configuration error, except that a rule naming itself
 * directly ({@code bob: bob, bob@elsewhere.net}, or a virtual entry listing its own address, as Postfix allows)
 * means the mailbox of that address: "keep a copy". A member written {@code \bob} (as in {@code aliases(5)}) also
 * means the mailbox {@code bob} without alias expansion. Each user and each forward appears once
 * in the result however many paths reach it. A member in one of our domains that resolves to nothing is skipped and
 * logged (Postfix would bounce that member; here the other members still receive the message); a recipient whose
 * expansion yields nothing is {@link Resolution.Unknown}. The result is {@link Resolution.Local} when all ends are
 * local users, {@link Resolution.Expanded} when at least one end is a remote address. At resolve time a depth limit
 * of {@value #MAX_DEPTH} guards against loops that only arise through mailbox-dependent rules (catch-alls).
 *
 * <p>{@link #resolve(MailAddress)} does hash lookups only (plus the host's mailbox lookup) and never throws for a
 * valid address, unless the host's mailbox function throws.
 */
public final class Router implements RecipientResolver {
    /** The maximum nesting of rules followed while resolving one recipient. */
    public static final int MAX_DEPTH = 20;

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final String POSTMASTER = "postmaster";

    private final Function<MailAddress, Optional<String>> mailboxes;
    private final boolean caseSensitive;
    private final List<String> localDomains;
    private final Set<String> localDomainSet;
    private final Set<String> ourDomains;
    private final Map<String, List<Leaf>> entries;
    private final Map<String, List<Leaf>> aliases;
    private final Map<String, String> rewrites;
    private final Map<String, List<Leaf>> catchAlls;
    private final Map<String, List<Leaf>> unknownTargets;
    private final List<Leaf> postmaster;
    private final String separator;
    private final Supplier<? extends Collection<String>> knownUsers;

    private Router(Compiled c) {
        this.mailboxes = c.mailboxes;
        this.caseSensitive = c.caseSensitive;
        this.localDomains = List.copyOf(c.local);
        this.localDomainSet = Set.copyOf(c.local);
        this.ourDomains = Set.copyOf(c.ours);
        this.entries = Map.copyOf(c.entriesFlat);
        this.aliases = Map.copyOf(c.aliasesFlat);
        this.rewrites = Map.copyOf(c.rewrites);
        this.catchAlls = Map.copyOf(c.catchAllFlat);
        this.unknownTargets = Map.copyOf(c.unknownFlat);
        this.postmaster = c.postmasterFlat;
        this.separator = c.separator;
        this.knownUsers = c.knownUsers;
    }

    /** A new builder with no domains, no mailboxes, sub-addressing with {@code +} and non-strict postmaster. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sub-address (the "tag") of an address: what follows the first separator character in the local part, as
     * Postfix's {@code recipient_delimiter} defines it (every character of {@code separator} is a separator; a
     * separator in the first position does not count).
     *
     * @param address   the address, usually the original envelope recipient
     * @param separator the separator characters; empty or {@code null} means no sub-addressing
     * @return the tag (possibly empty for {@code user+@d}), or empty when the address has none
     */
    public static Optional<String> subaddressTag(MailAddress address, String separator) {
        String local = address.localPart();
        int i = separatorIndex(local, separator);
        return i < 0 ? Optional.empty() : Optional.of(local.substring(i + 1));
    }

    private static int separatorIndex(String local, String separator) {
        if (separator == null || separator.isEmpty()) {
            return -1;
        }
        for (int i = 1; i < local.length(); i++) {
            if (separator.indexOf(local.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The configured sub-address separator characters ({@code ""} when sub-addressing is off). */
    public String plusSeparator() {
        return separator;
    }

    /** Whether the address's domain is one of ours (local, virtual, or named by a rule). */
    public boolean isOurDomain(MailAddress address) {
        return ourDomains.contains(address.normalizedDomain());
    }

    @Override
    public Resolution resolve(MailAddress recipient) {
        if (!ourDomains.contains(recipient.normalizedDomain())) {
            return Resolution.REMOTE;
        }
        Acc acc = new Acc();
        resolveAddress(recipient, acc, 0);
        if (acc.forwards.isEmpty()) {
            if (acc.users.isEmpty()) {
                return Resolution.UNKNOWN;
            }
            return new Resolution.Local(new ArrayList<>(acc.users));
        }
        return new Resolution.Expanded(new ArrayList<>(acc.users), new ArrayList<>(acc.forwards));
    }

    private static final class Acc {
        final Set<String> users = new LinkedHashSet<>();
        final Set<MailAddress> forwards = new LinkedHashSet<>();
        final Set<String> seen = new HashSet<>();
    }

    /** Applies the rules to one address; false when no rule matched it. */
    private boolean resolveAddress(MailAddress a, Acc acc, int depth) {
        if (depth > MAX_DEPTH) {
            log.warn("routing of {} exceeds {} nested rules; check the configuration for a loop", a, MAX_DEPTH);
            return false;
        }
        String domain = a.normalizedDomain();
        if (!ourDomains.contains(domain)) {
            acc.forwards.add(a);
            return true;
        }
        String key = key(a.localPart(), domain);
        if (!acc.seen.add(key)) {
            return true; // already expanded for this recipient: one copy only
        }
        List<Leaf> leaves = entries.get(key);
        if (leaves != null) {
            apply(leaves, null, a, acc, depth);
            return true;
        }
        boolean local = localDomainSet.contains(domain);
        if (local) {
            leaves = aliases.get(fold(a.localPart()));
            if (leaves != null) {
                apply(leaves, domain, a, acc, depth);
                return true;
            }
        }
        String rewritten = rewrites.get(domain);
        if (rewritten != null) {
            MailAddress next = address(a.localPart(), rewritten);
            return next != null && resolveAddress(next, acc, depth + 1);
        }
        if (local) {
            Optional<String> user = lookupMailbox(a);
            if (user.isPresent()) {
                acc.users.add(user.get());
                return true;
            }
        }
        int sep = separatorIndex(a.localPart(), separator);
        if (sep > 0) {
            MailAddress base = address(a.localPart().substring(0, sep), a.domain());
            if (base != null) {
                return resolveAddress(base, acc, depth + 1);
            }
        }
        if (a.localPart().equalsIgnoreCase(POSTMASTER) && postmaster(domain, a, acc, depth)) {
            return true;
        }
        leaves = catchAlls.get(domain);
        if (leaves == null) {
            leaves = unknownTargets.get(domain);
        }
        if (leaves != null) {
            apply(leaves, null, a, acc, depth);
            return true;
        }
        return false;
    }

    private boolean postmaster(String domain, MailAddress a, Acc acc, int depth) {
        String context = localDomainSet.contains(domain) ? domain : localDomains.isEmpty() ? null
                : localDomains.get(0);
        if (postmaster != null) {
            apply(postmaster, context, a, acc, depth);
            return true;
        }
        List<Leaf> alias = aliases.get(POSTMASTER);
        if (alias != null && context != null) {
            apply(alias, context, a, acc, depth);
            return true;
        }
        for (String d : localDomains) {
            if (!d.equals(domain)) {
                Optional<String> user = lookupMailbox(MailAddress.of(POSTMASTER, d));
                if (user.isPresent()) {
                    acc.users.add(user.get());
                    return true;
                }
            }
        }
        if (knownUsers != null) {
            Collection<String> users;
            try {
                users = knownUsers.get();
            } catch (RuntimeException e) {
                log.warn("the known-users supplier failed while looking for a postmaster for {}", domain, e);
                return false;
            }
            String first = null;
            for (String user : users == null ? List.<String>of() : users) {
                if (first == null) {
                    first = user;
                }
                if (domain.equals(domainOfUser(user))) {
                    acc.users.add(user);
                    return true;
                }
            }
            if (first != null) {
                acc.users.add(first);
                return true;
            }
        }
        return false;
    }

    private static String domainOfUser(String user) {
        int at = user.lastIndexOf('@');
        if (at < 0 || at == user.length() - 1) {
            return null;
        }
        try {
            return MailAddress.of("x", user.substring(at + 1)).normalizedDomain();
        } catch (AddressException e) {
            return null;
        }
    }

    private void apply(List<Leaf> leaves, String context, MailAddress recipient, Acc acc, int depth) {
        for (Leaf leaf : leaves) {
            if (leaf instanceof Leaf.Forward) {
                acc.forwards.add(((Leaf.Forward) leaf).address());
                continue;
            }
            if (leaf instanceof Leaf.Mailbox) {
                Leaf.Mailbox m = (Leaf.Mailbox) leaf;
                String domain = m.domain() != null ? m.domain() : context;
                MailAddress target = domain == null ? null : address(m.localPart(), domain);
                Optional<String> user = target != null && localDomainSet.contains(target.normalizedDomain())
                        ? lookupMailbox(target) : Optional.empty();
                if (user.isPresent()) {
                    acc.users.add(user.get());
                } else {
                    log.warn("skipping the mailbox member {} of the expansion of {}: no such mailbox",
                            m.localPart(), recipient);
                }
                continue;
            }
            MailAddress target;
            if (leaf instanceof Leaf.Lookup) {
                target = ((Leaf.Lookup) leaf).address();
            } else {
                String localPart = ((Leaf.InContext) leaf).localPart();
                target = context == null ? null : address(localPart, context);
                if (target == null) {
                    log.warn("skipping member {} of the expansion of {}: no local domain to resolve it in",
                            localPart, recipient);
                    continue;
                }
            }
            if (!resolveAddress(target, acc, depth + 1)) {
                log.warn("skipping member {} of the expansion of {}: no such mailbox", target, recipient);
            }
        }
    }

    private Optional<String> lookupMailbox(MailAddress a) {
        Optional<String> user = nonNull(mailboxes.apply(a));
        if (user.isEmpty() && !caseSensitive) {
            String lower = a.localPart().toLowerCase(Locale.ROOT);
            if (!lower.equals(a.localPart())) {
                MailAddress folded = address(lower, a.domain());
                if (folded != null) {
                    user = nonNull(mailboxes.apply(folded));
                }
            }
        }
        return user;
    }

    private static Optional<String> nonNull(Optional<String> o) {
        return o == null ? Optional.empty() : o;
    }

    private static MailAddress address(String localPart, String domain) {
        try {
            return MailAddress.of(localPart, domain);
        } catch (AddressException e) {
            return null;
        }
    }

    private String fold(String localPart) {
        return caseSensitive ? localPart : localPart.toLowerCase(Locale.ROOT);
    }

    private String key(String localPart, String normalizedDomain) {
        return fold(localPart) + "@" + normalizedDomain;
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * Collects the routing rules. Every method validates its arguments at once and throws {@link MailcoreException}
     * for an invalid address or domain; {@link #build()} checks the rules as a whole (loops, strict postmaster).
     * A rule given again for the same key replaces the earlier one. A builder can be used for several builds.
     */
    public static final class Builder {
        private Function<MailAddress, Optional<String>> mailboxes = a -> Optional.empty();
        private boolean caseSensitive;
        private final Set<String> local = new LinkedHashSet<>();
        private final Set<String> virtualDomains = new LinkedHashSet<>();
        private final Map<MailAddress, List<String>> entries = new LinkedHashMap<>();
        private final Map<String, List<String>> aliases = new LinkedHashMap<>();
        private final Map<String, List<String>> catchAlls = new LinkedHashMap<>();
        private final Map<String, String> rewrites = new LinkedHashMap<>();
        private final Map<String, List<String>> unknownTargets = new LinkedHashMap<>();
        private List<String> postmasterTargets;
        private boolean strictPostmaster;
        private String separator = "+";
        private Supplier<? extends Collection<String>> knownUsers;

        private Builder() {
        }

        /**
         * The host's mailbox directory: address to canonical store user (the server passes its user directory). It
         * is called at resolve time for addresses in local domains, so users added later are found without a
         * rebuild. Without it no address is a mailbox.
         */
        public Builder mailboxes(Function<MailAddress, Optional<String>> lookup) {
            this.mailboxes = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * Whether local parts are compared case-sensitively (default {@code false}: like Postfix, {@code Bob@} and
         * {@code bob@} are the same, in rules and in the mailbox lookup, which is retried in lower case).
         * {@code postmaster} is always case-insensitive (RFC 5321 §4.5.1).
         */
        public Builder caseSensitiveLocalParts(boolean caseSensitive) {
            this.caseSensitive = caseSensitive;
            return this;
        }

        /** Domains delivered locally, like sendmail's {@code local-host-names} or Postfix's {@code mydestination}. */
        public Builder localDomain(String... domains) {
            for (String d : domains) {
                local.add(domain(d));
            }
            return this;
        }

        /** A domain whose addresses are all defined by virtual entries and its catch-all (no mailbox lookup). */
        public Builder virtualDomain(String domain) {
            virtualDomains.add(domain(domain));
            return this;
        }

        /**
         * A virtual map entry (sendmail {@code virtusertable}, Postfix {@code virtual(5)}): mail for {@code address}
         * goes to the targets, which are addresses (ours are resolved further, others forwarded) or bare names
         * (aliases or local parts, see the class description). As in {@code virtual(5)}, an {@code address} of the
         * form {@code @domain} is a {@linkplain #catchAll catch-all}, and {@code @domain} with the single target
         * {@code @other} a {@linkplain #domainRewrite domain rewrite}.
         */
        public Builder virtual(String address, String... targets) {
            Objects.requireNonNull(address, "address");
            if (address.startsWith("@")) {
                if (targets != null && targets.length == 1 && targets[0] != null && targets[0].startsWith("@")) {
                    return domainRewrite(address, targets[0]);
                }
                return catchAll(address, targets);
            }
            entries.put(parse(address), targets(targets));
            return this;
        }

        /**
         * Every otherwise unknown address of {@code domain} ({@code example.org} or {@code @example.org}) goes to the
         * targets. It applies after entries, aliases, mailboxes and sub-addressing, so it never shadows them.
         */
        public Builder catchAll(String domain, String... targets) {
            catchAlls.put(domain(domain), targets(targets));
            return this;
        }

        /** {@code user@from} is resolved as {@code user@to} (after any exact entry for {@code user@from}). */
        public Builder domainRewrite(String from, String to) {
            rewrites.put(domain(from), domain(to));
            return this;
        }

        /**
         * An alias, like a line of {@code /etc/aliases}: {@code name} is a local part, valid in every local domain,
         * or a full address (then it acts as a virtual entry); members are local parts, addresses or other aliases,
         * nested to any depth; a member naming the alias itself, or written {@code \name}, is the mailbox of that
         * name. Pipes, files and {@code :include:} are not supported.
         */
        public Builder alias(String name, String... members) {
            Objects.requireNonNull(name, "name");
            List<String> list = targets(members);
            if (name.indexOf('@') >= 0) {
                entries.put(parse(name), list);
            } else {
                checkLocalPart(name);
                aliases.put(name, list);
            }
            return this;
        }

        /**
         * The sub-address separator characters (default {@code "+"}; every character counts, as in Postfix's
         * {@code recipient_delimiter}; {@code ""} disables sub-addressing).
         */
        public Builder plusSeparator(String separator) {
            Objects.requireNonNull(separator, "separator");
            for (int i = 0; i < separator.length(); i++) {
                char c = separator.charAt(i);
                if (c <= ' ' || c >= 127 || c == '@' || c == '"' || c == '\\') {
                    throw new MailcoreException("invalid sub-address separator '" + separator + "'");
                }
            }
            this.separator = separator;
            return this;
        }

        /** Where {@code postmaster@} each of our domains goes when no entry, alias or mailbox of its own exists. */
        public Builder postmaster(String target) {
            this.postmasterTargets = targets(new String[] {target});
            return this;
        }

        /**
         * Strict mode: {@link #build()} fails when {@code postmaster@} one of our domains would not resolve (RFC
         * 5321 §4.5.1 requires it). Default {@code false}: such a domain only gets a warning in the log.
         */
        public Builder requirePostmaster(boolean strict) {
            this.strictPostmaster = strict;
            return this;
        }

        /**
         * The directory's canonical user names in a stable order (for example {@code users::names}); used only as the
         * last postmaster fallback: the first user of the recipient's domain, else the first user.
         */
        public Builder knownUsers(Supplier<? extends Collection<String>> users) {
            this.knownUsers = Objects.requireNonNull(users, "users");
            return this;
        }

        /**
         * Unknown addresses of {@code domain} are delivered to {@code target} (an admin mailbox) instead of being
         * rejected, like Postfix's {@code luser_relay}. A catch-all of the same domain takes precedence.
         */
        public Builder unknownRecipient(String domain, String target) {
            unknownTargets.put(domain(domain), targets(new String[] {target}));
            return this;
        }

        /**
         * Adds the aliases of an {@code aliases(5)} file: {@code name: member, member}, continuation lines start
         * with white space, {@code #} starts a comment line, names may be quoted. Read now, not at {@link #build()}.
         *
         * @throws MailcoreException naming the file and line of the first error, or when the file cannot be read
         */
        public Builder loadAliases(Path file) {
            TableParser.parseAliases(file, (name, members) -> alias(name, members.toArray(String[]::new)));
            return this;
        }

        /**
         * Adds the entries of a Postfix {@code virtual(5)} file: {@code user@domain target, target} (a virtual entry),
         * {@code @domain target} (a catch-all), {@code @old @new} (a domain rewrite) and a bare {@code domain} with
         * anything or nothing after it (declares a virtual domain). Same line rules as {@link #loadAliases(Path)}.
         *
         * @throws MailcoreException naming the file and line of the first error, or when the file cannot be read
         */
        public Builder loadVirtual(Path file) {
            TableParser.parseVirtual(file, (pattern, targets) -> {
                if (pattern.indexOf('@') < 0) {
                    virtualDomain(pattern);
                } else if (targets.isEmpty()) {
                    throw new MailcoreException("no target for " + pattern);
                } else {
                    virtual(pattern, targets.toArray(String[]::new));
                }
            });
            return this;
        }

        /**
         * Checks the rules and precomputes every expansion.
         *
         * @throws MailcoreException for a loop (naming its path), a domain both local and virtual, a bare member
         *                           without any local domain, or a postmaster that does not resolve in strict mode
         */
        public Router build() {
            Router router = new Router(new Compiled(this));
            List<String> missing = new ArrayList<>();
            try {
                for (String d : router.ourDomains) {
                    MailAddress pm = address(POSTMASTER, d);
                    if (pm != null && router.resolve(pm) instanceof Resolution.Unknown) {
                        missing.add(d);
                    }
                }
            } catch (RuntimeException e) { // the host's directory failed
                if (strictPostmaster) {
                    throw new MailcoreException("cannot check the postmaster addresses: " + e.getMessage(), e);
                }
                log.warn("cannot check the postmaster addresses", e);
            }
            if (!missing.isEmpty()) {
                missing.sort(null);
                String text = "postmaster does not resolve in " + String.join(", ", missing)
                        + " (RFC 5321 §4.5.1); set postmaster(target), an alias or a postmaster mailbox";
                if (strictPostmaster) {
                    throw new MailcoreException(text);
                }
                log.warn(text);
            }
            return router;
        }

        private static String domain(String d) {
            Objects.requireNonNull(d, "domain");
            String bare = d.startsWith("@") ? d.substring(1) : d;
            try {
                return MailAddress.of("x", bare).normalizedDomain();
            } catch (AddressException e) {
                throw new MailcoreException("invalid domain '" + d + "': " + e.getMessage(), e);
            }
        }

        private static MailAddress parse(String address) {
            Objects.requireNonNull(address, "address");
            try {
                return MailAddress.parse(address);
            } catch (AddressException e) {
                throw new MailcoreException("invalid address '" + address + "': " + e.getMessage(), e);
            }
        }

        private static void checkLocalPart(String name) {
            try {
                MailAddress.of(name, "localhost");
            } catch (AddressException e) {
                throw new MailcoreException("invalid name '" + name + "': " + e.getMessage(), e);
            }
        }

        private static List<String> targets(String[] targets) {
            if (targets == null || targets.length == 0) {
                throw new MailcoreException("a rule needs at least one target");
            }
            List<String> list = new ArrayList<>(targets.length);
            for (String t : targets) {
                if (t == null || t.isBlank()) {
                    throw new MailcoreException("empty target");
                }
                String target = t.strip();
                String checked = target.startsWith("\\") ? target.substring(1) : target;
                if (checked.startsWith("|") || checked.startsWith("/") || checked.startsWith(":include:")) {
                    throw new MailcoreException("unsupported target '" + target
                            + "': pipes, files and :include: are not supported");
                }
                if (checked.indexOf('@') >= 0) {
                    parse(checked);
                } else {
                    checkLocalPart(checked);
                }
                list.add(target);
            }
            return List.copyOf(list);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** The rules of a builder, normalised and expanded. */
    private static final class Compiled {
        final Function<MailAddress, Optional<String>> mailboxes;
        final boolean caseSensitive;
        final List<String> local;
        final Set<String> ours = new HashSet<>();
        final Map<String, List<String>> entryTargets = new LinkedHashMap<>();
        final Map<String, String> entryDisplay = new HashMap<>();
        final Map<String, List<String>> aliasTargets = new LinkedHashMap<>();
        final Map<String, String> rewrites;
        final String separator;
        final Supplier<? extends Collection<String>> knownUsers;

        final Map<String, List<Leaf>> entriesFlat = new HashMap<>();
        final Map<String, List<Leaf>> aliasesFlat = new HashMap<>();
        final Map<String, List<Leaf>> catchAllFlat = new HashMap<>();
        final Map<String, List<Leaf>> unknownFlat = new HashMap<>();
        List<Leaf> postmasterFlat;

        private final Map<String, List<Leaf>> memo = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<String> path = new ArrayList<>();

        Compiled(Builder b) {
            mailboxes = b.mailboxes;
            caseSensitive = b.caseSensitive;
            local = List.copyOf(b.local);
            separator = b.separator;
            knownUsers = b.knownUsers;
            for (String d : b.virtualDomains) {
                if (b.local.contains(d)) {
                    throw new MailcoreException("domain " + d + " is declared both local and virtual");
                }
            }
            ours.addAll(b.local);
            ours.addAll(b.virtualDomains);
            for (Map.Entry<MailAddress, List<String>> e : b.entries.entrySet()) {
                String key = key(e.getKey());
                entryTargets.put(key, e.getValue());
                entryDisplay.put(key, e.getKey().toString());
                ours.add(e.getKey().normalizedDomain());
            }
            for (Map.Entry<String, List<String>> e : b.aliases.entrySet()) {
                aliasTargets.put(fold(e.getKey()), e.getValue());
            }
            ours.addAll(b.catchAlls.keySet());
            ours.addAll(b.rewrites.keySet());
            ours.addAll(b.unknownTargets.keySet());
            rewrites = new LinkedHashMap<>(b.rewrites);
            checkRewriteLoops();

            for (String key : entryTargets.keySet()) {
                String domain = key.substring(key.lastIndexOf('@') + 1);
                entriesFlat.put(key, node("entry:" + key, entryDisplay.get(key), entryTargets.get(key),
                        staticContext(domain)));
            }
            for (String name : aliasTargets.keySet()) {
                aliasesFlat.put(name, node("alias:" + name, name, aliasTargets.get(name), null));
            }
            for (Map.Entry<String, List<String>> e : b.catchAlls.entrySet()) {
                catchAllFlat.put(e.getKey(), node("catchall:" + e.getKey(), "@" + e.getKey(), e.getValue(),
                        staticContext(e.getKey())));
            }
            for (Map.Entry<String, List<String>> e : b.unknownTargets.entrySet()) {
                unknownFlat.put(e.getKey(), node("unknown:" + e.getKey(), "unknown@" + e.getKey(), e.getValue(),
                        staticContext(e.getKey())));
            }
            if (b.postmasterTargets != null) {
                postmasterFlat = node("postmaster", "postmaster", b.postmasterTargets, null);
            }
        }

        private String fold(String localPart) {
            return caseSensitive ? localPart : localPart.toLowerCase(Locale.ROOT);
        }

        private String key(MailAddress a) {
            return fold(a.localPart()) + "@" + a.normalizedDomain();
        }

        /** The domain bare names of a rule for {@code domain} resolve in: itself if local, else the first local. */
        private String staticContext(String domain) {
            if (local.contains(domain)) {
                return domain;
            }
            return local.isEmpty() ? null : local.get(0);
        }

        private void checkRewriteLoops() {
            for (String start : rewrites.keySet()) {
                List<String> seen = new ArrayList<>();
                String d = start;
                while (d != null) {
                    int i = seen.indexOf(d);
                    if (i >= 0) {
                        List<String> loop = new ArrayList<>(seen.subList(i, seen.size()));
                        loop.add(d);
                        throw new MailcoreException("domain rewrite loop: " + String.join(" -> ", loop));
                    }
                    seen.add(d);
                    d = rewrites.get(d);
                }
            }
        }

        /** Expands the targets of one rule, with loop detection; {@code context} null means "decided at resolve". */
        private List<Leaf> node(String id, String display, List<String> targets, String context) {
            String memoKey = id + "\u0000" + (context == null ? "" : context);
            List<Leaf> done = memo.get(memoKey);
            if (done != null) {
                return done;
            }
            int onStack = stack.indexOf(memoKey);
            if (onStack >= 0) {
                List<String> loop = new ArrayList<>(path);
                loop.add(display);
                throw new MailcoreException("alias loop: " + String.join(" -> ", loop));
            }
            stack.add(memoKey);
            path.add(display);
            Set<Leaf> out = new LinkedHashSet<>();
            for (String target : targets) {
                member(target, context, out);
            }
            stack.remove(stack.size() - 1);
            path.remove(path.size() - 1);
            List<Leaf> result = List.copyOf(out);
            memo.put(memoKey, result);
            return result;
        }

        private void member(String target, String context, Set<Leaf> out) {
            boolean direct = target.startsWith("\\");
            if (direct) {
                target = target.substring(1);
            }
            if (target.indexOf('@') >= 0) {
                MailAddress a = MailAddress.parse(target);
                if (direct) {
                    out.add(new Leaf.Mailbox(a.localPart(), a.domain()));
                } else {
                    address(a, target, out);
                }
                return;
            }
            List<String> alias = aliasTargets.get(fold(target));
            if (direct || alias != null && currentId().equals("alias:" + fold(target))) {
                out.add(new Leaf.Mailbox(target, context));
            } else if (alias != null) {
                out.addAll(node("alias:" + fold(target), target, alias, context));
            } else if (context != null) {
                address(MailAddress.of(target, context), target, out);
            } else if (local.isEmpty()) {
                throw new MailcoreException("the bare name '" + target
                        + "' is no alias and there is no local domain to resolve it in");
            } else {
                out.add(new Leaf.InContext(target));
            }
        }

        /** The rule being expanded, without its context: a reference to it from inside is a "keep a copy". */
        private String currentId() {
            String top = stack.get(stack.size() - 1);
            return top.substring(0, top.indexOf('\u0000'));
        }

        private void address(MailAddress a, String written, Set<Leaf> out) {
            String display = written;
            while (true) {
                String domain = a.normalizedDomain();
                if (!ours.contains(domain)) {
                    out.add(new Leaf.Forward(a));
                    return;
                }
                String key = key(a);
                List<String> entry = entryTargets.get(key);
                String aliasName = local.contains(domain) ? fold(a.localPart()) : null;
                List<String> alias = aliasName == null ? null : aliasTargets.get(aliasName);
                String id = entry != null ? "entry:" + key : alias != null ? "alias:" + aliasName : null;
                if (id != null && id.equals(currentId())) {
                    out.add(new Leaf.Mailbox(a.localPart(), a.domain()));
                    return;
                }
                if (entry != null) {
                    out.addAll(node(id, display, entry, staticContext(domain)));
                    return;
                }
                if (alias != null) {
                    out.addAll(node(id, display, alias, domain));
                    return;
                }
                String rewritten = rewrites.get(domain);
                if (rewritten == null) {
                    out.add(new Leaf.Lookup(a));
                    return;
                }
                a = MailAddress.of(a.localPart(), rewritten);
                display = display + " -> " + a;
            }
        }
    }
}
