package dev.mailcore.smtp.internal;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.Filter;
import dev.mailcore.api.FilterResult;
import dev.mailcore.api.HeaderField;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.StoreError;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPipelineTest {
    private static final SessionInfo SESSION = new SessionInfo("S1", "smtp", new InetSocketAddress("192.0.2.1", 1),
            new InetSocketAddress("192.0.2.2", 25), "client.example", null, null);
    private static final String RECEIVED = "Received: from x\r\n";
    private static final String BODY = "Subject: hi\r\n\r\nbody\r\n";

    private final FakeStore store = new FakeStore();
    private final List<Envelope> relayed = new ArrayList<>();

    private static DeliveryPipeline.Route local(String address, String... users) {
        return new DeliveryPipeline.Route(EnvelopeRecipient.of(MailAddress.parse(address)),
                new Resolution.Local(List.of(users)));
    }

    private static DeliveryPipeline.Route remote(String address) {
        return new DeliveryPipeline.Route(EnvelopeRecipient.of(MailAddress.parse(address)), Resolution.REMOTE);
    }

    private SmtpReply run(List<Filter> filters, Transport transport, DeliveryPipeline.Route... routes) {
        List<EnvelopeRecipient> recipients = new ArrayList<>();
        for (DeliveryPipeline.Route r : routes) {
            recipients.add(r.recipient());
        }
        Envelope envelope = new Envelope(ReversePath.parse("<a@client.example>"), recipients, MailParameters.NONE);
        Function<byte[], MessageSource> content = prefix -> MessageSource.of(
                (new String(prefix, StandardCharsets.UTF_8) + BODY).getBytes(StandardCharsets.UTF_8));
        return new DeliveryPipeline(filters, transport, store)
                .deliver(SESSION, envelope, List.of(routes), content, RECEIVED, "ID1", Instant.EPOCH);
    }

    private Transport transport(DeliveryStatus status, SmtpReply reply) {
        return (envelope, content) -> {
            relayed.add(envelope);
            List<RecipientOutcome> outcomes = new ArrayList<>();
            for (MailAddress a : envelope.recipientAddresses()) {
                outcomes.add(new RecipientOutcome(a, status, reply));
            }
            return new DeliveryReport(outcomes);
        };
    }

    @Test
    void storesOneCopyPerLocalUserInOneCall() {
        SmtpReply reply = run(List.of(), null, local("a@example.org", "alice"), local("g@example.org", "bob", "alice"));
        assertThat(reply.toWire()).isEqualTo("250 2.0.0 Ok: queued as ID1\r\n");
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.deliveries.get(0).targets())
                .containsExactly(MailboxRef.inbox("alice"), MailboxRef.inbox("bob"));
        assertThat(store.onlyContent()).isEqualTo(RECEIVED + BODY);
    }

    @Test
    void continuingFiltersAddHeadersOnTopAndSeeEarlierOnes() {
        List<String> seen = new ArrayList<>();
        Filter first = m -> new FilterResult.Continue(List.of(new HeaderField("X-First", "1")));
        Filter second = m -> {
            try (var in = m.content().openStream()) {
                seen.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new FilterResult.Continue(List.of(new HeaderField("X-Second", "2")));
        };
        run(List.of(first, second), null, local("a@example.org", "alice"));
        assertThat(seen).containsExactly("X-First: 1\r\n" + RECEIVED + BODY);
        assertThat(store.onlyContent()).isEqualTo("X-Second: 2\r\nX-First: 1\r\n" + RECEIVED + BODY);
    }

    @Test
    void rejectingFilterStopsDelivery() {
        SmtpReply reply = run(List.of(m -> new FilterResult.Reject(SmtpReply.of(550, "5.7.1", "spam"))), null,
                local("a@example.org", "alice"));
        assertThat(reply.toWire()).isEqualTo("550 5.7.1 spam\r\n");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void discardingFilterAcceptsButStoresAndRelaysNothing() {
        SmtpReply reply = run(List.of(m -> new FilterResult.Discard()), transport(DeliveryStatus.DELIVERED,
                SmtpReply.of(250, "2.0.0", "ok")), local("a@example.org", "alice"), remote("x@remote.example"));
        assertThat(reply.code()).isEqualTo(250);
        assertThat(store.deliveries).isEmpty();
        assertThat(relayed).isEmpty();
    }

    @Test
    void fileIntoDeliversLocalCopiesIntoThatMailboxAndSkipsLaterFilters() {
        Filter never = m -> {
            throw new AssertionError("must not run");
        };
        run(List.of(m -> new FilterResult.FileInto("Junk", List.of(new HeaderField("X-Spam", "yes"))), never), null,
                local("a@example.org", "alice"));
        assertThat(store.deliveries.get(0).targets()).containsExactly(new MailboxRef("alice", "Junk"));
        assertThat(store.onlyContent()).startsWith("X-Spam: yes\r\nReceived:");
    }

    @Test
    void failingFilterDefersTheMessage() {
        SmtpReply reply = run(List.of(m -> {
            throw new IllegalStateException("boom");
        }), null, local("a@example.org", "alice"));
        assertThat(reply.code()).isEqualTo(451);
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void mapsStoreErrors() {
        store.failWith = StoreError.OVER_QUOTA;
        assertThat(run(List.of(), null, local("a@example.org", "alice")).toWire()).startsWith("452 4.2.2 ");
        store.failWith = StoreError.STORAGE_FULL;
        assertThat(run(List.of(), null, local("a@example.org", "alice")).toWire()).startsWith("452 4.3.1 ");
        store.failWith = StoreError.FAILURE;
        assertThat(run(List.of(), null, local("a@example.org", "alice")).toWire()).startsWith("451 4.3.0 ");
    }

    @Test
    void storesLocalRecipientsThenRelaysOnlyRemoteOnes() {
        SmtpReply reply = run(List.of(), transport(DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok")),
                local("a@example.org", "alice"), remote("x@remote.example"));
        assertThat(reply.code()).isEqualTo(250);
        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0).recipientAddresses()).containsExactly(MailAddress.parse("x@remote.example"));
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.expunged).isEmpty();
    }

    @Test
    void aFailingStoreLeavesNoRelayedCopyForTheClientsRetryToDuplicate() {
        store.failWith = StoreError.FAILURE;
        Transport transport = transport(DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "queued"));
        SmtpReply first = run(List.of(), transport, local("a@example.org", "alice"), remote("x@remote.example"));
        assertThat(first.toWire()).startsWith("451 4.3.0 ");
        assertThat(relayed).isEmpty();
        // the client retries the whole message once the store is back: the remote recipient gets exactly one copy
        store.failWith = null;
        SmtpReply retry = run(List.of(), transport, local("a@example.org", "alice"), remote("x@remote.example"));
        assertThat(retry.code()).isEqualTo(250);
        assertThat(relayed).hasSize(1);
        assertThat(store.deliveries).hasSize(1);
    }

    @Test
    void aDeferredRelayRemovesTheLocalCopiesAgain() {
        SmtpReply reply = run(List.of(), transport(DeliveryStatus.DEFERRED, SmtpReply.of(421, "4.4.2", "later")),
                local("a@example.org", "alice"), local("b@example.org", "bob"), remote("x@remote.example"));
        assertThat(reply.toWire()).startsWith("451 4.4.0 ");
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.expunged).containsExactly("alice/INBOX [1]", "bob/INBOX [2]");
    }

    @Test
    void aRemoteRecipientWithoutATransportIsRefusedBeforeAnythingIsStored() {
        SmtpReply reply = run(List.of(), null, local("a@example.org", "alice"), remote("x@remote.example"));
        assertThat(reply.toWire()).startsWith("554 5.7.1 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void failedRelayIsPermanentWithTheRemoteStatus() {
        SmtpReply reply = run(List.of(), transport(DeliveryStatus.FAILED, SmtpReply.of(550, "5.1.1", "no such user")),
                remote("x@remote.example"));
        assertThat(reply.toWire()).startsWith("554 5.1.1 ").contains("no such user");
    }

    private static DeliveryPipeline.Route expanded(String address, List<String> users, String... forwards) {
        List<MailAddress> remote = new ArrayList<>();
        for (String f : forwards) {
            remote.add(MailAddress.parse(f));
        }
        return new DeliveryPipeline.Route(EnvelopeRecipient.of(MailAddress.parse(address)),
                new Resolution.Expanded(users, remote));
    }

    @Test
    void expandedAliasDeliversLocallyAndForwardsThroughTheTransport() {
        SmtpReply reply = run(List.of(), transport(DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok")),
                expanded("team@example.org", List.of("alice", "bob"), "carol@remote.example"));
        assertThat(reply.code()).isEqualTo(250);
        assertThat(store.deliveries.get(0).targets())
                .containsExactly(MailboxRef.inbox("alice"), MailboxRef.inbox("bob"));
        assertThat(relayed).hasSize(1);
        EnvelopeRecipient forward = relayed.get(0).recipients().get(0);
        assertThat(forward.address()).isEqualTo(MailAddress.parse("carol@remote.example"));
        assertThat(forward.original()).isEqualTo("rfc822;team@example.org");
    }

    @Test
    void eachMailboxAndRemoteAddressGetsOneCopyHoweverManyRecipientsReachIt() {
        run(List.of(), transport(DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok")),
                local("alice@example.org", "alice"),
                expanded("team@example.org", List.of("alice", "bob"), "carol@remote.example"),
                expanded("all@example.org", List.of("bob"), "carol@remote.example", "dave@remote.example"),
                remote("carol@remote.example"));
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.deliveries.get(0).targets())
                .containsExactly(MailboxRef.inbox("alice"), MailboxRef.inbox("bob"));
        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0).recipientAddresses()).containsExactly(MailAddress.parse("carol@remote.example"),
                MailAddress.parse("dave@remote.example"));
    }

    @Test
    void forwardOnlyAliasStoresNothingLocally() {
        SmtpReply reply = run(List.of(), transport(DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok")),
                expanded("fwd@example.org", List.of(), "carol@remote.example"));
        assertThat(reply.code()).isEqualTo(250);
        assertThat(store.deliveries).isEmpty();
        assertThat(relayed).hasSize(1);
    }

    @Test
    void overQuotaIsPermanentOnlyWhenTheMessageExceedsTheWholeLimit() {
        store.failWith = StoreError.OVER_QUOTA;
        long size = (RECEIVED + BODY).length();
        store.quotas.put("bob", new QuotaUsage(0, size - 1, 0, QuotaUsage.UNLIMITED));
        store.quotas.put("alice", new QuotaUsage(size, size, 1, QuotaUsage.UNLIMITED));
        // alice could take it once she has room: temporary
        assertThat(run(List.of(), null, local("a@example.org", "alice")).toWire())
                .isEqualTo("452 4.2.2 Mailbox full\r\n");
        // bob can never take it: permanent, even next to a recipient whose refusal would be temporary
        assertThat(run(List.of(), null, local("a@example.org", "alice"), local("b@example.org", "bob")).toWire())
                .startsWith("552 5.2.2 Mailbox full");
        store.quotas.put("bob", new QuotaUsage(0, size, 0, QuotaUsage.UNLIMITED));
        assertThat(run(List.of(), null, local("b@example.org", "bob")).toWire()).startsWith("452 4.2.2 ");
    }

    @Test
    void aFailingQuotaLookupLeavesTheRefusalTemporary() {
        FakeStore failing = new FakeStore() {
            @Override
            public QuotaUsage quota(String user) {
                throw new IllegalStateException("directory down");
            }
        };
        failing.failWith = StoreError.OVER_QUOTA;
        Envelope envelope = new Envelope(ReversePath.parse("<a@client.example>"),
                List.of(EnvelopeRecipient.of(MailAddress.parse("a@example.org"))), MailParameters.NONE);
        SmtpReply reply = new DeliveryPipeline(List.of(), null, failing).deliver(SESSION, envelope,
                List.of(local("a@example.org", "alice")), prefix -> MessageSource.of(BODY.getBytes(
                        StandardCharsets.UTF_8)), RECEIVED, "ID1", Instant.EPOCH);
        assertThat(reply.toWire()).startsWith("452 4.2.2 ");
    }
}
