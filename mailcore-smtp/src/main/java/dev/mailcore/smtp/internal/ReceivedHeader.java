package dev.mailcore.smtp.internal;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The RFC 5321 §4.4 trace header the server prepends to every accepted message, with the RFC 3848/6531 protocol
 * keyword in its {@code with} clause. No reverse DNS lookup is made.
 */
final class ReceivedHeader {
    /** RFC 5322 date-time with a numeric zone. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    /**
     * @param helo      the EHLO/HELO argument
     * @param remote    the client address
     * @param host      this server's name
     * @param protocol  {@code ESMTP}, {@code ESMTPSA}, {@code UTF8SMTPS}…
     * @param id        the message id used in the reply and logs
     * @param tls       {@code "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256"} or {@code null}
     * @param recipient the single recipient, or {@code null} when there are several
     * @param date      the time of receipt
     */
    static String build(String helo, InetSocketAddress remote, String host, String protocol, String id, String tls,
                        String recipient, ZonedDateTime date) {
        List<String> clauses = new ArrayList<>(6);
        clauses.add("from " + clean(helo) + " (" + addressLiteral(remote) + ")");
        clauses.add("by " + host + " (mailcore)");
        clauses.add("with " + protocol + " id " + id);
        if (tls != null) {
            clauses.add("(using " + clean(tls) + ")");
        }
        if (recipient != null) {
            clauses.add("for <" + recipient + ">");
        }
        int last = clauses.size() - 1;
        clauses.set(last, clauses.get(last) + ";");
        clauses.add(DATE.format(date));
        return HeaderFolding.fold("Received", clauses);
    }

    /** The RFC 3848 / RFC 6531 {@code with} keyword. */
    static String protocol(boolean esmtp, boolean utf8, boolean tls, boolean authenticated) {
        StringBuilder sb = new StringBuilder(12);
        sb.append(utf8 ? "UTF8SMTP" : esmtp ? "ESMTP" : "SMTP");
        if (tls) {
            sb.append('S');
        }
        if (authenticated) {
            sb.append('A');
        }
        return sb.toString();
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    static String addressLiteral(InetSocketAddress remote) {
        InetAddress address = remote.getAddress();
        if (address == null) {
            return "[" + clean(remote.getHostString()) + "]";
        }
        String text = NetUtil.toAddressString(address);
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        return address instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
    }

    /** Printable ASCII without parentheses trouble; anything else becomes '?'. */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c > 32 && c < 127 && c != '(' && c != ')' && c != '\\' ? c : c == ' ' ? ' ' : '?');
        }
        return sb.toString();
    }
}
