package dev.mailcore.netty;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NettyServerIT {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private NettyServer server(Duration grace) {
        NettyServer server = new NettyServer(2, grace);
        resources.add(server);
        return server;
    }

    private LineClient connect(BoundListener listener) throws IOException {
        LineClient client = LineClient.connect(listener);
        resources.add(client);
        return client;
    }

    private static ListenerConfig plain() {
        return ListenerConfig.defaults("test", TlsMode.NONE);
    }

    private static ListenerConfig limits(boolean proxy, int max, int perIp) {
        return new ListenerConfig("test", "127.0.0.1", 0, TlsMode.NONE, proxy, max, perIp, Duration.ofMinutes(1));
    }

    private static ListenerConfig withProxy() {
        return limits(true, 100, 100);
    }

    @Test
    void portZeroBindsARealPortThatServesConnections() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(plain(), null, protocol);

        assertThat(listener.port()).isPositive();
        assertThat(listener.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        LineClient client = connect(listener);
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.send("hello").readLine()).isEqualTo("250 hello");
        assertThat(listener.openConnections()).isEqualTo(1);

        ConnectionContext context = protocol.contexts.poll(5, TimeUnit.SECONDS);
        assertThat(context).isNotNull();
        assertThat(context.remote().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(context.remote().getPort()).isEqualTo(client.socket().getLocalPort());
        assertThat(context.local().getPort()).isEqualTo(listener.port());
        assertThat(context.listener().name()).isEqualTo("test");
        assertThat(context.implicitTls()).isFalse();
    }

    @Test
    void childConnectionsHaveTcpNoDelay() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(plain(), null, protocol);
        connect(listener).readLine();
        io.netty.channel.Channel channel = protocol.channels.poll(5, TimeUnit.SECONDS);
        assertThat(channel.config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
    }

    @Test
    void eachConnectionGetsADifferentShortSessionId() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(plain(), null, protocol);
        connect(listener).readLine();
        connect(listener).readLine();
        String first = protocol.contexts.poll(5, TimeUnit.SECONDS).sessionId();
        String second = protocol.contexts.poll(5, TimeUnit.SECONDS).sessionId();
        assertThat(first).isNotEqualTo(second).hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void twoServersRunSideBySideInOneJvm() throws Exception {
        NettyServer one = server(Duration.ofSeconds(1));
        NettyServer two = server(Duration.ofSeconds(1));
        BoundListener a = one.bind(plain(), null, new EchoProtocol());
        BoundListener b = two.bind(plain(), null, new EchoProtocol());
        assertThat(a.port()).isNotEqualTo(b.port());

        LineClient clientA = connect(a);
        LineClient clientB = connect(b);
        assertThat(clientA.readLine()).isEqualTo("220 hi");
        assertThat(clientB.readLine()).isEqualTo("220 hi");

        one.close();
        assertThat(clientA.readLine()).isEqualTo("421 bye");
        assertThat(clientB.send("still there").readLine()).isEqualTo("250 still there");
    }

    @Test
    void bindingABusyPortFailsWithMailcoreException() {
        NettyServer server = server(Duration.ofSeconds(1));
        BoundListener listener = server.bind(plain(), null, new EchoProtocol());
        NettyServer other = server(Duration.ofSeconds(1));
        assertThatThrownBy(() -> other.bind(plain().withPort(listener.port()), null, new EchoProtocol()))
                .isInstanceOf(dev.mailcore.api.MailcoreException.class)
                .hasMessageContaining("cannot bind");
    }

    @Test
    void tlsListenerWithoutTlsContextIsRejected() {
        NettyServer server = server(Duration.ofSeconds(1));
        assertThatThrownBy(() -> server.bind(ListenerConfig.defaults("smtps", TlsMode.IMPLICIT), null,
                new EchoProtocol()))
                .isInstanceOf(dev.mailcore.api.MailcoreException.class)
                .hasMessageContaining("no TLS context");
    }

    @Test
    void connectionsOverMaxConnectionsGetTheRefusalAndAreClosed() throws Exception {
        BoundListener listener = server(Duration.ofSeconds(1)).bind(limits(false, 2, 10), null, new EchoProtocol());
        assertThat(connect(listener).readLine()).isEqualTo("220 hi");
        assertThat(connect(listener).readLine()).isEqualTo("220 hi");

        LineClient third = connect(listener);
        assertThat(third.readLine()).isEqualTo("421 TOO_MANY_CONNECTIONS");
        assertThat(third.isClosedByServer()).isTrue();
        assertThat(listener.openConnections()).isEqualTo(2);
    }

    @Test
    void loopbackClientsAreExemptFromThePerIpLimitButNotFromTheTotal() throws Exception {
        BoundListener listener = server(Duration.ofSeconds(1)).bind(limits(false, 2, 1), null, new EchoProtocol());
        assertThat(connect(listener).readLine()).isEqualTo("220 hi");
        assertThat(connect(listener).readLine()).isEqualTo("220 hi");

        LineClient third = connect(listener);
        assertThat(third.readLine()).isEqualTo("421 TOO_MANY_CONNECTIONS");
        assertThat(third.isClosedByServer()).isTrue();
    }

    @Test
    void perIpLimitCountsTheClientAddressFromTheProxyHeader() throws Exception {
        BoundListener listener = server(Duration.ofSeconds(1)).bind(limits(true, 10, 1), null, new EchoProtocol());
        LineClient first = connect(listener);
        first.send("PROXY TCP4 192.0.2.1 192.0.2.2 1234 25");
        assertThat(first.readLine()).isEqualTo("220 hi");
        LineClient other = connect(listener);
        other.send("PROXY TCP4 192.0.2.7 192.0.2.2 1234 25");
        assertThat(other.readLine()).isEqualTo("220 hi");

        LineClient same = connect(listener);
        same.send("PROXY TCP4 192.0.2.1 192.0.2.2 4321 25");
        assertThat(same.readLine()).isEqualTo("421 TOO_MANY_FROM_IP");
        assertThat(same.isClosedByServer()).isTrue();
    }

    @Test
    void idleConnectionIsToldSoAndClosed() throws Exception {
        ListenerConfig config = new ListenerConfig("test", "127.0.0.1", 0, TlsMode.NONE, false, 10, 10,
                Duration.ofMillis(300));
        BoundListener listener = server(Duration.ofSeconds(1)).bind(config, null, new EchoProtocol());
        LineClient client = connect(listener);
        assertThat(client.readLine()).isEqualTo("220 hi");
        long start = System.nanoTime();

        assertThat(client.readLine()).isEqualTo("421 IDLE_TIMEOUT"); // blocks until the server gives up
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(client.isClosedByServer()).isTrue();
    }

    @Test
    void activeConnectionIsNotClosedForIdleness() throws Exception {
        ListenerConfig config = new ListenerConfig("test", "127.0.0.1", 0, TlsMode.NONE, false, 10, 10,
                Duration.ofMillis(1000));
        BoundListener listener = server(Duration.ofSeconds(1)).bind(config, null, new EchoProtocol());
        LineClient client = connect(listener);
        assertThat(client.readLine()).isEqualTo("220 hi");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        int n = 0;
        while (System.nanoTime() < deadline) { // keeps talking for more than twice the idle timeout
            assertThat(client.send("ping " + n).readLine()).isEqualTo("250 ping " + n);
            n++;
        }
        assertThat(client.readLine()).isEqualTo("421 IDLE_TIMEOUT");
    }

    @Test
    void proxyV1HeaderSetsRemoteAndLocalAddresses() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, protocol);
        LineClient client = connect(listener);
        client.send("PROXY TCP4 192.0.2.1 192.0.2.2 1234 25");
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.send("hello").readLine()).isEqualTo("250 hello");

        ConnectionContext context = protocol.contexts.poll(5, TimeUnit.SECONDS);
        assertThat(context.remote()).isEqualTo(new InetSocketAddress("192.0.2.1", 1234));
        assertThat(context.local()).isEqualTo(new InetSocketAddress("192.0.2.2", 25));
    }

    @Test
    void proxyV1HeaderAndFirstCommandInOnePacketAreBothRead() throws Exception {
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, new EchoProtocol());
        LineClient client = connect(listener);
        client.sendRaw("PROXY TCP6 2001:db8::1 2001:db8::2 1234 25\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(client.readLine()).isEqualTo("220 hi");
        assertThat(client.readLine()).isEqualTo("250 hello");
        assertThat(client.send("ID").readLine()).contains("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void proxyV2HeaderSetsRemoteAndLocalAddresses() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, protocol);
        LineClient client = connect(listener);
        client.sendRaw(proxyV2Tcp4(new byte[] {(byte) 198, 51, 100, 7}, new byte[] {(byte) 203, 0, 113, 9},
                40000, 587, 0x21));
        assertThat(client.readLine()).isEqualTo("220 hi");

        ConnectionContext context = protocol.contexts.poll(5, TimeUnit.SECONDS);
        assertThat(context.remote()).isEqualTo(new InetSocketAddress("198.51.100.7", 40000));
        assertThat(context.local()).isEqualTo(new InetSocketAddress("203.0.113.9", 587));
    }

    @Test
    void proxyV2LocalCommandKeepsTheSocketAddresses() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, protocol);
        LineClient client = connect(listener);
        client.sendRaw(proxyV2Tcp4(new byte[] {(byte) 198, 51, 100, 7}, new byte[] {(byte) 203, 0, 113, 9},
                40000, 587, 0x20)); // version 2, command LOCAL (health check)
        assertThat(client.readLine()).isEqualTo("220 hi");

        ConnectionContext context = protocol.contexts.poll(5, TimeUnit.SECONDS);
        assertThat(context.remote().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(context.remote().getPort()).isEqualTo(client.socket().getLocalPort());
    }

    @Test
    void proxyV1UnknownKeepsTheSocketAddresses() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, protocol);
        LineClient client = connect(listener);
        client.send("PROXY UNKNOWN");
        assertThat(client.readLine()).isEqualTo("220 hi");

        ConnectionContext context = protocol.contexts.poll(5, TimeUnit.SECONDS);
        assertThat(context.remote().getPort()).isEqualTo(client.socket().getLocalPort());
        assertThat(context.local().getPort()).isEqualTo(listener.port());
    }

    @Test
    void malformedProxyHeaderClosesTheConnection() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, protocol);
        LineClient client = connect(listener);
        client.send("PROXY TCP4 not-an-address 192.0.2.2 1234 25");
        assertThat(client.readLine()).isNull();
        assertThat(protocol.contexts).isEmpty();
    }

    @Test
    void clientThatDoesNotStartWithAProxyHeaderIsClosed() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        BoundListener listener = server(Duration.ofSeconds(1)).bind(withProxy(), null, protocol);
        LineClient client = connect(listener);
        client.send("EHLO");
        assertThat(client.readLine()).isNull();
        assertThat(protocol.contexts).isEmpty();
    }

    @Test
    void exceptionInAProtocolHandlerClosesOnlyThatConnection() throws Exception {
        BoundListener listener = server(Duration.ofSeconds(1)).bind(plain(), null, new EchoProtocol());
        LineClient doomed = connect(listener);
        LineClient bystander = connect(listener);
        assertThat(doomed.readLine()).isEqualTo("220 hi");
        assertThat(bystander.readLine()).isEqualTo("220 hi");

        doomed.send("BOOM");
        assertThat(doomed.isClosedByServer()).isTrue();
        assertThat(bystander.send("fine").readLine()).isEqualTo("250 fine");
    }

    @Test
    void closeDeliversShutdownEventAndCooperativeConnectionsEndThemselves() throws Exception {
        EchoProtocol protocol = new EchoProtocol(false, 2);
        NettyServer server = server(Duration.ofSeconds(30));
        BoundListener listener = server.bind(plain(), null, protocol);
        LineClient a = connect(listener);
        LineClient b = connect(listener);
        a.readLine();
        b.readLine();

        long start = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(protocol.shutdownEvents.getCount()).isZero();
        assertThat(a.readLine()).isEqualTo("421 bye");
        assertThat(b.readLine()).isEqualTo("421 bye");
        assertThat(a.isClosedByServer()).isTrue();
    }

    @Test
    void closeForcesConnectionsThatIgnoreShutdownAfterTheGracePeriod() throws Exception {
        EchoProtocol protocol = new EchoProtocol(true, 1);
        NettyServer server = server(Duration.ofMillis(300));
        BoundListener listener = server.bind(plain(), null, protocol);
        LineClient client = connect(listener);
        assertThat(client.readLine()).isEqualTo("220 hi");

        long start = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(protocol.shutdownEvents.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(client.readLine()).isEqualTo("421 SHUTDOWN");
        assertThat(client.isClosedByServer()).isTrue();
    }

    @Test
    void closeCalledOnAnEventLoopThreadDoesNotDeadlock() throws Exception {
        EchoProtocol protocol = new EchoProtocol();
        NettyServer server = server(Duration.ofSeconds(5));
        BoundListener listener = server.bind(plain(), null, protocol);
        LineClient client = connect(listener);
        assertThat(client.readLine()).isEqualTo("220 hi");
        io.netty.channel.Channel channel = protocol.channels.poll(5, TimeUnit.SECONDS);

        channel.eventLoop().submit(server::close).get(5, TimeUnit.SECONDS);
        server.close(); // waits for the shutdown begun on the event loop
        assertThat(client.readLine()).isEqualTo("421 bye");
        assertThat(channel.eventLoop().isTerminated()).isTrue();
    }

    @Test
    void nothingListensAfterClose() throws Exception {
        NettyServer server = server(Duration.ofSeconds(1));
        BoundListener first = server.bind(plain(), null, new EchoProtocol());
        BoundListener second = server.bind(ListenerConfig.defaults("other", TlsMode.NONE), null, new EchoProtocol());
        server.close();
        server.close(); // idempotent

        for (BoundListener listener : List.of(first, second)) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", listener.port()), 2000))
                        .isInstanceOf(ConnectException.class);
            }
        }
        assertThat(server.isClosed()).isTrue();
        assertThatThrownBy(() -> server.bind(plain(), null, new EchoProtocol()))
                .isInstanceOf(dev.mailcore.api.MailcoreException.class);
    }

    /** A PROXY v2 header for TCP over IPv4. {@code versionCommand} is 0x21 for PROXY, 0x20 for LOCAL. */
    static byte[] proxyV2Tcp4(byte[] source, byte[] destination, int sourcePort, int destinationPort,
                              int versionCommand) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        out.write(versionCommand);
        out.write(0x11); // AF_INET, STREAM
        ByteBuffer addresses = ByteBuffer.allocate(12);
        addresses.put(source).put(destination).putShort((short) sourcePort).putShort((short) destinationPort);
        out.write(0);
        out.write(12); // address block length
        out.writeBytes(addresses.array());
        return out.toByteArray();
    }
}
