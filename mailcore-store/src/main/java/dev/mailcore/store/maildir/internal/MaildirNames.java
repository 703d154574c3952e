package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names on disk.
 *
 * <ul>
 *   <li>User directories: the user name in lower case, every UTF-8 byte outside {@code [a-z0-9@._+-]} (and a leading
 *   dot) written as {@code %XX}.</li>
 *   <li>Folders (Maildir++): {@code INBOX} is the user's directory; {@code Archive/2026} is {@code .Archive.2026}.
 *   Each hierarchy level is written in modified UTF-7 (RFC 3501 §5.1.3, as Dovecot and Courier do), where in
 *   addition a literal {@code .} is always base64-encoded ({@code a.b} becomes {@code a&AC4-b}) so it cannot be
 *   taken for a hierarchy separator.</li>
 *   <li>Message files: {@code <seconds>.M<micros>P<pid>Q<counter>.<host>,S=<size>} plus the info suffix {@code
 *   :2,<flags>} with {@code D F R S T} for Draft, Flagged, Answered (Replied), Seen and Deleted (Trashed), then
 *   keyword letters {@code a-z}, in ASCII order.</li>
 * </ul>
 */
public final class MaildirNames {
    /** The separator of Maildir++ folder levels on disk. */
    public static final char FOLDER_SEPARATOR = '.';
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = sanitizeHost(hostName());

    private MaildirNames() {
    }

    // ---- users ----

    /** The directory name of a user (see the class comment). */
    public static String userDirectory(String user) {
        String key = user.toLowerCase(java.util.Locale.ROOT);
        if (key.isEmpty()) {
            throw new StoreException(StoreError.NOT_ALLOWED, "empty user name");
        }
        StringBuilder out = new StringBuilder(key.length() + 8);
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '@' || b == '.' || b == '_'
                    || b == '+' || b == '-';
            if (plain && !(i == 0 && b == '.')) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
            }
        }
        return out.toString();
    }

    // ---- folders ----

    /** The directory name of a non-INBOX mailbox, such as {@code .Archive.2026}. */
    public static String folderDirectory(String mailboxName) {
        StringBuilder out = new StringBuilder(mailboxName.length() + 2);
        for (String level : mailboxName.split(String.valueOf(Store.HIERARCHY_DELIMITER), -1)) {
            out.append(FOLDER_SEPARATOR).append(encodeLevel(level));
        }
        return out.toString();
    }

    /**
     * The mailbox name of a Maildir++ folder directory, or {@code null} when the name is not one (no leading dot, an
     * empty level, bad modified UTF-7, or a name that means INBOX itself).
     */
    public static String mailboxName(String directoryName) {
        if (directoryName.length() < 2 || directoryName.charAt(0) != FOLDER_SEPARATOR) {
            return null;
        }
        String[] levels = directoryName.substring(1).split("\\.", -1);
        StringBuilder name = new StringBuilder();
        for (String level : levels) {
            if (level.isEmpty()) {
                return null;
            }
            String decoded;
            try {
                decoded = decodeLevel(level);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (decoded.isEmpty() || decoded.indexOf(Store.HIERARCHY_DELIMITER) >= 0) {
                return null;
            }
            if (name.length() > 0) {
                name.append(Store.HIERARCHY_DELIMITER);
            }
            name.append(decoded);
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                return null;
            }
        }
        String n = new MailboxRef("x", name.toString()).name();
        return MailboxRef.INBOX.equals(n) ? null : n;
    }

    static String encodeLevel(String level) {
        StringBuilder out = new StringBuilder(level.length());
        int i = 0;
        while (i < level.length()) {
            char c = level.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (direct(c)) {
                out.append(c);
                i++;
            } else {
                int j = i;
                while (j < level.length() && !direct(level.charAt(j)) && level.charAt(j) != '&') {
                    j++;
                }
                byte[] utf16 = level.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
                out.append('&').append(Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ','))
                        .append('-');
                i = j;
            }
        }
        return out.toString();
    }

    static String decodeLevel(String level) {
        StringBuilder out = new StringBuilder(level.length());
        int i = 0;
        while (i < level.length()) {
            char c = level.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = level.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated modified UTF-7 in " + level);
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                byte[] utf16 = Base64.getDecoder().decode(level.substring(i + 1, end).replace(',', '/'));
                if (utf16.length % 2 != 0) {
                    throw new IllegalArgumentException("odd UTF-16 length in " + level);
                }
                out.append(new String(utf16, StandardCharsets.UTF_16BE));
            }
            i = end + 1;
        }
        return out.toString();
    }

    private static boolean direct(char c) {
        return c >= 0x20 && c <= 0x7e && c != '&' && c != FOLDER_SEPARATOR;
    }

    // ---- message files ----

    /** A new unique base name (without info suffix) for a message of {@code size} octets. */
    public static String newBaseName(Instant now, long size) {
        long micros = now.getNano() / 1000;
        return now.getEpochSecond() + ".M" + micros + "P" + PID + "Q" + COUNTER.incrementAndGet() + "." + HOST
                + ",S=" + size;
    }

    /** The base of a file name: everything before the info suffix. */
    public static String baseName(String fileName) {
        int colon = fileName.indexOf(':');
        return colon < 0 ? fileName : fileName.substring(0, colon);
    }

    /** The {@code S=} size in a base name, or -1 when it has none. */
    public static long sizeOf(String baseName) {
        int s = baseName.indexOf(",S=");
        if (s < 0) {
            return -1;
        }
        int end = s + 3;
        while (end < baseName.length() && Character.isDigit(baseName.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(baseName.substring(s + 3, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The file name for a base name and flags: {@code base:2,FLAGS}. */
    public static String fileName(String baseName, Flags flags, Keywords keywords) {
        StringBuilder sb = new StringBuilder(baseName.length() + 12).append(baseName).append(":2,");
        if (flags.contains(Flag.DRAFT)) {
            sb.append('D');
        }
        if (flags.contains(Flag.FLAGGED)) {
            sb.append('F');
        }
        if (flags.contains(Flag.ANSWERED)) {
            sb.append('R');
        }
        if (flags.contains(Flag.SEEN)) {
            sb.append('S');
        }
        if (flags.contains(Flag.DELETED)) {
            sb.append('T');
        }
        char[] letters = new char[flags.keywords().size()];
        int n = 0;
        for (String k : flags.keywords()) {
            letters[n++] = keywords.letterOf(k);
        }
        java.util.Arrays.sort(letters);
        return sb.append(letters).toString();
    }

    /** The flags in a file name's {@code :2,} info suffix; letters without a keyword are ignored. */
    public static Flags flagsOf(String fileName, Keywords keywords) {
        int info = fileName.indexOf(":2,");
        if (info < 0) {
            return Flags.NONE;
        }
        EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> kw = new LinkedHashSet<>();
        for (int i = info + 3; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            switch (c) {
                case 'D' -> system.add(Flag.DRAFT);
                case 'F' -> system.add(Flag.FLAGGED);
                case 'R' -> system.add(Flag.ANSWERED);
                case 'S' -> system.add(Flag.SEEN);
                case 'T' -> system.add(Flag.DELETED);
                default -> {
                    if (c >= 'a' && c <= 'z') {
                        String k = keywords.keywordOf(c);
                        if (k != null) {
                            kw.add(k);
                        }
                    }
                }
            }
        }
        return new Flags(system, kw);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** Maildir's rule: {@code /} and {@code :} (and our {@code ,}) as octal escapes. */
    static String sanitizeHost(String host) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : host.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '/' || c == ':' || c == ',' || c == '\\' || c < 0x21 || c > 0x7e) {
                String esc = String.format("\\%03o", c);
                out.writeBytes(esc.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(c);
            }
        }
        String s = out.toString(StandardCharsets.US_ASCII);
        return s.isEmpty() ? "localhost" : s;
    }
}
