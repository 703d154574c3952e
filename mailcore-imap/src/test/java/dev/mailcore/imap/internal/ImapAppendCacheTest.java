package dev.mailcore.imap.internal;

import dev.mailcore.imap.ImapConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The structure of an APPENDed message is parsed while the literal is at hand, not read back on first FETCH. */
class ImapAppendCacheTest extends ImapTestSupport {
    private final CountingStore counting = new CountingStore(store);

    @Override
    ImapConfig.Builder configBuilder() {
        return super.configBuilder().store(counting);
    }

    @Test
    void envelopeBodystructureAndHeaderSearchOfAnAppendedMessageReadNoContentBack() {
        ImapTester imap = session();
        assertThat(last(imap.run("a1 APPEND INBOX {" + MESSAGE.length() + "+}\r\n" + MESSAGE)))
                .startsWith("a1 OK [APPENDUID ");
        assertThat(last(imap.run("a2 SELECT INBOX"))).startsWith("a2 OK");
        int readsBefore = counting.contentReads();

        List<String> fetched = imap.run("a3 FETCH 1 (ENVELOPE BODYSTRUCTURE)");
        assertThat(fetched.get(0)).contains("\"Hello\"").contains("\"text\" \"plain\"");
        assertThat(imap.run("a4 SEARCH SUBJECT hello")).containsExactly("* SEARCH 1", "a4 OK Search completed.");

        assertThat(counting.contentReads()).isEqualTo(readsBefore);
    }

    @Test
    void aMessageDeliveredBehindTheSessionsBackIsParsedOnFirstUse() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        int readsBefore = counting.contentReads();

        assertThat(imap.run("a1 FETCH 1 ENVELOPE").get(0)).contains("\"Hello\"");
        assertThat(counting.contentReads()).isGreaterThan(readsBefore);
    }
}
