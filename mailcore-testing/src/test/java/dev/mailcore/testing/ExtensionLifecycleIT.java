package dev.mailcore.testing;

import jakarta.mail.Transport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs test classes that use the extension in a nested JUnit launcher, with parallel execution switched on, and
 * checks isolation, lifecycles and cleanup from the outside.
 */
class ExtensionLifecycleIT {
    static final String HARNESS = "mailcore.testing.harness";

    /** Runs the case classes only inside {@link #run}, never when a build tool selects them directly. */
    static final class OnlyInHarness implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(HARNESS).isPresent()
                    ? ConditionEvaluationResult.enabled("inside the harness")
                    : ConditionEvaluationResult.disabled("runs only inside ExtensionLifecycleIT");
        }
    }

    static TestExecutionSummary run(Class<?> testClass, boolean parallel) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameter(HARNESS, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", String.valueOf(parallel))
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "16")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    static String failures(TestExecutionSummary summary) {
        StringWriter out = new StringWriter();
        summary.printFailuresTo(new PrintWriter(out), 20);
        return out.toString();
    }

    // ------------------------------------------------------------------ 50 tests in parallel, one server each

    static final Map<Integer, TestMailServer> PARALLEL_SERVERS = new ConcurrentHashMap<>();
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MAX_RUNNING = new AtomicInteger();
    /** Holds the first tests until 8 run at once, so the run is provably concurrent. */
    static final CountDownLatch OVERLAP = new CountDownLatch(8);

    @ExtendWith(OnlyInHarness.class)
    static class ParallelCases {
        @RegisterExtension
        static MailcoreExtension mail = MailcoreExtension.builder().user("alice@example.com", "pw").build();

        @RepeatedTest(50)
        void eachTestSeesOnlyItsOwnMail(TestMailServer server, jakarta.mail.Session session,
                                        org.junit.jupiter.api.RepetitionInfo info) throws Exception {
            int running = RUNNING.incrementAndGet();
            MAX_RUNNING.accumulateAndGet(running, Math::max);
            try {
                OVERLAP.countDown();
                OVERLAP.await(30, TimeUnit.SECONDS);
                PARALLEL_SERVERS.put(info.getCurrentRepetition(), server);
                String subject = "test " + info.getCurrentRepetition();
                Transport.send(Mails.text(session, "a@client.example", "alice@example.com", subject, "body"));
                assertThat(server.awaitExactly(1).get(0)).hasSubject(subject);
                assertThat(server.sessions()).hasSize(1);
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    @Test
    void fiftyParallelTestsEachGetTheirOwnServer() {
        PARALLEL_SERVERS.clear();
        TestExecutionSummary summary = run(ParallelCases.class, true);
        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(50);
        assertThat(summary.getTotalFailureCount()).isZero();
        assertThat(MAX_RUNNING.get()).as("tests ran concurrently").isGreaterThanOrEqualTo(8);
        List<TestMailServer> servers = List.copyOf(PARALLEL_SERVERS.values());
        assertThat(servers).hasSize(50).doesNotHaveDuplicates();
        // every server was closed when its test ended
        assertThat(servers).allSatisfy(s -> assertThat(s.toString()).contains("SMTP=stopped"));
    }

    // ------------------------------------------------------------------ per-class lifecycle with nested classes

    static final Set<TestMailServer> PER_CLASS_SERVERS = ConcurrentHashMap.newKeySet();

    @ExtendWith(OnlyInHarness.class)
    static class PerClassCases {
        @RegisterExtension
        static MailcoreExtension mail = MailcoreExtension.builder().perClass().build();

        @Test
        void first(TestMailServer server) {
            PER_CLASS_SERVERS.add(server);
        }

        @Test
        void second(TestMailServer server) {
            PER_CLASS_SERVERS.add(server);
            PER_CLASS_SERVERS.add(mail.server());
        }

        @Nested
        class Inner {
            @Test
            void nested(TestMailServer server) {
                PER_CLASS_SERVERS.add(server);
            }
        }
    }

    @Test
    void perClassServersAreSharedByTheClassAndItsNestedClassesAndClosedAfterwards() {
        PER_CLASS_SERVERS.clear();
        TestExecutionSummary summary = run(PerClassCases.class, false);
        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(3);
        assertThat(PER_CLASS_SERVERS).hasSize(1);
        assertThat(PER_CLASS_SERVERS.iterator().next().toString()).contains("SMTP=stopped");
    }

    // ------------------------------------------------------------------ misuse is reported clearly

    @ExtendWith(OnlyInHarness.class)
    static class ConstructorInjectionCases {
        @RegisterExtension
        static MailcoreExtension mail = MailcoreExtension.builder().build();

        ConstructorInjectionCases(TestMailServer server) {
        }

        @Test
        void never() {
        }
    }

    @Test
    void constructorInjectionWithAServerPerMethodFailsWithAnExplanation() {
        TestExecutionSummary summary = run(ConstructorInjectionCases.class, false);
        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(failures(summary)).contains("no mail server yet");
    }
}
