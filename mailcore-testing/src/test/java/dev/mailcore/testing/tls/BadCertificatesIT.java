package dev.mailcore.testing.tls;

import dev.mailcore.testing.MailListener;
import dev.mailcore.testing.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A verifying Jakarta Mail client accepts the good certificate and refuses each bad one over STARTTLS and SMTPS. */
class BadCertificatesIT {

    static MimeMessage message(Session session) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@example.com"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.com"));
        m.setSubject("tls");
        m.setText("x");
        return m;
    }

    static TestMailServer serverWith(CertificateAuthority ca, ServerCertificate cert) {
        return TestMailServer.builder().user("alice@example.com", "pw").authority(ca).certificate(cert)
                .listeners(MailListener.SUBMISSION, MailListener.SMTPS).start();
    }

    @Test
    void theGoodCertificateIsAcceptedOverStartTlsAndImplicitTls() throws Exception {
        CertificateAuthority ca = TestCertificates.authority();
        try (TestMailServer server = serverWith(ca, ca.server())) {
            Transport.send(message(server.clients().submission()));
            Transport.send(message(server.clients().smtps()));
            assertThat(server.awaitMessages(2)).allMatch(m -> m.tlsProtocol().isPresent());
        }
    }

    static Stream<Arguments> badCertificates() {
        return Stream.of(
                Arguments.of("expired", (Function<CertificateAuthority, ServerCertificate>) c -> c.expired()),
                Arguments.of("not yet valid",
                        (Function<CertificateAuthority, ServerCertificate>) c -> c.notYetValid()),
                Arguments.of("wrong host", (Function<CertificateAuthority, ServerCertificate>) c -> c.wrongHost()),
                Arguments.of("self-signed", (Function<CertificateAuthority, ServerCertificate>) c -> c.selfSigned()),
                Arguments.of("weak key", (Function<CertificateAuthority, ServerCertificate>) c -> c.weakKey()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCertificates")
    void aBadCertificateIsRefusedByAVerifyingClient(String name, Function<CertificateAuthority,
            ServerCertificate> bad) {
        CertificateAuthority ca = TestCertificates.authority();
        try (TestMailServer server = serverWith(ca, bad.apply(ca))) {
            for (Session session : List.of(server.clients().submission(), server.clients().smtps())) {
                MessagingException e = catchThrowableOfType(MessagingException.class,
                        () -> Transport.send(message(session)));
                assertThat(e).as(name + " must be refused").isNotNull();
                assertThat(causes(e)).as(name).anyMatch(c -> c instanceof javax.net.ssl.SSLException
                        || c.getMessage() != null && c.getMessage().contains("Server is not trusted"));
            }
            assertThat(server.received()).isEmpty();
        }
    }

    static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
            if (c instanceof MessagingException me && me.getNextException() != null
                    && !all.contains(me.getNextException())) {
                all.add(me.getNextException());
            }
        }
        return all;
    }
}
