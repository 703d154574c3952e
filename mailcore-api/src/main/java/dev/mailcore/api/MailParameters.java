package dev.mailcore.api;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * ESMTP parameters of the MAIL FROM command.
 *
 * @param declaredSize the {@code SIZE=} value (RFC 1870), if given
 * @param body         the {@code BODY=} value; {@link BodyType#SEVEN_BIT} when absent
 * @param smtpUtf8     whether {@code SMTPUTF8} was given (RFC 6531)
 * @param dsnReturn    {@code RET=} (RFC 3461), or {@code null}
 * @param envelopeId   {@code ENVID=} as decoded xtext (RFC 3461), or {@code null}
 * @param authSender   {@code AUTH=} mailbox (RFC 4954) as decoded xtext, or {@code null} (also for {@code <>})
 * @param other        any further parameters accepted by an extension, keyword upper-cased to value (value may be
 *                     empty)
 */
public record MailParameters(OptionalLong declaredSize, BodyType body, boolean smtpUtf8, DsnReturn dsnReturn,
                             String envelopeId, String authSender, Map<String, String> other) {

    /** No parameters. */
    public static final MailParameters NONE =
            new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, null, null, null, Map.of());

    public MailParameters {
        Objects.requireNonNull(declaredSize, "declaredSize");
        Objects.requireNonNull(body, "body");
        other = Map.copyOf(other);
    }
}
