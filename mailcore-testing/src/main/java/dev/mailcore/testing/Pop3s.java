package dev.mailcore.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies an injected {@code jakarta.mail.Session} parameter: a session whose default store is the POP3S listener (implicit TLS),
 * as {@link MailSessions#pop3s()} makes it; {@code session.getStore().connect()} logs in as the first user.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Pop3s {
}
