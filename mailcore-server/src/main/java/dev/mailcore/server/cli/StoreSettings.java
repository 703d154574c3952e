package dev.mailcore.server.cli;

import dev.mailcore.api.store.Store;
import dev.mailcore.store.MemoryStore;
import dev.mailcore.store.jdbc.JdbcStore;
import dev.mailcore.store.maildir.MaildirStore;

import java.nio.file.Path;
import java.util.List;

/**
 * How the standalone server makes its store from {@code --store}, {@code --quota-*} and the folder settings.
 *
 * @param spec            {@code memory}, {@code maildir:DIR} or a JDBC URL ({@code jdbc:h2:file:DIR/mail},
 *                        {@code jdbc:postgresql://...})
 * @param quotaBytes      per-user byte limit, or {@link Long#MAX_VALUE}
 * @param quotaMessages   per-user message limit, or {@link Long#MAX_VALUE}
 * @param defaultFolders  whether folders are created for each user on first use
 * @param folders         the folders to create, as {@code NAME} or {@code NAME=\SpecialUse}; empty for the standard
 *                        set (Sent, Drafts, Trash, Junk, Archive)
 */
record StoreSettings(String spec, long quotaBytes, long quotaMessages, boolean defaultFolders, List<String> folders) {

    /** Checks the form of {@code spec} without opening anything. */
    static void validate(String spec) {
        if (!spec.equals("memory") && !(spec.startsWith("maildir:") && spec.length() > 8)
                && !spec.startsWith("jdbc:")) {
            throw new IllegalArgumentException("--store wants memory, maildir:DIR or a JDBC URL (jdbc:h2:file:DIR/mail,"
                    + " jdbc:postgresql://...), got " + spec);
        }
    }

    /** Opens the store (creating directories or schema as needed). */
    Store open() {
        if (spec.equals("memory")) {
            MemoryStore.Builder b = MemoryStore.builder().quota(quotaBytes, quotaMessages);
            folders(b::standardFolders, b::defaultFolder);
            return b.build();
        }
        if (spec.startsWith("maildir:")) {
            MaildirStore.Builder b = MaildirStore.builder(Path.of(spec.substring("maildir:".length())))
                    .quota(quotaBytes, quotaMessages);
            folders(b::standardFolders, b::defaultFolder);
            return b.build();
        }
        JdbcStore.Builder b = JdbcStore.builder(spec).quota(quotaBytes, quotaMessages);
        folders(b::standardFolders, b::defaultFolder);
        return b.build();
    }

    private interface FolderAdder {
        Object add(String name, String... specialUse);
    }

    private void folders(Runnable standard, FolderAdder adder) {
        if (!defaultFolders) {
            return;
        }
        if (folders.isEmpty()) {
            standard.run();
            return;
        }
        for (String f : folders) {
            int eq = f.indexOf('=');
            if (eq < 0) {
                adder.add(f);
            } else {
                adder.add(f.substring(0, eq), f.substring(eq + 1));
            }
        }
    }
}
