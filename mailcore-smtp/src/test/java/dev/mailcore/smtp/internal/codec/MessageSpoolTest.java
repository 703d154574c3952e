package dev.mailcore.smtp.internal.codec;

import dev.mailcore.api.MessageSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSpoolTest {

    @TempDir
    Path dir;

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String read(MessageSource source) throws IOException {
        try (InputStream in = source.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private long filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void keepsSmallContentInMemory() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 1024, 10_000)) {
            ByteBuf data = buf("Subject: x\r\n\r\nhello\r\n");
            assertThat(spool.write(data)).isTrue();
            assertThat(data.readerIndex()).isZero();
            assertThat(spool.size()).isEqualTo(21);
            assertThat(spool.usesFile()).isFalse();
            assertThat(filesInDir()).isZero();
            assertThat(read(spool.toSource(new byte[0]))).isEqualTo("Subject: x\r\n\r\nhello\r\n");
        }
    }

    @Test
    void overflowsToAFileAndReadsBackTheSameBytesTwice() throws IOException {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        try (MessageSpool spool = new MessageSpool(dir, 1000, 1_000_000)) {
            int i = 0;
            Random sizes = new Random(3);
            while (i < content.length) {
                int n = Math.min(content.length - i, sizes.nextInt(3) == 0 ? 100_000 : 1 + sizes.nextInt(900));
                assertThat(spool.write(Unpooled.wrappedBuffer(content, i, n))).isTrue();
                i += n;
            }
            assertThat(spool.usesFile()).isTrue();
            assertThat(filesInDir()).isEqualTo(1);
            MessageSource source = spool.toSource(new byte[0]);
            assertThat(source.size()).isEqualTo(content.length);
            try (InputStream a = source.openStream(); InputStream b = source.openStream()) {
                assertThat(a.readAllBytes()).isEqualTo(content);
                assertThat(b.readAllBytes()).isEqualTo(content);
            }
        }
    }

    @Test
    void putsThePrefixInFrontOfTheContent() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 4, 1000)) {
            spool.write(buf("Subject: s\r\n\r\nbody\r\n"));
            MessageSource source = spool.toSource("Received: by test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(source.size()).isEqualTo(19 + 20);
            assertThat(read(source)).isEqualTo("Received: by test\r\nSubject: s\r\n\r\nbody\r\n");
            assertThat(read(source)).isEqualTo("Received: by test\r\nSubject: s\r\n\r\nbody\r\n");
        }
    }

    @Test
    void readsByteByByteAcrossTheParts() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 3, 1000)) {
            spool.write(buf("abcdef"));
            try (InputStream in = spool.toSource(new byte[] {'>'}).openStream()) {
                StringBuilder sb = new StringBuilder();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    sb.append((char) b);
                }
                assertThat(sb).hasToString(">abcdef");
            }
        }
    }

    @Test
    void resetEmptiesTheSpoolAndDeletesItsFile() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 4, 10)) {
            spool.write(buf("0123456789X"));
            assertThat(spool.overflowed()).isTrue();
            assertThat(filesInDir()).isEqualTo(1);
            spool.reset();
            assertThat(spool.size()).isZero();
            assertThat(spool.overflowed()).isFalse();
            assertThat(spool.usesFile()).isFalse();
            assertThat(filesInDir()).isZero();
            assertThat(spool.write(buf("new content"))).isFalse();
            spool.reset();
            assertThat(spool.write(buf("fresh"))).isTrue();
            assertThat(read(spool.toSource(new byte[0]))).isEqualTo("fresh");
        }
    }

    @Test
    void closeDeletesTheFileAndIsIdempotent() throws IOException {
        MessageSpool spool = new MessageSpool(dir, 2, 100);
        spool.write(buf("some bytes"));
        Path file = spool.file();
        assertThat(file).exists();
        spool.close();
        assertThat(file).doesNotExist();
        spool.close();
        assertThatThrownBy(() -> spool.write(buf("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopsAtTheMaximumSizeAndKeepsTheBytesUpToIt() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 4, 8)) {
            assertThat(spool.write(buf("12345"))).isTrue();
            assertThat(spool.write(buf("678"))).isTrue();
            assertThat(spool.overflowed()).isFalse();
            assertThat(spool.write(buf("9"))).isFalse();
            assertThat(spool.overflowed()).isTrue();
            assertThat(spool.write(buf("a"))).isFalse();
            assertThat(spool.size()).isEqualTo(8);
            assertThat(read(spool.toSource(new byte[0]))).isEqualTo("12345678");
        }
    }

    @Test
    void aSourceIsASnapshotOfTheContentWrittenSoFar() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 4, 100)) {
            spool.write(buf("first"));
            MessageSource source = spool.toSource(new byte[0]);
            spool.write(buf("second"));
            assertThat(source.size()).isEqualTo(5);
            assertThat(read(source)).isEqualTo("first");
            assertThat(read(spool.toSource(new byte[0]))).isEqualTo("firstsecond");
        }
    }

    @Test
    void writesAPartOfABufferByIndex() throws IOException {
        try (MessageSpool spool = new MessageSpool(dir, 100, 100)) {
            ByteBuf data = buf("xxhelloxx");
            assertThat(spool.write(data, 2, 5)).isTrue();
            assertThat(read(spool.toSource(new byte[0]))).isEqualTo("hello");
        }
    }
}
