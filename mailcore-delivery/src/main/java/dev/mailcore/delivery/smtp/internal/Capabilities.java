package dev.mailcore.delivery.smtp.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ESMTP extensions a server announced in its EHLO reply (keyword upper-cased → parameter text). */
public final class Capabilities {
    /** No extensions (HELO). */
    public static final Capabilities NONE = new Capabilities(Map.of());

    private final Map<String, String> extensions;

    private Capabilities(Map<String, String> extensions) {
        this.extensions = Map.copyOf(extensions);
    }

    /** From an EHLO reply: the first line is the greeting, each further line one extension. */
    public static Capabilities fromEhlo(RemoteReply reply) {
        Map<String, String> map = new HashMap<>();
        List<String> lines = reply.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.indexOf(' ');
            String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            String params = sp < 0 ? "" : line.substring(sp + 1).strip();
            map.put(keyword, params);
        }
        return new Capabilities(map);
    }

    public boolean has(String keyword) {
        return extensions.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The SIZE limit, 0 when announced without one, -1 when not announced. */
    public long sizeLimit() {
        String p = extensions.get("SIZE");
        if (p == null) {
            return -1;
        }
        try {
            return p.isEmpty() ? 0 : Long.parseLong(p.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether AUTH lists {@code mechanism}. */
    public boolean authMechanism(String mechanism) {
        String p = extensions.get("AUTH");
        if (p == null) {
            return false;
        }
        for (String m : p.split("[\\s=]+")) {
            if (m.equalsIgnoreCase(mechanism)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return extensions.keySet().toString();
    }
}
