package dev.mailcore.netty;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsIT {

    private static final ServerTls SELF_SIGNED = ServerTls.create(TlsConfig.selfSigned());

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private BoundListener listen(TlsMode mode, ServerTls tls) {
        return listen(ListenerConfig.defaults("tls", mode), tls);
    }

    private BoundListener listen(ListenerConfig config, ServerTls tls) {
        NettyServer server = new NettyServer(1, Duration.ofSeconds(1));
        resources.add(server);
        return server.bind(config, tls, new EchoProtocol());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void implicitTlsHandshakeVerifiesTheSelfSignedCertificateForLocalhost() throws Exception {
        BoundListener listener = listen(TlsMode.IMPLICIT, SELF_SIGNED);
        LineClient client = track(LineClient.connectTls(listener, SELF_SIGNED.clientContext(), "localhost"));

        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.send("TLS").readLine()).startsWith("250 TLSv1.3 TLS_");
        SSLSocket socket = (SSLSocket) client.socket();
        assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(SELF_SIGNED.certificateChain().get(0));
    }

    @Test
    void selfSignedCertificateIsValidForTheLoopbackAddress() throws Exception {
        BoundListener listener = listen(TlsMode.IMPLICIT, SELF_SIGNED);
        LineClient client = track(LineClient.connectTls(listener, SELF_SIGNED.clientContext(), "127.0.0.1"));
        assertThat(client.readLine()).isEqualTo("220 hi");
    }

    @Test
    void hostnameVerificationRejectsANameTheCertificateDoesNotCover() throws Exception {
        BoundListener listener = listen(TlsMode.IMPLICIT, SELF_SIGNED);
        assertThatThrownBy(() -> track(LineClient.connectTls(listener, SELF_SIGNED.clientContext(),
                "mail.example.org"))).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void extraHostNamesAreCoveredByTheSelfSignedCertificate() throws Exception {
        ServerTls tls = ServerTls.create(new TlsConfig.SelfSigned(List.of("mail.example.org")));
        BoundListener listener = listen(TlsMode.IMPLICIT, tls);
        LineClient client = track(LineClient.connectTls(listener, tls.clientContext(), "mail.example.org"));
        assertThat(client.readLine()).isEqualTo("220 hi");
    }

    @Test
    void clientThatTrustsAnotherCertificateFailsTheHandshake() {
        BoundListener listener = listen(TlsMode.IMPLICIT, SELF_SIGNED);
        ServerTls other = ServerTls.create(TlsConfig.selfSigned());
        assertThatThrownBy(() -> track(LineClient.connectTls(listener, other.clientContext(), "localhost")))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void clientOfferingOnlyTls11IsRefused() throws Exception {
        BoundListener listener = listen(TlsMode.IMPLICIT, SELF_SIGNED);
        byte[] answer = exchangeClientHello(listener, 0x0302);
        // no ServerHello (handshake record 0x16): at most an alert record (0x15), then the connection is closed
        assertThat(answer.length == 0 || answer[0] == 0x15).as("answer starts with an alert or is empty").isTrue();
    }

    @Test
    void handcraftedClientHelloForTls12GetsAServerHello() throws Exception {
        // the control for clientOfferingOnlyTls11IsRefused: the same hello with version 1.2 is answered
        BoundListener listener = listen(TlsMode.IMPLICIT, SELF_SIGNED);
        byte[] answer = exchangeClientHello(listener, 0x0303);
        assertThat(answer).isNotEmpty();
        assertThat(answer[0]).isEqualTo((byte) 0x16);
        assertThat(answer[5]).as("handshake type server_hello").isEqualTo((byte) 2);
    }

    @Test
    void startTlsUpgradesAPlainConnection() throws Exception {
        BoundListener listener = listen(TlsMode.STARTTLS, SELF_SIGNED);
        LineClient client = track(LineClient.connect(listener));
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.send("TLS").readLine()).isEqualTo("250 none");
        assertThat(client.send("STARTTLS").readLine()).isEqualTo("220 go ahead");

        client.startTls(SELF_SIGNED.clientContext(), "localhost");
        assertThat(client.send("TLS").readLine()).startsWith("250 TLSv1.3 ");
        assertThat(client.send("secret").readLine()).isEqualTo("250 secret");
    }

    @Test
    void proxyHeaderComesBeforeTheTlsHandshakeOnAnImplicitTlsListener() throws Exception {
        ListenerConfig config = new ListenerConfig("smtps", "127.0.0.1", 0, TlsMode.IMPLICIT, true, 10, 10,
                Duration.ofMinutes(1));
        BoundListener listener = listen(config, SELF_SIGNED);
        LineClient client = track(LineClient.connect(listener));
        client.send("PROXY TCP4 192.0.2.1 192.0.2.2 1234 465");
        client.startTls(SELF_SIGNED.clientContext(), "localhost");
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.send("ID").readLine()).endsWith("/192.0.2.1:1234");
    }

    @Test
    void refusalOnAnImplicitTlsListenerIsSentOverTls() throws Exception {
        ListenerConfig config = new ListenerConfig("smtps", "127.0.0.1", 0, TlsMode.IMPLICIT, false, 1, 1,
                Duration.ofMinutes(1));
        BoundListener listener = listen(config, SELF_SIGNED);
        LineClient first = track(LineClient.connectTls(listener, SELF_SIGNED.clientContext(), "localhost"));
        assertThat(first.readLine()).isEqualTo("220 hi");

        LineClient second = track(LineClient.connectTls(listener, SELF_SIGNED.clientContext(), "localhost"));
        assertThat(second.readLine()).isEqualTo("421 TOO_MANY_CONNECTIONS");
        assertThat(second.isClosedByServer()).isTrue();
    }

    @Test
    void idleRefusalOnAnImplicitTlsListenerIsSentOverTls() throws Exception {
        ListenerConfig config = new ListenerConfig("smtps", "127.0.0.1", 0, TlsMode.IMPLICIT, false, 10, 10,
                Duration.ofMillis(300));
        BoundListener listener = listen(config, SELF_SIGNED);
        LineClient client = track(LineClient.connectTls(listener, SELF_SIGNED.clientContext(), "localhost"));
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.readLine()).isEqualTo("421 IDLE_TIMEOUT");
    }

    @Test
    void pemWithPkcs8RsaKeyServesTls() throws Exception {
        TestKeys keys = TestKeys.rsa();
        assertServes(TlsConfig.pem(keys.writeCertificatePem(dir.resolve("cert.pem")),
                keys.writePkcs8KeyPem(dir.resolve("key.pem"))), keys);
    }

    @Test
    void pemWithPkcs1RsaKeyServesTls() throws Exception {
        TestKeys keys = TestKeys.rsa();
        assertServes(TlsConfig.pem(keys.writeCertificatePem(dir.resolve("cert.pem")),
                keys.writeTraditionalKeyPem(dir.resolve("key.pem"))), keys);
    }

    @Test
    void pemWithSec1EcKeyServesTls() throws Exception {
        TestKeys keys = TestKeys.ec();
        assertServes(TlsConfig.pem(keys.writeCertificatePem(dir.resolve("cert.pem")),
                keys.writeTraditionalKeyPem(dir.resolve("key.pem"))), keys);
    }

    @Test
    void pkcs12KeyStoreServesTls() throws Exception {
        TestKeys keys = TestKeys.rsa();
        char[] password = "changeit".toCharArray();
        assertServes(TlsConfig.pkcs12(keys.writePkcs12(dir.resolve("server.p12"), password), password), keys);
    }

    private void assertServes(TlsConfig config, TestKeys keys) throws Exception {
        ServerTls tls = ServerTls.create(config);
        assertThat(tls.certificateChain()).containsExactly(keys.certificate());
        BoundListener listener = listen(TlsMode.IMPLICIT, tls);
        LineClient client = track(LineClient.connectTls(listener, tls.clientContext(), "localhost"));
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(((SSLSocket) client.socket()).getSession().getPeerCertificates()[0])
                .isEqualTo(keys.certificate());
    }

    /** Sends a minimal ClientHello with the given legacy version and returns what the server answers. */
    private static byte[] exchangeClientHello(BoundListener listener, int version) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(clientHello(version));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketException e) {
                    break; // reset: closed
                } catch (SocketTimeoutException e) {
                    if (version == 0x0302) {
                        throw new AssertionError("server neither answered nor closed", e);
                    }
                    break; // a TLS 1.2 server waits for the client's next flight
                }
                if (n == -1) {
                    break;
                }
                answer.write(buffer, 0, n);
                if (version != 0x0302 && answer.size() > 6) {
                    break;
                }
            }
            return answer.toByteArray();
        }
    }

    private static byte[] clientHello(int version) {
        ByteBuffer body = ByteBuffer.allocate(512);
        body.putShort((short) version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.put(random);
        body.put((byte) 0); // no session id
        int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013, 0x002F, 0x009C};
        body.putShort((short) (suites.length * 2));
        for (int suite : suites) {
            body.putShort((short) suite);
        }
        body.put((byte) 1).put((byte) 0); // null compression
        ByteBuffer extensions = ByteBuffer.allocate(128);
        // supported_groups: secp256r1
        extensions.putShort((short) 0x000a).putShort((short) 4).putShort((short) 2).putShort((short) 0x0017);
        // ec_point_formats: uncompressed
        extensions.putShort((short) 0x000b).putShort((short) 2).put((byte) 1).put((byte) 0);
        // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
        extensions.putShort((short) 0x000d).putShort((short) 8).putShort((short) 6)
                .putShort((short) 0x0403).putShort((short) 0x0804).putShort((short) 0x0401);
        extensions.flip();
        body.putShort((short) extensions.remaining()).put(extensions);
        body.flip();
        ByteBuffer record = ByteBuffer.allocate(9 + body.remaining());
        record.put((byte) 0x16).putShort((short) 0x0301).putShort((short) (4 + body.remaining()));
        record.put((byte) 1).put((byte) 0).putShort((short) body.remaining()).put(body);
        return record.array();
    }
}
