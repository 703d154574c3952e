package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {
    private static final MailboxRef BOX = new MailboxRef("Al\tice%", "Work/a:b,c");
    private static final Instant DATE = Instant.parse("1969-12-31T23:59:58.123456789Z");

    @Test
    void addedMessagesTravelWithTheirWholeMetadata() {
        MessageMeta m = new MessageMeta(7, 42, 1234, DATE,
                new Flags(Set.of(Flag.SEEN, Flag.DRAFT), Set.of("$a:b", "x+y,z", "a-b")));
        String payload = EventCodec.encode("schema", "node-1", new StoreEvent.MessagesAdded(BOX, 99, List.of(m)));
        EventCodec.Notice n = EventCodec.decode(payload);
        assertThat(n.scope()).isEqualTo("schema");
        assertThat(n.node()).isEqualTo("node-1");
        assertThat(n.kind()).isEqualTo('A');
        assertThat(EventCodec.ref(n)).isEqualTo(BOX);
        assertThat(n.uidValidity()).isEqualTo(99);
        assertThat(n.metas()).containsExactly(m);
    }

    @Test
    void expungedUidsTravelAsRanges() {
        String payload = EventCodec.encode("", "n",
                new StoreEvent.MessagesExpunged(BOX, 5, List.of(1L, 2L, 3L, 7L, 9L, 10L), 17));
        assertThat(payload).contains("1:3,7,9:10");
        EventCodec.Notice n = EventCodec.decode(payload);
        assertThat(n.kind()).isEqualTo('X');
        assertThat(n.uids()).containsExactly(1L, 2L, 3L, 7L, 9L, 10L);
        assertThat(n.toModSeq()).isEqualTo(17);
    }

    @Test
    void aChangeTooBigForOneNotificationBecomesAResyncNoticeWithItsModSeqRange() {
        List<MessageMeta> many = new ArrayList<>();
        List<Long> odd = new ArrayList<>();
        for (long uid = 1; uid <= 4000; uid++) {
            many.add(new MessageMeta(uid, 500, 10, DATE, Flags.NONE));
            if (uid % 2 == 1) {
                odd.add(uid);
            }
        }
        String added = EventCodec.encode("", "n", new StoreEvent.MessagesAdded(BOX, 5, many));
        String gone = EventCodec.encode("", "n", new StoreEvent.MessagesExpunged(BOX, 5, odd, 501));
        for (String p : List.of(added, gone)) {
            assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(EventCodec.MAX_BYTES);
        }
        EventCodec.Notice a = EventCodec.decode(added);
        assertThat(a.kind()).isEqualTo('a');
        assertThat(a.resync()).isTrue();
        assertThat(a.fromModSeq()).isEqualTo(499);
        assertThat(a.toModSeq()).isEqualTo(500);
        EventCodec.Notice x = EventCodec.decode(gone);
        assertThat(x.kind()).isEqualTo('x');
        assertThat(x.fromModSeq()).isEqualTo(500);
        assertThat(x.toModSeq()).isEqualTo(501);
    }

    @Test
    void mailboxEventsKeepBothNamesOfARename() {
        MailboxRef to = new MailboxRef("bob", "New/Name");
        EventCodec.Notice n = EventCodec.decode(EventCodec.encode("", "n",
                new StoreEvent.MailboxRenamed(new MailboxRef("bob", "Old"), to)));
        assertThat(n.kind()).isEqualTo('N');
        assertThat(n.oldName()).isEqualTo("Old");
        assertThat(EventCodec.ref(n)).isEqualTo(to);
    }

    @Test
    void rejectsPayloadsThatAreNotMailcoreEvents() {
        assertThatThrownBy(() -> EventCodec.decode("hello")).isInstanceOf(IllegalArgumentException.class);
    }
}
