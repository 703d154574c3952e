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
        try {
            return Files.newInputStream(entry.path());
        } catch (NoSuchFileException e) {
            // renamed meanwhile (flag change, folder rename): renames happen under the user's lock, so open it
            // holding the lock; an open stream stays valid when the file is renamed later
            owner.lock();
            try {
                Path now = entry.path();
                try {
                    return Files.newInputStream(now);
                } catch (NoSuchFileException gone) {
                    throw new NoSuchFileException(now.toString(), null, "message file is gone (expunged?)");
                }
            } finally {
                owner.unlock();
            }
        }
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
