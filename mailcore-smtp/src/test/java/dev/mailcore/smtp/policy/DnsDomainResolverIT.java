package dev.mailcore.smtp.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The dnsjava adapter against local UDP sockets only (a silent one, a tiny fake server): no real DNS. */
class DnsDomainResolverIT {

    /** Answers from a fixed table; NXDOMAIN for nx.example, SERVFAIL for fail.example, NODATA otherwise. */
    static final class FakeDnsServer implements AutoCloseable {
        final DatagramSocket socket;
        final Thread thread;
        final AtomicInteger queries = new AtomicInteger();

        FakeDnsServer() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::serve, "fake-dns");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private void serve() {
            byte[] buf = new byte[1500];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    queries.incrementAndGet();
                    Message query = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                    byte[] out = answer(query).toWire();
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (Exception e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        private static Message answer(Message query) throws Exception {
            Record q = query.getQuestion();
            Message r = new Message(query.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.addRecord(q, Section.QUESTION);
            String name = q.getName().toString(true).toLowerCase(java.util.Locale.ROOT);
            int type = q.getType();
            Name n = q.getName();
            switch (name) {
                case "nx.example":
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                    break;
                case "fail.example":
                    r.getHeader().setRcode(Rcode.SERVFAIL);
                    break;
                case "mx.example":
                    if (type == Type.MX) {
                        r.addRecord(new MXRecord(n, DClass.IN, 300, 10, Name.fromString("mail.mx.example.")),
                                Section.ANSWER);
                    }
                    break;
                case "nullmx.example":
                    if (type == Type.MX) {
                        r.addRecord(new MXRecord(n, DClass.IN, 300, 0, Name.root), Section.ANSWER);
                    }
                    break;
                case "a.example":
                    if (type == Type.A) {
                        r.addRecord(new ARecord(n, DClass.IN, 300, InetAddress.getByName("192.0.2.1")),
                                Section.ANSWER);
                    }
                    break;
                case "aaaa.example":
                    if (type == Type.AAAA) {
                        r.addRecord(new AAAARecord(n, DClass.IN, 300, InetAddress.getByName("2001:db8::1")),
                                Section.ANSWER);
                    }
                    break;
                default:
                    break; // NOERROR without records
            }
            return r;
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void mapsDnsAnswersToStatuses() throws Exception {
        try (FakeDnsServer dns = new FakeDnsServer()) {
            DnsDomainResolver resolver = DnsDomainResolver.builder().server(dns.address())
                    .timeout(Duration.ofSeconds(3)).build();
            assertThat(resolver.resolve("mx.example")).isEqualTo(DomainResolver.Status.FOUND);
            assertThat(resolver.resolve("a.example")).isEqualTo(DomainResolver.Status.FOUND);
            assertThat(resolver.resolve("aaaa.example")).isEqualTo(DomainResolver.Status.FOUND);
            assertThat(resolver.resolve("nullmx.example")).isEqualTo(DomainResolver.Status.NULL_MX);
            assertThat(resolver.resolve("nx.example")).isEqualTo(DomainResolver.Status.NOT_FOUND);
            assertThat(resolver.resolve("empty.example")).isEqualTo(DomainResolver.Status.NOT_FOUND);
            assertThat(resolver.resolve("fail.example")).isEqualTo(DomainResolver.Status.TEMPORARY_FAILURE);
            assertThat(dns.queries.get()).isEqualTo(1 + 2 + 3 + 1 + 1 + 3 + 1);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void mapsATimeoutToTemporaryFailure() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DnsDomainResolver resolver = DnsDomainResolver.builder()
                    .server(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()))
                    .timeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();
            assertThat(resolver.resolve("example.com")).isEqualTo(DomainResolver.Status.TEMPORARY_FAILURE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            silent.setSoTimeout(5_000);
            DatagramPacket query = new DatagramPacket(new byte[512], 512);
            silent.receive(query); // the resolver really asked this server
            assertThat(query.getLength()).isGreaterThan(12);
        }
    }
}
