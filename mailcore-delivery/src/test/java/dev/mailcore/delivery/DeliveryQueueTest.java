package dev.mailcore.delivery;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.mailcore.api.DeliveryStatus.DEFERRED;
import static dev.mailcore.api.DeliveryStatus.DELIVERED;
import static dev.mailcore.api.DeliveryStatus.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

class DeliveryQueueTest {
    static final byte[] MESSAGE = ("From: alice@example.org\r\nTo: bob@remote.test\r\nSubject: queued\r\n"
            + "Message-ID: <q1@example.org>\r\n\r\nHello through the queue.\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path spool;

    final TestClock clock = TestClock.atDefaultStart();
    final ScriptedTransport remote = new ScriptedTransport();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<DeliveryQueue> opened = new ArrayList<>();

    @AfterEach
    void closeQueues() {
        opened.forEach(DeliveryQueue::close);
    }

    DeliveryQueue open(Transport transport) throws IOException {
        return open(transport, RetryPolicy.DEFAULTS);
    }

    DeliveryQueue open(Transport transport, RetryPolicy retry) throws IOException {
        DeliveryQueue q = DeliveryQueue.builder().spoolDirectory(spool).transport(transport).clock(clock)
                .hostname("mx.example.org").postmaster(MailAddress.parse("postmaster@example.org")).retry(retry)
                .listener(new QueueListener() {
                    @Override
                    public void onDelivered(String id, MailAddress recipient, SmtpReply reply) {
                        events.add("delivered " + recipient);
                    }

                    @Override
                    public void onDeferred(String id, MailAddress recipient, SmtpReply reply,
                                           java.time.Instant next) {
                        events.add("deferred " + recipient);
                    }

                    @Override
                    public void onBounced(String id, MailAddress recipient, SmtpReply reply) {
                        events.add("bounced " + recipient);
                    }
                }).build();
        opened.add(q);
        return q;
    }

    static Envelope envelope(String sender, String... recipients) {
        List<EnvelopeRecipient> rs = Stream.of(recipients).map(r -> EnvelopeRecipient.of(MailAddress.parse(r)))
                .toList();
        return new Envelope(sender == null ? ReversePath.nullPath() : ReversePath.of(MailAddress.parse(sender)), rs,
                MailParameters.NONE);
    }

    static Envelope withNotify(String recipient, DsnNotify... notify) {
        return new Envelope(ReversePath.of(MailAddress.parse("alice@example.org")),
                List.of(new EnvelopeRecipient(MailAddress.parse(recipient), Set.of(notify), null)),
                MailParameters.NONE);
    }

    static MessageSource content() {
        return MessageSource.of(MESSAGE);
    }

    RecipientState state(DeliveryQueue q, String id, String address) {
        return q.list().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow().recipients().stream()
                .filter(r -> r.address().equals(MailAddress.parse(address))).findFirst().orElseThrow();
    }

    // ---- durability ----

    @Test
    void enqueueReturnsOnlyOnceTheMessageAndItsStateAreOnDisk() throws Exception {
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());

        assertThat(Files.readAllBytes(spool.resolve("msg").resolve(id + ".eml"))).isEqualTo(MESSAGE);
        assertThat(Files.readString(spool.resolve("msg").resolve(id + ".state"))).contains("bob@remote.test");
        try (Stream<Path> tmp = Files.list(spool.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
        assertThat(remote.calls).isEmpty();
    }

    @Test
    void aNewQueueOnTheSameSpoolResumesWhatWasQueued() throws Exception {
        DeliveryQueue first = open(remote);
        String id = first.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        first.close();
        opened.remove(first);

        DeliveryQueue second = open(remote);
        assertThat(second.list()).extracting(QueueEntry::id).containsExactly(id);
        second.runDue();

        assertThat(remote.calls).hasSize(1);
        assertThat(remote.calls.get(0).content()).isEqualTo(MESSAGE);
        assertThat(second.list()).isEmpty();
        try (Stream<Path> msg = Files.list(spool.resolve("msg"))) {
            assertThat(msg).isEmpty();
        }
    }

    @Test
    void resumedQueueKeepsTheRetryScheduleOfADeferredRecipient() throws Exception {
        remote.script("bob@remote.test", DEFERRED, DELIVERED);
        DeliveryQueue first = open(remote);
        String id = first.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        first.runDue();
        first.close();
        opened.remove(first);

        DeliveryQueue second = open(remote);
        RecipientState s = state(second, id, "bob@remote.test");
        assertThat(s.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(s.attempts()).isEqualTo(1);
        assertThat(s.lastReply()).isEqualTo(ScriptedTransport.BUSY);
        assertThat(second.runDue()).isZero();

        clock.advance(Duration.ofSeconds(300));
        assertThat(second.runDue()).isEqualTo(1);
        assertThat(second.list()).isEmpty();
        assertThat(remote.calls).hasSize(2);
    }

    @Test
    void leftoversOfACrashedWriteAreDeletedOnOpen() throws Exception {
        open(remote).close();
        opened.clear();
        Files.write(spool.resolve("tmp").resolve("X1.eml"), new byte[]{1, 2, 3});
        Files.write(spool.resolve("msg").resolve("X2.eml"), new byte[]{1, 2, 3});

        DeliveryQueue q = open(remote);

        assertThat(spool.resolve("tmp").resolve("X1.eml")).doesNotExist();
        assertThat(spool.resolve("msg").resolve("X2.eml")).doesNotExist();
        assertThat(q.list()).isEmpty();
    }

    // ---- retries ----

    @Test
    void deferredRecipientIsRetriedWithDoublingBackoffUntilAccepted() throws Exception {
        remote.script("bob@remote.test", DEFERRED, DEFERRED, DELIVERED);
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());

        assertThat(q.runDue()).isEqualTo(1);
        RecipientState s = state(q, id, "bob@remote.test");
        assertThat(s.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(s.nextAttempt()).isEqualTo(clock.instant().plusSeconds(300));

        clock.advance(Duration.ofSeconds(299));
        assertThat(q.runDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.runDue()).isEqualTo(1);
        s = state(q, id, "bob@remote.test");
        assertThat(s.attempts()).isEqualTo(2);
        assertThat(s.nextAttempt()).isEqualTo(clock.instant().plusSeconds(600));

        clock.advance(Duration.ofSeconds(599));
        assertThat(q.runDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.runDue()).isEqualTo(1);

        assertThat(q.list()).isEmpty();
        assertThat(remote.calls).hasSize(3);
        assertThat(events).containsExactly("deferred bob@remote.test", "deferred bob@remote.test",
                "delivered bob@remote.test");
        assertThat(q.stats().delivered()).isEqualTo(1);
        assertThat(q.stats().deferrals()).isEqualTo(2);
    }

    @Test
    void retryIntervalsStopGrowingAtTheMaximalBackoff() throws Exception {
        remote.script("bob@remote.test", DEFERRED);
        DeliveryQueue q = open(remote, RetryPolicy.DEFAULTS.withBackoff(Duration.ofSeconds(100),
                Duration.ofSeconds(500)));
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        List<Long> intervals = new ArrayList<>();
        q.runDue();
        for (int i = 0; i < 6; i++) {
            java.time.Instant next = state(q, id, "bob@remote.test").nextAttempt();
            intervals.add(Duration.between(clock.instant(), next).toSeconds());
            clock.set(next);
            assertThat(q.runDue()).isEqualTo(1);
        }
        assertThat(intervals).containsExactly(100L, 200L, 400L, 500L, 500L, 500L);
    }

    @Test
    void recipientStillDeferredAtExpiryIsBouncedWithTheLastError() throws Exception {
        remote.script("bob@remote.test", DEFERRED);
        DeliveryQueue q = open(remote, RetryPolicy.DEFAULTS.withLifetimes(Duration.ofHours(1), Duration.ofHours(1)));
        java.time.Instant arrival = clock.instant();
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        int guard = 0;
        while (!q.list().stream().noneMatch(e -> e.id().equals(id)) && guard++ < 100) {
            clock.set(state(q, id, "bob@remote.test").nextAttempt());
            q.runDue();
        }

        assertThat(clock.instant()).isEqualTo(arrival.plus(Duration.ofHours(1)));
        assertThat(events).last().isEqualTo("delivered alice@example.org");
        assertThat(events).contains("bounced bob@remote.test");
        List<ScriptedTransport.Call> bounces = remote.callsTo("alice@example.org");
        assertThat(bounces).hasSize(1);
        assertThat(bounces.get(0).envelope().sender().isNull()).isTrue();
        ParsedDsn dsn = ParsedDsn.parse(bounces.get(0).content());
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("4.3.0");
        assertThat(dsn.field(0, "Diagnostic-Code")).isEqualTo("smtp; 451 4.3.0 Try again later");
        assertThat(dsn.originalType).isEqualTo("message/rfc822");
        assertThat(dsn.original).isEqualTo(MESSAGE);
        assertThat(q.list()).isEmpty();
    }

    @Test
    void permanentFailureIsBouncedAtOnceToTheSender() throws Exception {
        remote.script("bob@remote.test", FAILED);
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());

        q.runDue();

        assertThat(events).containsExactly("bounced bob@remote.test", "delivered alice@example.org");
        ScriptedTransport.Call bounce = remote.callsTo("alice@example.org").get(0);
        assertThat(bounce.envelope().sender()).isEqualTo(ReversePath.nullPath());
        ParsedDsn dsn = ParsedDsn.parse(bounce.content());
        assertThat(dsn.message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; bob@remote.test");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.1");
        assertThat(dsn.humanText).contains(id);
        assertThat(q.list()).isEmpty();
        assertThat(q.stats().bounced()).isEqualTo(1);
    }

    @Test
    void outcomesAreKeptPerRecipientWithOneAttemptPerDomain() throws Exception {
        remote.script("b@x.test", DEFERRED, DELIVERED).script("c@y.test", FAILED);
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "a@x.test", "b@x.test", "c@y.test"), content());

        q.runDue();

        assertThat(remote.calls.get(0).recipients()).extracting(MailAddress::toString)
                .containsExactly("a@x.test", "b@x.test");
        assertThat(remote.calls.get(1).recipients()).extracting(MailAddress::toString).containsExactly("c@y.test");
        assertThat(state(q, id, "a@x.test").state()).isEqualTo(RecipientState.State.DELIVERED);
        assertThat(state(q, id, "b@x.test").state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(state(q, id, "c@y.test").state()).isEqualTo(RecipientState.State.BOUNCED);
        ParsedDsn dsn = ParsedDsn.parse(remote.callsTo("alice@example.org").get(0).content());
        assertThat(dsn.perRecipient).hasSize(1);
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; c@y.test");

        clock.advance(Duration.ofSeconds(300));
        q.runDue();
        assertThat(remote.calls.get(remote.calls.size() - 1).recipients()).extracting(MailAddress::toString)
                .containsExactly("b@x.test");
        assertThat(q.list()).isEmpty();
    }

    @Test
    void failedBounceGoesToThePostmasterAsADoubleBounce() throws Exception {
        remote.script("bob@remote.test", FAILED);
        DeliveryQueue q = open(remote);
        q.enqueue(envelope(null, "bob@remote.test"), content());

        q.runDue();

        assertThat(remote.callsTo("postmaster@example.org")).hasSize(1);
        ScriptedTransport.Call doubleBounce = remote.callsTo("postmaster@example.org").get(0);
        assertThat(doubleBounce.envelope().sender().isNull()).isTrue();
        assertThat(ParsedDsn.parse(doubleBounce.content()).field(0, "Final-Recipient"))
                .isEqualTo("rfc822; bob@remote.test");
        assertThat(q.list()).isEmpty();
    }

    @Test
    void failedDoubleBounceIsDroppedWithoutAnotherNotification() throws Exception {
        remote.script("alice@example.org", FAILED).script("postmaster@example.org", FAILED)
                .script("bob@remote.test", FAILED);
        DeliveryQueue q = open(remote);
        q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());

        q.runDue();

        // original -> bounce to alice (fails) -> double bounce to postmaster (fails) -> dropped
        assertThat(remote.calls).hasSize(3);
        assertThat(remote.callsTo("postmaster@example.org")).hasSize(1);
        assertThat(q.list()).isEmpty();
    }

    // ---- NOTIFY ----

    @Test
    void notifyNeverSuppressesTheBounce() throws Exception {
        remote.script("bob@remote.test", FAILED);
        DeliveryQueue q = open(remote);
        q.enqueue(withNotify("bob@remote.test", DsnNotify.NEVER), content());

        q.runDue();

        assertThat(remote.calls).hasSize(1);
        assertThat(q.list()).isEmpty();
    }

    @Test
    void notifySuccessSendsASuccessNoticeAndDefaultDoesNot() throws Exception {
        DeliveryQueue q = open(remote);
        q.enqueue(withNotify("bob@remote.test", DsnNotify.SUCCESS), content());
        q.enqueue(envelope("carol@example.org", "dave@remote.test"), content());

        q.runDue();

        assertThat(remote.callsTo("alice@example.org")).hasSize(1);
        assertThat(remote.callsTo("carol@example.org")).isEmpty();
        ParsedDsn dsn = ParsedDsn.parse(remote.callsTo("alice@example.org").get(0).content());
        assertThat(dsn.field(0, "Action")).isEqualTo("relayed");
        assertThat(dsn.field(0, "Status")).isEqualTo("2.0.0");
    }

    @Test
    void noSuccessNoticeWhenTheNotifyWasPassedToANextHopWithDsn() throws Exception {
        remote.accept("bob@remote.test", RecipientOutcome.Handoff.RELAYED_WITH_DSN);
        DeliveryQueue q = open(remote);
        q.enqueue(withNotify("bob@remote.test", DsnNotify.SUCCESS, DsnNotify.FAILURE), content());

        q.runDue();

        assertThat(remote.callsTo("alice@example.org")).isEmpty();
        assertThat(remote.calls).hasSize(1);
        assertThat(q.list()).isEmpty();
    }

    @Test
    void successNoticeOfAFinalDeliverySaysDelivered() throws Exception {
        remote.accept("bob@example.org", RecipientOutcome.Handoff.DELIVERED);
        DeliveryQueue q = open(remote);
        q.enqueue(withNotify("bob@example.org", DsnNotify.SUCCESS), content());

        q.runDue();

        assertThat(remote.callsTo("alice@example.org")).hasSize(1);
        ParsedDsn dsn = ParsedDsn.parse(remote.callsTo("alice@example.org").get(0).content());
        assertThat(dsn.field(0, "Action")).isEqualTo("delivered");
        assertThat(dsn.field(0, "Status")).isEqualTo("2.0.0");
    }

    @Test
    void anOwedDeliveredNoticeSurvivesARestart() throws Exception {
        remote.accept("bob@example.org", RecipientOutcome.Handoff.DELIVERED);
        DeliveryQueue q = DeliveryQueue.builder().spoolDirectory(spool).transport(remote).clock(clock)
                .hostname("mx.example.org").bounceSink((envelope, content) -> {
                    throw new IOException("sink down");
                }).build();
        q.enqueue(withNotify("bob@example.org", DsnNotify.SUCCESS), content());
        q.runDue();
        q.close();

        List<byte[]> notices = new CopyOnWriteArrayList<>();
        DeliveryQueue reopened = DeliveryQueue.builder().spoolDirectory(spool).transport(remote).clock(clock)
                .hostname("mx.example.org").bounceSink((envelope, content) -> {
                    try (var in = content.openStream()) {
                        notices.add(in.readAllBytes());
                    }
                }).build();
        opened.add(reopened);
        clock.advance(Duration.ofHours(1));
        reopened.runDue();

        assertThat(notices).hasSize(1);
        assertThat(ParsedDsn.parse(notices.get(0)).field(0, "Action")).isEqualTo("delivered");
        assertThat(remote.callsTo("bob@example.org")).hasSize(1);
    }

    @Test
    void delayWarningIsSentOnceAfterTheWarningTimeWhenAskedFor() throws Exception {
        remote.script("bob@remote.test", DEFERRED).script("dan@remote.test", DEFERRED);
        DeliveryQueue q = open(remote, RetryPolicy.DEFAULTS.withDelayWarning(Duration.ofMinutes(20)));
        q.enqueue(withNotify("bob@remote.test", DsnNotify.DELAY, DsnNotify.FAILURE), content());
        q.enqueue(withNotify("dan@remote.test", DsnNotify.FAILURE), content());
        q.runDue();
        clock.advance(Duration.ofSeconds(300));
        q.runDue();
        assertThat(remote.callsTo("alice@example.org")).isEmpty();

        clock.advance(Duration.ofSeconds(900)); // 20 minutes after arrival
        q.runDue();
        clock.advance(Duration.ofSeconds(2400));
        q.runDue();

        List<ScriptedTransport.Call> notices = remote.callsTo("alice@example.org");
        assertThat(notices).hasSize(1);
        ParsedDsn dsn = ParsedDsn.parse(notices.get(0).content());
        assertThat(dsn.message.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; bob@remote.test");
        assertThat(dsn.field(0, "Action")).isEqualTo("delayed");
        assertThat(dsn.field(0, "Will-Retry-Until")).isNotNull();
    }

    @Test
    void noDelayWarningWhenNoneIsConfigured() throws Exception {
        remote.script("bob@remote.test", DEFERRED);
        DeliveryQueue q = open(remote);
        q.enqueue(withNotify("bob@remote.test", DsnNotify.DELAY), content());
        for (int i = 0; i < 10; i++) {
            q.runDue();
            clock.advance(Duration.ofSeconds(4000));
        }
        assertThat(remote.callsTo("alice@example.org")).isEmpty();
    }

    @Test
    void bounceHonoursRetHdrsAndEchoesEnvidAndOrcpt() throws Exception {
        remote.script("bob@remote.test", FAILED);
        DeliveryQueue q = open(remote);
        MailParameters params = new MailParameters(OptionalLong.empty(), dev.mailcore.api.BodyType.SEVEN_BIT, false,
                DsnReturn.HDRS, "ENV-42", null, Map.of());
        Envelope env = new Envelope(ReversePath.of(MailAddress.parse("alice@example.org")),
                List.of(new EnvelopeRecipient(MailAddress.parse("bob@remote.test"), Set.of(DsnNotify.FAILURE),
                        "rfc822;Bob+2BOld@remote.test")), params);
        q.enqueue(env, content());

        q.runDue();

        ParsedDsn dsn = ParsedDsn.parse(remote.callsTo("alice@example.org").get(0).content());
        assertThat(dsn.originalType).isEqualTo("text/rfc822-headers");
        assertThat(new String(dsn.original, StandardCharsets.US_ASCII)).contains("Subject: queued")
                .doesNotContain("Hello through the queue");
        assertThat(dsn.messageField("Original-Envelope-Id")).isEqualTo("ENV-42");
        assertThat(dsn.field(0, "Original-Recipient")).isEqualTo("rfc822; Bob+Old@remote.test");
    }

    // ---- administration ----

    @Test
    void heldMessageIsNotAttemptedUntilReleased() throws Exception {
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        assertThat(q.hold(id)).isTrue();

        assertThat(q.runDue()).isZero();
        assertThat(q.list().get(0).held()).isTrue();
        assertThat(q.stats().held()).isEqualTo(1);

        assertThat(q.release(id)).isTrue();
        assertThat(q.runDue()).isEqualTo(1);
        assertThat(q.list()).isEmpty();
    }

    @Test
    void holdSurvivesARestart() throws Exception {
        DeliveryQueue first = open(remote);
        String id = first.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        first.hold(id);
        first.close();
        opened.remove(first);

        DeliveryQueue second = open(remote);
        assertThat(second.runDue()).isZero();
        assertThat(second.list().get(0).held()).isTrue();
    }

    @Test
    void deletedMessageIsGoneWithoutABounce() throws Exception {
        remote.script("bob@remote.test", DEFERRED);
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();

        assertThat(q.delete(id)).isTrue();
        assertThat(q.delete(id)).isFalse();
        clock.advance(Duration.ofDays(10));
        q.runDue();

        assertThat(q.list()).isEmpty();
        assertThat(remote.calls).hasSize(1);
        assertThat(spool.resolve("msg").resolve(id + ".eml")).doesNotExist();
    }

    @Test
    void flushRetriesADeferredMessageNow() throws Exception {
        remote.script("bob@remote.test", DEFERRED, DELIVERED);
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        assertThat(q.runDue()).isZero();

        assertThat(q.flush(id)).isTrue();
        assertThat(q.runDue()).isEqualTo(1);
        assertThat(q.list()).isEmpty();
    }

    @Test
    void flushOfTheWholeQueueRetriesEveryMessage() throws Exception {
        remote.script("bob@remote.test", DEFERRED, DELIVERED).script("carl@remote.test", DEFERRED, DELIVERED);
        DeliveryQueue q = open(remote);
        q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.enqueue(envelope("alice@example.org", "carl@remote.test"), content());
        q.runDue();

        q.flush();
        assertThat(q.runDue()).isEqualTo(2);
        assertThat(q.list()).isEmpty();
    }

    @Test
    void requeueResetsTheAttemptsAndSoTheBackoff() throws Exception {
        remote.script("bob@remote.test", DEFERRED);
        DeliveryQueue q = open(remote);
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        clock.advance(Duration.ofSeconds(300));
        q.runDue();
        assertThat(state(q, id, "bob@remote.test").attempts()).isEqualTo(2);

        assertThat(q.requeue(id)).isTrue();
        assertThat(state(q, id, "bob@remote.test").attempts()).isZero();
        q.runDue();

        assertThat(state(q, id, "bob@remote.test").nextAttempt()).isEqualTo(clock.instant().plusSeconds(300));
        assertThat(q.requeue("NOSUCHID")).isFalse();
    }

    @Test
    void statsCountMessagesRecipientsAndBytes() throws Exception {
        remote.script("bob@remote.test", DEFERRED);
        DeliveryQueue q = open(remote);
        q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        q.enqueue(envelope("alice@example.org", "x@remote.test", "y@remote.test"), content());

        QueueStats s = q.stats();
        assertThat(s.messages()).isEqualTo(2);
        assertThat(s.pending()).isEqualTo(2);
        assertThat(s.deferred()).isEqualTo(1);
        assertThat(s.bytes()).isEqualTo(2L * MESSAGE.length);
        assertThat(s.oldest()).isEqualTo(clock.instant());
        assertThat(s.deferrals()).isEqualTo(1);
    }

    // ---- the queue as a Transport ----

    @Test
    void asTransportQueuesAndAcceptsEveryRecipient() throws Exception {
        DeliveryQueue q = open(remote);
        DeliveryReport report = q.asTransport().deliver(envelope("alice@example.org", "b@x.test", "c@y.test"),
                content());

        assertThat(report.allDelivered()).isTrue();
        String id = q.list().get(0).id();
        assertThat(report.outcomes()).extracting(RecipientOutcome::reply)
                .allMatch(r -> r.toString().equals("250 2.0.0 Ok: queued as " + id));
        assertThat(remote.calls).isEmpty();
    }

    @Test
    void transportExceptionDefersTheAttempt() throws Exception {
        DeliveryQueue q = open((envelope, content) -> {
            throw new IllegalStateException("boom");
        });
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());

        q.runDue();

        RecipientState s = state(q, id, "bob@remote.test");
        assertThat(s.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(s.lastReply().code()).isEqualTo(451);
    }

    // ---- threads ----

    @Test
    void startedQueueAttemptsDistinctMessagesInParallel() throws Exception {
        int parallel = 4;
        CyclicBarrier allIn = new CyclicBarrier(parallel);
        Transport blocking = (envelope, content) -> {
            try {
                allIn.await(10, TimeUnit.SECONDS); // only passes when `parallel` attempts run at once
            } catch (Exception e) {
                throw new IllegalStateException("attempts did not run in parallel", e);
            }
            return new DeliveryReport(envelope.recipients().stream()
                    .map(r -> new RecipientOutcome(r.address(), DELIVERED, ScriptedTransport.OK)).toList());
        };
        DeliveryQueue q = DeliveryQueue.builder().spoolDirectory(spool).transport(blocking).concurrency(parallel)
                .fsync(false).build();
        opened.add(q);
        for (int i = 0; i < parallel; i++) {
            q.enqueue(envelope("alice@example.org", "r" + i + "@remote.test"), content());
        }

        q.start();
        q.whenIdle().get(20, TimeUnit.SECONDS);

        assertThat(q.list()).isEmpty();
        assertThat(q.stats().delivered()).isEqualTo(parallel);
        assertThat(allIn.isBroken()).isFalse();
    }

    @Test
    void secondQueueOnTheSameSpoolIsRefused() throws Exception {
        open(remote);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeliveryQueue.builder().spoolDirectory(spool)
                .transport(remote).build()).isInstanceOf(IOException.class);
    }
}
