package dev.mailcore.pop3.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.pop3.Pop3Config;
import dev.mailcore.pop3.Pop3Protocol;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RETR and TOP of messages larger than a slice, from a non-blocking and from a blocking store. */
class Pop3StreamingTest {
    private final MemoryStore memory = new MemoryStore();
    private final TestUsers users = new TestUsers().user("alice", "secret");

    private static String bigMessage(int size, boolean bareLf) {
        String eol = bareLf ? "\n" : "\r\n";
        StringBuilder sb = new StringBuilder("Subject: big" + eol + eol);
        for (int i = 0; sb.length() < size; i++) {
            sb.append(i % 5 == 0 ? "." : "").append("line ").append(i).append(" of a large body").append(eol);
        }
        return sb.toString();
    }

    private Pop3Tester connect(Store store, ManualExecutor executor) {
        Pop3Protocol protocol = new Pop3Protocol(Pop3Config.builder().hostname("pop.example.org").store(store)
                .authProvider(users).executor(executor == null ? Runnable::run : executor)
                .authThrottle(AuthThrottle.builder().delayAfter(100).blockAfter(1000).build()).build());
        return new Pop3Tester(protocol, TlsMode.NONE, null, Pop3Tester.LOOPBACK, executor);
    }

    private void deliver(String content) {
        memory.append(MailboxRef.inbox("alice"), MessageSource.of(content.getBytes(StandardCharsets.ISO_8859_1)),
                Flags.NONE, Instant.now());
    }

    private static String stuffed(String wire) {
        return (wire.startsWith(".") ? "." : "") + wire.replace("\r\n.", "\r\n..");
    }

    private void retrievesIntact(Pop3Tester pop3, String stored) {
        String wire = stored.replace("\r\n", "\n").replace("\n", "\r\n");
        pop3.login("alice", "secret");
        pop3.send("LIST 1").expectLine("+OK 1 " + wire.length());
        pop3.send("RETR 1").expectLine("+OK " + wire.length() + " octets");
        assertThat(pop3.readRawBody()).isEqualTo(stuffed(wire));
        pop3.send("TOP 1 3").expectLine("+OK");
        assertThat(pop3.readBody()).containsExactly("Subject: big", "", "..line 0 of a large body",
                "line 1 of a large body", "line 2 of a large body");
        pop3.send("NOOP").expectLine("+OK");
    }

    @Test
    void largeMessageFromANonBlockingStoreIsStreamedCompletely() {
        deliver(bigMessage(1_000_000, false));
        retrievesIntact(connect(memory, null), bigMessage(1_000_000, false));
    }

    @Test
    void largeMessageFromABlockingStoreIsStreamedCompletely() {
        deliver(bigMessage(1_000_000, false));
        ManualExecutor executor = new ManualExecutor();
        retrievesIntact(connect(new BlockingStore(memory), executor), bigMessage(1_000_000, false));
    }

    @Test
    void largeMessageWithBareLineFeedsHasTheCrlfSizeFromABlockingStore() {
        deliver(bigMessage(300_000, true));
        ManualExecutor executor = new ManualExecutor();
        retrievesIntact(connect(new BlockingStore(memory), executor), bigMessage(300_000, true));
    }

    @Test
    void wireSizesAreComputedOnceSoRetrAfterListReadsTheMessageOnce() {
        String message = bigMessage(200_000, true);
        deliver(message);
        deliver(message);
        ManualExecutor executor = new ManualExecutor();
        BlockingStore store = new BlockingStore(memory);
        Pop3Protocol protocol = new Pop3Protocol(Pop3Config.builder().hostname("pop.example.org").store(store)
                .authProvider(users).executor(executor)
                .authThrottle(AuthThrottle.builder().delayAfter(100).blockAfter(1000).build()).build());
        Pop3Tester pop3 = new Pop3Tester(protocol, TlsMode.NONE, null, Pop3Tester.LOOPBACK, executor);
        pop3.login("alice", "secret");
        pop3.send("LIST 1").expect("+OK 1 ");
        assertThat(store.streamsOpened).as("LIST scans message 1").hasValue(1);
        pop3.send("RETR 1").expect("+OK ");
        pop3.readRawBody();
        assertThat(store.streamsOpened).as("RETR after LIST streams it without scanning again").hasValue(2);
        pop3.send("RETR 1").expect("+OK ");
        pop3.readRawBody();
        assertThat(store.streamsOpened).as("the size is still known").hasValue(3);
        pop3.send("RETR 2").expect("+OK ");
        pop3.readRawBody();
        assertThat(store.streamsOpened).as("a first RETR of a large message scans it, then streams it")
                .hasValue(5);
        pop3.send("QUIT").expect("+OK");

        Pop3Tester again = new Pop3Tester(protocol, TlsMode.NONE, null, Pop3Tester.LOOPBACK, executor);
        again.login("alice", "secret");
        again.send("LIST").expect("+OK 2 messages");
        again.readBody();
        again.send("STAT").expect("+OK 2 ");
        assertThat(store.streamsOpened).as("sizes remembered across sessions").hasValue(5);
    }

    @Test
    void smallRetrIsOneFlushFromABlockingStore() {
        deliver("Subject: x\r\n\r\nhello\r\n");
        ManualExecutor executor = new ManualExecutor();
        Pop3Tester pop3 = connect(new BlockingStore(memory), executor).login("alice", "secret");
        int before = pop3.flushes;
        pop3.send("RETR 1").expect("+OK 21 octets");
        assertThat(pop3.readRawBody()).isEqualTo("Subject: x\r\n\r\nhello\r\n");
        assertThat(pop3.flushes - before).isEqualTo(1);
    }

    @Test
    void commandsPipelinedBehindABlockingCallWaitUntilItIsAnswered() {
        deliver("Subject: x\r\n\r\nhello\r\n");
        ManualExecutor executor = new ManualExecutor();
        Pop3Tester pop3 = connect(new BlockingStore(memory), executor).login("alice", "secret");
        pop3.sendUnsettled("RETR 1\r\nDELE 1\r\nSTAT\r\n");
        pop3.expectNothing();
        assertThat(executor.pending()).isEqualTo(1);
        pop3.settle();
        pop3.expect("+OK 21 octets");
        pop3.readRawBody();
        pop3.expectLine("+OK Marked to be deleted.").expectLine("+OK 0 0");
    }

    @Test
    void manyPipelinedRetrsKeepTheUnsentRepliesBounded() {
        String message = "Subject: x\r\n\r\n" + "0123456789".repeat(400) + "\r\n";
        for (int i = 0; i < 200; i++) {
            deliver(message);
        }
        Pop3Tester pop3 = connect(memory, null).login("alice", "secret");
        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            batch.append("RETR ").append(i).append("\r\n");
        }
        pop3.sendRaw(batch.toString());
        for (int i = 1; i <= 200; i++) {
            pop3.expectLine("+OK " + message.length() + " octets");
            assertThat(pop3.readRawBody()).isEqualTo(message);
        }
        assertThat(pop3.maxPendingBytes).isLessThan(128 * 1024);
    }

    @Test
    void largeMessageIsSentWithBoundedBuffering() {
        deliver(bigMessage(2_000_000, false));
        Pop3Tester pop3 = connect(memory, null).login("alice", "secret");
        pop3.send("RETR 1").expect("+OK ");
        assertThat(pop3.readRawBody()).hasSizeGreaterThan(2_000_000);
        assertThat(pop3.maxPendingBytes).isLessThan(128 * 1024);
    }

    /** Stands for a client that reads slowly: holds flushes (so the channel fills up) until told to let one pass. */
    private static final class SlowReader extends io.netty.channel.ChannelOutboundHandlerAdapter {
        private int allowed;

        /** Lets the held output go out once (the client reads what was sent so far). */
        void read(io.netty.channel.embedded.EmbeddedChannel channel) {
            allowed++;
            channel.flush();
            channel.runPendingTasks();
        }

        @Override
        public void flush(io.netty.channel.ChannelHandlerContext ctx) {
            if (allowed > 0) {
                allowed--;
                ctx.flush();
            }
        }
    }

    private Pop3Tester slowDownload(Duration idleTimeout, SlowReader reader, String message) {
        deliver(message);
        Pop3Protocol protocol = new Pop3Protocol(Pop3Config.builder().hostname("pop.example.org").store(memory)
                .authProvider(users).executor(Runnable::run).idleTimeout(idleTimeout)
                .authThrottle(AuthThrottle.builder().delayAfter(100).blockAfter(1000).build()).build());
        Pop3Tester pop3 = new Pop3Tester(protocol, TlsMode.NONE, null, Pop3Tester.LOOPBACK, null);
        pop3.channel.freezeTime();
        pop3.login("alice", "secret");
        pop3.channel.pipeline().addFirst("slow-reader", reader);
        pop3.send("RETR 1");
        assertThat(pop3.channel.isWritable()).as("output waits for the client").isFalse();
        return pop3;
    }

    @Test
    void slowDownloadLastingLongerThanTheIdleTimeoutIsNotCut() {
        String message = bigMessage(2_000_000, false);
        SlowReader reader = new SlowReader();
        Pop3Tester pop3 = slowDownload(Duration.ofMinutes(10), reader, message);
        for (int i = 0; i < 5; i++) { // 30 minutes in all, each read within the idle timeout
            pop3.channel.advanceTimeBy(6, TimeUnit.MINUTES);
            pop3.settle();
            pop3.expectOpen();
            reader.read(pop3.channel);
        }
        assertThat(pop3.channel.isWritable()).as("still downloading").isFalse();
        while (!pop3.channel.isWritable()) {
            reader.read(pop3.channel);
        }
        pop3.channel.pipeline().remove(reader); // the rest (fewer octets than the channel holds) goes out at once
        pop3.channel.flush();
        pop3.expect("+OK ");
        assertThat(pop3.readRawBody()).isEqualTo(stuffed(message));
        pop3.send("NOOP").expectLine("+OK");
    }

    @Test
    void clientThatStopsReadingTheDownloadIsDisconnectedAfterTheIdleTimeout() {
        SlowReader reader = new SlowReader();
        Pop3Tester pop3 = slowDownload(Duration.ofMinutes(10), reader, bigMessage(2_000_000, false));
        pop3.channel.advanceTimeBy(6, TimeUnit.MINUTES);
        pop3.settle();
        reader.read(pop3.channel);
        pop3.channel.advanceTimeBy(9, TimeUnit.MINUTES);
        pop3.settle();
        pop3.expectOpen();
        pop3.channel.advanceTimeBy(2, TimeUnit.MINUTES);
        pop3.settle();
        pop3.expectClosed();
        assertThat(MaildropLocks.isLocked(memory, "alice")).isFalse();
    }

    @Test
    void failedExpungeKeepsTheMessagesAndSaysSo() {
        deliver("Subject: x\r\n\r\nhello\r\n");
        ManualExecutor executor = new ManualExecutor();
        BlockingStore store = new BlockingStore(memory);
        store.failExpunge = true;
        Pop3Tester pop3 = connect(store, executor).login("alice", "secret");
        pop3.send("DELE 1").expect("+OK");
        pop3.send("QUIT").expectLine("-ERR [SYS/TEMP] Deleting messages failed; they are kept.").expectClosed();
        assertThat(memory.messages(MailboxRef.inbox("alice"))).hasSize(1);
        assertThat(MaildropLocks.isLocked(store, "alice")).isFalse();
    }

    @Test
    void storeFailureAtLoginIsATemporaryError() {
        ManualExecutor executor = new ManualExecutor();
        BlockingStore store = new BlockingStore(memory);
        store.failMessages = true;
        Pop3Tester pop3 = connect(store, executor);
        pop3.expect("+OK");
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS secret").expectLine("-ERR [SYS/TEMP] Cannot open the mailbox, try again later.");
        store.failMessages = false;
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS secret").expectLine("+OK Logged in.");
    }

    @Test
    void messageExpungedByAnotherSessionCannotBeRetrieved() {
        deliver("Subject: x\r\n\r\nhello\r\n");
        Pop3Tester pop3 = connect(memory, null).login("alice", "secret");
        long uid = memory.messages(MailboxRef.inbox("alice")).get(0).uid();
        memory.expunge(MailboxRef.inbox("alice"), java.util.List.of(uid));
        pop3.send("RETR 1").expectLine("-ERR Message was removed by another session.");
        pop3.send("NOOP").expectLine("+OK");
    }
}
