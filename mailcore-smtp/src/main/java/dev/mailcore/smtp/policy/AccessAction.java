package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.SmtpReply;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The right-hand side of an {@link AccessRules} entry, as in sendmail's access database.
 *
 * <table>
 *   <caption>Actions and the decisions they give</caption>
 *   <tr><th>action</th><th>decision</th></tr>
 *   <tr><td>{@code OK}</td><td>accept; less specific access rules of the same kind are not consulted</td></tr>
 *   <tr><td>{@code RELAY}</td><td>{@link Decision#RELAY}: a trusted client (Connect, From) or a recipient that may
 *       be relayed (To)</td></tr>
 *   <tr><td>{@code REJECT}</td><td>{@code 550 5.7.1 Access denied}</td></tr>
 *   <tr><td>{@code DISCARD}</td><td>{@link Decision#DISCARD}</td></tr>
 *   <tr><td>{@code DEFER}</td><td>{@code 451 4.7.1 Access temporarily denied, try again later}</td></tr>
 *   <tr><td>{@code ERROR:"5xx x.y.z text"}</td><td>reject with that reply; a 4xx code defers, a 421 disconnects;
 *       the enhanced status code may be omitted (then {@code 5.7.1} or {@code 4.7.1}) or written sendmail's way,
 *       {@code ERROR:5.7.1:550 text}; the quotes are optional</td></tr>
 * </table>
 */
public final class AccessAction {

    /** The kind of action. */
    public enum Type { OK, RELAY, REJECT, DISCARD, DEFER, ERROR }

    /** {@code OK}. */
    public static final AccessAction OK = new AccessAction(Type.OK, null);
    /** {@code RELAY}. */
    public static final AccessAction RELAY = new AccessAction(Type.RELAY, null);
    /** {@code REJECT}: {@code 550 5.7.1 Access denied}. */
    public static final AccessAction REJECT = new AccessAction(Type.REJECT, SmtpReply.of(550, "5.7.1", "Access denied"));
    /** {@code DISCARD}. */
    public static final AccessAction DISCARD = new AccessAction(Type.DISCARD, null);
    /** {@code DEFER}: {@code 451 4.7.1 Access temporarily denied, try again later}. */
    public static final AccessAction DEFER = new AccessAction(Type.DEFER,
            SmtpReply.of(451, "4.7.1", "Access temporarily denied, try again later"));

    private static final Pattern ERROR_TEXT =
            Pattern.compile("(?:([45]\\.\\d{1,3}\\.\\d{1,3}):)?([45]\\d\\d)(?:[ \\t]+([45]\\.\\d{1,3}\\.\\d{1,3}))?(?:[ \\t]+(.*))?");

    private final Type type;
    private final SmtpReply reply;

    private AccessAction(Type type, SmtpReply reply) {
        this.type = type;
        this.reply = reply;
    }

    /**
     * An {@code ERROR} action answering with {@code reply}.
     *
     * @throws MailcoreException if the reply is not a 4xx or 5xx reply
     */
    public static AccessAction error(SmtpReply reply) {
        Objects.requireNonNull(reply, "reply");
        if (reply.isPositive()) {
            throw new MailcoreException("an ERROR action needs a 4xx or 5xx reply, got " + reply);
        }
        return new AccessAction(Type.ERROR, reply);
    }

    /**
     * Parses an action as written in an access file: {@code OK}, {@code RELAY}, {@code REJECT}, {@code DISCARD},
     * {@code DEFER} (any case) or {@code ERROR:"550 5.7.1 text"}.
     *
     * @throws MailcoreException if the text is no valid action
     */
    public static AccessAction parse(String text) {
        String s = Objects.requireNonNull(text, "text").trim();
        String upper = s.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "OK":
                return OK;
            case "RELAY":
                return RELAY;
            case "REJECT":
                return REJECT;
            case "DISCARD":
                return DISCARD;
            case "DEFER":
                return DEFER;
            default:
                break;
        }
        if (!upper.startsWith("ERROR:")) {
            throw new MailcoreException("unknown action " + quote(s)
                    + " (expected OK, RELAY, REJECT, DISCARD, DEFER or ERROR:\"5xx x.y.z text\")");
        }
        String body = s.substring(6).trim();
        if (body.startsWith("\"")) {
            if (body.length() < 2 || !body.endsWith("\"")) {
                throw new MailcoreException("unterminated quoted text in " + quote(s));
            }
            body = body.substring(1, body.length() - 1).trim();
        }
        Matcher m = ERROR_TEXT.matcher(body);
        if (!m.matches()) {
            throw new MailcoreException("ERROR needs a 4xx or 5xx reply code and text, got " + quote(s));
        }
        if (m.group(1) != null && m.group(3) != null) {
            throw new MailcoreException("two enhanced status codes in " + quote(s));
        }
        int code = Integer.parseInt(m.group(2));
        String enhanced = m.group(1) != null ? m.group(1) : m.group(3);
        if (enhanced == null) {
            enhanced = code / 100 + ".7.1";
        }
        String replyText = m.group(4) == null || m.group(4).isBlank() ? "Access denied" : m.group(4).trim();
        try {
            return error(SmtpReply.of(code, enhanced, replyText));
        } catch (MailcoreException e) {
            throw new MailcoreException("invalid reply in " + quote(s) + ": " + e.getMessage(), e);
        }
    }

    /** The kind of action. */
    public Type type() {
        return type;
    }

    /** The reply for REJECT, DEFER and ERROR; empty for the others. */
    public Optional<SmtpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /**
     * The policy decision: OK is {@link Decision#ACCEPT}, RELAY {@link Decision#RELAY}, DISCARD {@link
     * Decision#DISCARD}; a reply gives {@link Decision.Reject} (5xx), {@link Decision.Disconnect} (421) or {@link
     * Decision.Defer} (other 4xx).
     */
    public Decision toDecision() {
        switch (type) {
            case OK:
                return Decision.ACCEPT;
            case RELAY:
                return Decision.RELAY;
            case DISCARD:
                return Decision.DISCARD;
            default:
                if (reply.isPermanentFailure()) {
                    return new Decision.Reject(reply);
                }
                return reply.code() == 421 ? new Decision.Disconnect(reply) : new Decision.Defer(reply);
        }
    }

    private static String quote(String s) {
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessAction other && type == other.type && Objects.equals(reply, other.reply);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Objects.hashCode(reply);
    }

    /** The action as an access file would write it. */
    @Override
    public String toString() {
        if (type != Type.ERROR) {
            return type.name();
        }
        return "ERROR:\"" + reply.code() + (reply.enhancedStatus() == null ? "" : " " + reply.enhancedStatus()) + " "
                + String.join(" ", reply.lines()) + "\"";
    }
}
