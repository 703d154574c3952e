package dev.mailcore.testing;

import dev.mailcore.server.MailServer;
import jakarta.mail.Session;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * JUnit 5 extension that runs a {@link TestMailServer} per test method (default) or per test class, closes it
 * afterwards and injects {@link TestMailServer}, {@link MailSessions} and {@code jakarta.mail.Session} parameters,
 * qualified with the listener they talk to: {@link Smtp}, {@link Submission}, {@link Smtps}, {@link Imap},
 * {@link Imaps}, {@link Pop3} or {@link Pop3s}. An unqualified {@code Session} is for the first listener in the order
 * declared ({@code listeners(...)}, {@code @MailcoreTest(listeners = ...)}, or the order of the builder's
 * {@code smtp()}/{@code imap()}/... calls); SMTP when none was declared.
 *
 * <pre>{@code
 * @RegisterExtension
 * static MailcoreExtension mail = MailcoreExtension.builder()
 *         .user("alice@example.com", "secret")
 *         .server(s -> s.submission())
 *         .configure(b -> b.maxMessageSize(1024 * 1024))
 *         .build();
 *
 * @Test
 * void sendsMail(TestMailServer server, @Submission Session session) { ... }
 * }</pre>
 *
 * <p>Safe under parallel execution: every server binds port 0 and the servers live in JUnit's per-test (or
 * per-class) extension stores, not in fields; nothing is static; each server is started from its own copy of the
 * configured {@link TestMailServer.Builder}. {@link #server()} finds the server of the test
 * running on the calling thread. {@code @Nested} classes get servers from the extension of their outer class; with
 * {@link Lifecycle#PER_CLASS} they share the outer class's server. Register one mailcore extension per test class.
 */
public final class MailcoreExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {

    /** How long a server lives. */
    public enum Lifecycle {
        /** A new server for every test method (the default): full isolation. */
        PER_METHOD,
        /**
         * One server for the test class and its nested classes: faster, but tests see each other's messages unless
         * they call {@link TestMailServer#reset()}.
         */
        PER_CLASS
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            MailcoreExtension.class);
    private static final String KEY = "server";

    private final TestMailServer.Builder template;
    private final Lifecycle lifecycle;
    private final ThreadLocal<TestMailServer> current = new ThreadLocal<>();
    private volatile TestMailServer classServer;

    /** The annotation form: settings come from {@link MailcoreTest} on the test class (or an enclosing class). */
    public MailcoreExtension() {
        this.template = null;
        this.lifecycle = null;
    }

    private MailcoreExtension(Builder b) {
        this.template = b.server.copy(); // later changes to the extension builder do not leak into running tests
        this.lifecycle = b.lifecycle;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The server of the test running on this thread (per method) or of the class (per class). Prefer parameter
     * injection; this is for fields initialised in {@code @BeforeEach} and for helpers.
     */
    public TestMailServer server() {
        TestMailServer server = current.get();
        if (server == null) {
            server = classServer;
        }
        if (server == null) {
            throw new IllegalStateException("no mail server on this thread: call server() from a test or a"
                    + " @BeforeEach/@AfterEach method, or inject TestMailServer as a parameter");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (lifecycle(context) == Lifecycle.PER_CLASS) {
            classServer = classServer(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestMailServer server;
        if (lifecycle(context) == Lifecycle.PER_CLASS) {
            server = classServer(context.getParent().orElse(context));
            classServer = server;
        } else {
            server = template(context).start();
            context.getStore(NAMESPACE).put(KEY, new Resource(server));
        }
        current.set(server);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        current.remove();
        // the per-method server is closed by JUnit when the method's store closes (after @AfterEach methods)
    }

    private TestMailServer classServer(ExtensionContext classContext) {
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, k -> new Resource(template(classContext).start()), Resource.class)
                .server();
    }

    private Lifecycle lifecycle(ExtensionContext context) {
        if (lifecycle != null) {
            return lifecycle;
        }
        return annotation(context).map(MailcoreTest::lifecycle).orElse(Lifecycle.PER_METHOD);
    }

    /** A builder of the caller's own: tests may run in parallel, and a builder is not thread-safe. */
    private TestMailServer.Builder template(ExtensionContext context) {
        if (template != null) {
            return template.copy(); // the template itself is never changed after construction: copies are safe
        }
        MailcoreTest config = annotation(context).orElseThrow(() -> new IllegalStateException(
                "MailcoreExtension without a builder needs @MailcoreTest on the test class"));
        TestMailServer.Builder b = TestMailServer.builder().listeners(config.listeners()).requireTls(config.tls());
        for (String user : config.users()) {
            b.user(user);
        }
        return b;
    }

    private static Optional<MailcoreTest> annotation(ExtensionContext context) {
        Optional<Class<?>> type = context.getTestClass();
        Class<?> c = type.orElse(null);
        while (c != null) {
            MailcoreTest found = c.getAnnotation(MailcoreTest.class);
            if (found != null) {
                return Optional.of(found);
            }
            c = c.getEnclosingClass();
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestMailServer.class || type == MailSessions.class || type == Session.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Resource resource = context.getStore(NAMESPACE).get(KEY, Resource.class);
        if (resource == null) {
            throw new ParameterResolutionException("no mail server yet for " + parameter.getDeclaringExecutable()
                    + ": with a server per test method, inject it into test, @BeforeEach or @AfterEach methods"
                    + " (not constructors or @BeforeAll)");
        }
        TestMailServer server = resource.server();
        Class<?> type = parameter.getParameter().getType();
        if (type == TestMailServer.class) {
            return server;
        }
        if (type == MailSessions.class) {
            return server.clients();
        }
        MailListener listener = qualifier(parameter);
        if (listener == null) {
            listener = server.listeners().iterator().next(); // the first listener in the order declared
        }
        if (!server.listeners().contains(listener)) {
            throw new ParameterResolutionException("the server has no " + listener + " listener; it runs "
                    + server.listeners());
        }
        return server.clients().forListener(listener);
    }

    /** The listener a {@code Session} parameter's qualifier names; null when it has none. */
    private static MailListener qualifier(ParameterContext parameter) {
        MailListener found = null;
        for (var q : QUALIFIERS.entrySet()) {
            if (parameter.isAnnotated(q.getKey())) {
                if (found != null) {
                    throw new ParameterResolutionException("more than one listener qualifier on "
                            + parameter.getParameter());
                }
                found = q.getValue();
            }
        }
        return found;
    }

    private static final Map<Class<? extends Annotation>, MailListener> QUALIFIERS = Map.of(
            Smtp.class, MailListener.SMTP,
            Submission.class, MailListener.SUBMISSION,
            Smtps.class, MailListener.SMTPS,
            Imap.class, MailListener.IMAP,
            Imaps.class, MailListener.IMAPS,
            Pop3.class, MailListener.POP3,
            Pop3s.class, MailListener.POP3S);

    /** Closes the server when JUnit closes the store that holds it. */
    private record Resource(TestMailServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }

    /** Configures a {@link MailcoreExtension}. */
    public static final class Builder {
        private final TestMailServer.Builder server = TestMailServer.builder();
        private Lifecycle lifecycle = Lifecycle.PER_METHOD;

        private Builder() {
        }

        /** Adds a user. */
        public Builder user(String address, String password) {
            server.user(address, password);
            return this;
        }

        /** Runs these listeners (default SMTP only). */
        public Builder listeners(MailListener... listeners) {
            server.listeners(listeners);
            return this;
        }

        /** Adjusts the {@link TestMailServer.Builder} (certificates, clock, preloads, timeouts, TLS). */
        public Builder server(Consumer<TestMailServer.Builder> customizer) {
            customizer.accept(server);
            return this;
        }

        /** Adjusts the underlying {@link MailServer.Builder} (store, policies, filters, routing, limits). */
        public Builder configure(Consumer<MailServer.Builder> configurer) {
            server.configure(Objects.requireNonNull(configurer));
            return this;
        }

        /** A new server for each test method (default). */
        public Builder perMethod() {
            lifecycle = Lifecycle.PER_METHOD;
            return this;
        }

        /** One server for the class (register the extension in a static field). */
        public Builder perClass() {
            lifecycle = Lifecycle.PER_CLASS;
            return this;
        }

        public MailcoreExtension build() {
            return new MailcoreExtension(this);
        }
    }
}
