package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MessageMeta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A SearchCandidate over a message string, counting how often the content is touched. */
final class TestCandidate implements SearchCandidate {

    final AtomicInteger parses = new AtomicInteger();
    private final long sequence;
    private final MessageMeta meta;
    private final boolean recent;
    private final byte[] raw;
    private ParsedMessage parsed;

    TestCandidate(long sequence, long uid, Instant internalDate, Flags flags, boolean recent, long modSeq,
                  byte[] raw) {
        this.sequence = sequence;
        this.meta = new MessageMeta(uid, modSeq, raw.length, internalDate, flags);
        this.recent = recent;
        this.raw = raw;
    }

    /** A builder-ish entry point: sequence = uid = n, internal date 2024-01-n, no flags. */
    static Builder message(int n, String... headerAndBody) {
        return new Builder(n, Mail.crlf(headerAndBody));
    }

    static final class Builder {
        private final int n;
        private final byte[] raw;
        private long uid;
        private Instant date;
        private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        private final List<String> keywords = new ArrayList<>();
        private boolean recent;
        private long modSeq = 1;

        Builder(int n, byte[] raw) {
            this.n = n;
            this.raw = raw;
            this.uid = n;
            this.date = Instant.parse(String.format("2024-01-%02dT12:00:00Z", Math.min(28, n)));
        }

        Builder uid(long u) {
            uid = u;
            return this;
        }

        Builder internalDate(String iso) {
            date = Instant.parse(iso);
            return this;
        }

        Builder flags(Flag... f) {
            flags.addAll(List.of(f));
            return this;
        }

        Builder keywords(String... k) {
            keywords.addAll(List.of(k));
            return this;
        }

        Builder recent() {
            recent = true;
            return this;
        }

        Builder modSeq(long m) {
            modSeq = m;
            return this;
        }

        TestCandidate build() {
            return new TestCandidate(n, uid, date, new Flags(flags, Set.copyOf(keywords)), recent, modSeq, raw);
        }
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public MessageMeta meta() {
        return meta;
    }

    @Override
    public boolean recent() {
        return recent;
    }

    @Override
    public ParsedMessage parsed() {
        parses.incrementAndGet();
        if (parsed == null) {
            parsed = MessageParser.parse(raw);
        }
        return parsed;
    }

    @Override
    public MessageSource raw() {
        parses.incrementAndGet();
        return MessageSource.of(raw);
    }

    @Override
    public String toString() {
        return "#" + sequence;
    }
}
