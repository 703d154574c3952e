package dev.mailcore.smtp.routing;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Resolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link RecipientResolver} whose {@link Router} can be rebuilt at run time, for example after the aliases or
 * virtual file changed (the equivalent of {@code newaliases} / {@code postmap} without a restart). The factory is
 * called again on {@link #reload()}; files loaded with {@link Router.Builder#loadAliases} or
 * {@link Router.Builder#loadVirtual} inside it are therefore read again. The new router replaces the old one
 * atomically, and only when it builds: on any error the old one stays in service. Thread-safe; resolving never
 * waits for a reload.
 *
 * <pre>{@code
 * ReloadableRouter router = ReloadableRouter.of(() -> Router.builder()
 *         .localDomain("example.org")
 *         .mailboxes(users::lookup)
 *         .loadAliases(Path.of("/etc/mailcore/aliases"))
 *         .build());
 * // on SIGHUP, a file watcher or an admin command:
 * router.reload();
 * }</pre>
 */
public final class ReloadableRouter implements RecipientResolver {
    private static final Logger log = LoggerFactory.getLogger(ReloadableRouter.class);

    private final Supplier<Router> factory;
    private final AtomicReference<Router> current;

    private ReloadableRouter(Supplier<Router> factory, Router first) {
        this.factory = factory;
        this.current = new AtomicReference<>(first);
    }

    /**
     * Builds the first router now.
     *
     * @param factory builds a router from the current configuration; called again by {@link #reload()}
     * @throws MailcoreException when the first router cannot be built
     */
    public static ReloadableRouter of(Supplier<Router> factory) {
        Objects.requireNonNull(factory, "factory");
        return new ReloadableRouter(factory, build(factory));
    }

    /**
     * Rebuilds the router and swaps it in.
     *
     * @return the new router, now in service
     * @throws MailcoreException when the new configuration does not build; the previous router stays in service
     */
    public Router reload() {
        Router next;
        try {
            next = build(factory);
        } catch (MailcoreException e) {
            log.error("routing reload failed, keeping the previous configuration: {}", e.getMessage());
            throw e;
        }
        current.set(next);
        log.info("routing configuration reloaded");
        return next;
    }

    /** The router now in service. */
    public Router current() {
        return current.get();
    }

    @Override
    public Resolution resolve(MailAddress recipient) {
        return current.get().resolve(recipient);
    }

    private static Router build(Supplier<Router> factory) {
        Router router;
        try {
            router = factory.get();
        } catch (MailcoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MailcoreException("cannot build the routing configuration: " + e.getMessage(), e);
        }
        if (router == null) {
            throw new MailcoreException("the routing factory returned null");
        }
        return router;
    }
}
