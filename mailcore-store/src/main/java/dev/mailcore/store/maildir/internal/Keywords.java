package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;

/**
 * A mailbox's keyword letters, kept in its {@code dovecot-keywords} file as Dovecot does: one line {@code <index>
 * <keyword>} per keyword, index 0 being letter {@code a}, up to 26. Keywords match case-insensitively and keep the
 * spelling first used. Not thread-safe: guarded by the user's lock.
 */
public final class Keywords {
    /** The file name Dovecot uses. */
    public static final String FILE = "dovecot-keywords";
    private static final int MAX = 26;

    private final String[] byIndex = new String[MAX];

    /** Reads the keywords of a folder directory; a missing or unreadable line is skipped. */
    public static Keywords load(Path folderDir) throws IOException {
        Keywords k = new Keywords();
        String text;
        try {
            text = Files.readString(folderDir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return k;
        } catch (java.nio.charset.MalformedInputException e) {
            return k;
        }
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            try {
                int idx = Integer.parseInt(line.substring(0, sp));
                String kw = line.substring(sp + 1).trim();
                if (idx >= 0 && idx < MAX && !kw.isEmpty()) {
                    new dev.mailcore.api.store.Flags(java.util.Set.of(), java.util.Set.of(kw)); // an IMAP atom?
                    k.byIndex[idx] = kw;
                }
            } catch (IllegalArgumentException ignored) {
                // not a keyword line, or not a keyword IMAP can name
            }
        }
        return k;
    }

    /** The keyword of a letter {@code a}–{@code z}, or {@code null}. */
    public String keywordOf(char letter) {
        int i = letter - 'a';
        return i >= 0 && i < MAX ? byIndex[i] : null;
    }

    /** The letter of a known keyword (see {@link #ensure}). */
    public char letterOf(String keyword) {
        int i = indexOf(keyword);
        if (i < 0) {
            throw new IllegalStateException("keyword has no letter yet: " + keyword);
        }
        return (char) ('a' + i);
    }

    /**
     * Gives every keyword a letter, writing the file if a new one was needed; changes nothing on failure.
     *
     * @throws StoreException {@link StoreError#NOT_ALLOWED} beyond 26 keywords, {@link StoreError#FAILURE} on I/O
     */
    public void ensure(Collection<String> keywords, Path folderDir, FileOps io) {
        String[] next = null;
        for (String k : keywords) {
            if (indexOf(k) >= 0 || next != null && indexIn(next, k) >= 0) {
                continue;
            }
            if (next == null) {
                next = byIndex.clone();
            }
            int free = indexIn(next, null);
            if (free < 0) {
                throw new StoreException(StoreError.NOT_ALLOWED,
                        "a Maildir mailbox holds at most " + MAX + " keywords; no room for " + k);
            }
            next[free] = k;
        }
        if (next == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < MAX; i++) {
            if (next[i] != null) {
                sb.append(i).append(' ').append(next[i]).append('\n');
            }
        }
        try {
            io.writeAtomically(folderDir.resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw FileOps.failure("cannot write " + FILE + " in " + folderDir, e);
        }
        System.arraycopy(next, 0, byIndex, 0, MAX);
    }

    private int indexOf(String keyword) {
        return indexIn(byIndex, keyword);
    }

    private static int indexIn(String[] array, String keyword) {
        for (int i = 0; i < array.length; i++) {
            if (keyword == null ? array[i] == null : keyword.equalsIgnoreCase(array[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return Arrays.toString(byIndex);
    }
}
