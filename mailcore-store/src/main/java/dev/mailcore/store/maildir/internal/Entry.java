package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.store.MessageMeta;

import java.nio.file.Path;

/**
 * One message of a {@link Folder}: its metadata, its base file name (which never changes) and where its file is now
 * ({@code cur/<name>} or {@code new/<name>}; a flag change renames it). The location is volatile so that content
 * streams opened without the user's lock find a renamed file; the metadata is guarded by the user's lock.
 */
public final class Entry {
    private final Folder folder;
    private final String base;
    private volatile String relativePath;
    private MessageMeta meta;

    Entry(Folder folder, String base, String relativePath, MessageMeta meta) {
        this.folder = folder;
        this.base = base;
        this.relativePath = relativePath;
        this.meta = meta;
    }

    public long uid() {
        return meta.uid();
    }

    public MessageMeta meta() {
        return meta;
    }

    void setMeta(MessageMeta meta) {
        this.meta = meta;
    }

    public String base() {
        return base;
    }

    /** {@code cur/<file name>} or {@code new/<file name>}. */
    public String relativePath() {
        return relativePath;
    }

    public void setRelativePath(String relativePath) {
        this.relativePath = relativePath;
    }

    /** The file name without directory. */
    public String fileName() {
        String r = relativePath;
        return r.substring(r.indexOf('/') + 1);
    }

    /** The message file as of now. */
    public Path path() {
        return folder.dir().resolve(relativePath);
    }

    public Folder folder() {
        return folder;
    }
}
