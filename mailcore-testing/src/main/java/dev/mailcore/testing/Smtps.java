package dev.mailcore.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies an injected {@code jakarta.mail.Session} parameter: a session for the submissions (implicit TLS) listener, authenticated as the first user (see {@link MailSessions}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Smtps {
}
