package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@link AccessRules} read from an access file that can be {@link #reload() reloaded} while the server runs (for
 * example on SIGHUP or from an admin command). A reload swaps the whole table atomically: each SMTP phase sees
 * either the old or the new rules, never a mix. When the new file cannot be read or has errors, the old rules stay
 * in force and {@link #reload()} throws.
 */
public final class ReloadableAccessRules implements DeliveryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadableAccessRules.class);

    private final Path file;
    private final Function<InetAddress, Optional<String>> reverseLookup;
    private final AtomicReference<AccessRules> current = new AtomicReference<>();

    private ReloadableAccessRules(Path file, Function<InetAddress, Optional<String>> reverseLookup) {
        this.file = file;
        this.reverseLookup = reverseLookup;
        current.set(read());
    }

    /**
     * Loads {@code file} now, without reverse lookups.
     *
     * @throws AccessRulesException if the file cannot be read or has errors
     */
    public static ReloadableAccessRules load(Path file) {
        return load(file, ip -> Optional.empty());
    }

    /**
     * Loads {@code file} now; host and domain {@code Connect:} rules use {@code reverseLookup}.
     *
     * @throws AccessRulesException if the file cannot be read or has errors
     */
    public static ReloadableAccessRules load(Path file, Function<InetAddress, Optional<String>> reverseLookup) {
        return new ReloadableAccessRules(Objects.requireNonNull(file, "file"),
                Objects.requireNonNull(reverseLookup, "reverseLookup"));
    }

    /**
     * Reads the file again and, if it is valid, makes it the table in force.
     *
     * @return the new table
     * @throws AccessRulesException if the file cannot be read or has errors; the previous rules stay in force
     */
    public AccessRules reload() {
        AccessRules next;
        try {
            next = read();
        } catch (AccessRulesException e) {
            LOG.warn("keeping the previous access rules: {}", e.getMessage());
            throw e;
        }
        current.set(next);
        LOG.info("loaded {} access rules from {}", next.size(), file);
        return next;
    }

    /** The table in force. */
    public AccessRules current() {
        return current.get();
    }

    /** The access file. */
    public Path file() {
        return file;
    }

    private AccessRules read() {
        return AccessRules.builder().reverseLookup(reverseLookup).load(file).build();
    }

    @Override
    public Decision onConnect(SessionInfo session) {
        return current.get().onConnect(session);
    }

    @Override
    public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
        return current.get().onMailFrom(session, from, parameters);
    }

    @Override
    public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
        return current.get().onRecipient(session, from, recipient);
    }

    @Override
    public String toString() {
        return "ReloadableAccessRules[" + file + ", " + current.get() + "]";
    }
}
