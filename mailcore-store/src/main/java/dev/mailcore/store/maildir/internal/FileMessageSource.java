package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.store.internal.UserState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The content of a stored message, streamed from its file on every {@link #openStream()}; nothing is kept in the
 * heap. A flag change renames the file: the stream then follows the entry's new name. Once the message is expunged
 * the stream fails with {@link NoSuchFileException} (a stream opened before keeps reading, as POSIX allows).
 */
public final class FileMessageSource implements MessageSource {
    private final Entry entry;
    private final UserState owner;
    private final long size;

    /**
     * @param entry the message
     * @param owner the user whose lock guards renames of the entry's file
     */
    public FileMessageSource(Entry entry, UserState owner) {
        this.entry = entry;
        this.owner = owner;
        this.size = entry.meta().size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream openStream() throws IOException {
        Path p = entry.path();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return Files.newInputStream(p);
            } catch (NoSuchFileException e) {
                // renamed meanwhile (flag change, folder rename)? Renames happen under the user's lock, so once we
                // held it the entry's name is current
                Path now;
                owner.lock();
                try {
                    now = entry.path();
                } finally {
                    owner.unlock();
                }
                if (now.equals(p)) {
                    throw new NoSuchFileException(p.toString(), null, "message file is gone (expunged?)");
                }
                p = now;
            }
        }
        throw new NoSuchFileException(p.toString(), null, "message file keeps being renamed");
    }

    /** The file as of now. */
    public Path path() {
        return entry.path();
    }

    @Override
    public String toString() {
        return "FileMessageSource[" + entry.path() + ", " + size + " bytes]";
    }
}
