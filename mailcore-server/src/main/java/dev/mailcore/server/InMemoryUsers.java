package dev.mailcore.server;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.auth.ScramCredential;
import dev.mailcore.netty.sasl.ScramSha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe in-memory user directory and {@link AuthProvider}: each user is a mail address with a password.
 * Users log in with their full address (case-insensitive); the canonical user name, which owns the mailboxes in the
 * store, is the address with its domain in lower case. It supports every SASL mechanism mailcore has: PLAIN and
 * LOGIN, CRAM-MD5 (it knows the clear-text password) and SCRAM-SHA-256 (a user's credential is derived, with a fresh
 * random salt, the first time it is asked for, so that adding many users, or starting a server, costs no key
 * derivation).
 */
public final class InMemoryUsers implements AuthProvider {
    private static final int SCRAM_ITERATIONS = 4096;

    private final class Entry {
        private final String user;
        private final String password;
        private ScramCredential scram;

        Entry(String user, String password) {
            this.user = user;
            this.password = password;
        }

        String user() {
            return user;
        }

        String password() {
            return password;
        }

        synchronized ScramCredential scram() {
            if (scram == null) {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                scram = ScramSha256.credential(user, password, salt, SCRAM_ITERATIONS);
            }
            return scram;
        }
    }

    private final Map<String, Entry> users = new ConcurrentHashMap<>();
    private final java.util.Set<String> domains = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    /**
     * Adds or replaces a user.
     *
     * @param address  the user's mail address, also the login name
     * @param password the password
     * @return the canonical user name
     */
    public String add(String address, String password) {
        MailAddress parsed = MailAddress.parse(address);
        String user = parsed.localPart() + "@" + parsed.normalizedDomain();
        users.put(key(user), new Entry(user, password));
        domains.add(parsed.normalizedDomain());
        return user;
    }

    /** Removes a user; their mail stays in the store. */
    public void remove(String address) {
        users.remove(key(address));
    }

    /** The canonical name of the user with this address, if there is one. */
    public Optional<String> lookup(MailAddress address) {
        Entry e = users.get(key(address.localPart() + "@" + address.normalizedDomain()));
        return e == null ? Optional.empty() : Optional.of(e.user());
    }

    /** All canonical user names. */
    public Collection<String> names() {
        return users.values().stream().map(Entry::user).sorted().toList();
    }

    /** The domains users were added in (lower case, A-labels); a domain stays after its last user is removed. */
    public List<String> domains() {
        return domains.stream().sorted().toList();
    }

    /** Whether a user was ever added in this domain (given in normalised form, see MailAddress#normalizedDomain). */
    public boolean hasDomain(String normalizedDomain) {
        return domains.contains(normalizedDomain);
    }

    @Override
    public AuthResult verifyPassword(String username, String password) {
        Entry e = users.get(key(username));
        if (e == null) {
            return AuthResult.FAILURE;
        }
        boolean same = MessageDigest.isEqual(e.password().getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        return same ? new AuthResult.Success(e.user()) : AuthResult.FAILURE;
    }

    @Override
    public boolean supportsPlainTextPassword() {
        return true;
    }

    @Override
    public Optional<PlainTextSecret> plainTextPassword(String username) {
        Entry e = users.get(key(username));
        return e == null ? Optional.empty() : Optional.of(new PlainTextSecret(e.user(), e.password()));
    }

    @Override
    public boolean supportsScramSha256() {
        return true;
    }

    @Override
    public Optional<ScramCredential> scramSha256(String username) {
        Entry e = users.get(key(username));
        return e == null ? Optional.empty() : Optional.of(e.scram());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
