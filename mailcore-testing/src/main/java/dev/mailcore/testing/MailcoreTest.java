package dev.mailcore.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link TestMailServer} for each test of the annotated class (or one for the whole class) and injects it, its
 * {@link MailSessions} and Jakarta Mail {@code Session}s into test and lifecycle method parameters. The annotation
 * form of {@link MailcoreExtension}; use the extension with {@code @RegisterExtension} for anything this cannot say.
 * {@code @Nested} classes use the outer class's settings.
 *
 * <pre>{@code
 * @MailcoreTest(users = "alice@example.com:secret", listeners = {MailListener.SMTP, MailListener.SUBMISSION})
 * class SignupMailTest {
 *     @Test
 *     void sendsWelcomeMail(TestMailServer server, @Submission Session session) throws Exception { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(MailcoreExtension.class)
public @interface MailcoreTest {

    /** Users as {@code address:password}; their domains become local. */
    String[] users() default {};

    /** The listeners to run; default SMTP only. */
    MailListener[] listeners() default {MailListener.SMTP};

    /** Whether the injected client sessions must use TLS (STARTTLS required on SMTP too). */
    boolean tls() default false;

    /** One server per test method (default) or one for the whole class. */
    MailcoreExtension.Lifecycle lifecycle() default MailcoreExtension.Lifecycle.PER_METHOD;
}
