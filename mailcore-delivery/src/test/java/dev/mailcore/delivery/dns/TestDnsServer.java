package dev.mailcore.delivery.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for tests: answers from an in-memory zone (with CNAME
 * chasing), NXDOMAIN for unknown names, and can be told to stay silent or to answer SERVFAIL for a name.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final long TTL = 60;

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Map<Name, String> faults = new ConcurrentHashMap<>();
    final AtomicInteger queries = new AtomicInteger();
    final List<String> asked = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public TestDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dns-server");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** A resolver asking only this server, with a short timeout and one try. */
    public DnsMxResolver resolver() {
        return DnsMxResolver.builder().servers(address()).timeout(java.time.Duration.ofMillis(500)).retries(1)
                .build();
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void add(Record r) {
        zone.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
    }

    public TestDnsServer mx(String domain, int preference, String target) {
        add(new MXRecord(name(domain), DClass.IN, TTL, preference, name(target)));
        return this;
    }

    public TestDnsServer a(String host, String ip) throws IOException {
        add(new ARecord(name(host), DClass.IN, TTL, InetAddress.getByName(ip)));
        return this;
    }

    public TestDnsServer aaaa(String host, String ip) throws IOException {
        add(new AAAARecord(name(host), DClass.IN, TTL, InetAddress.getByName(ip)));
        return this;
    }

    public TestDnsServer txt(String host, String text) {
        add(new org.xbill.DNS.TXTRecord(name(host), DClass.IN, TTL, text));
        return this;
    }

    public TestDnsServer cname(String alias, String target) {
        add(new CNAMERecord(name(alias), DClass.IN, TTL, name(target)));
        return this;
    }

    /** Questions about {@code name} get no answer at all. */
    public TestDnsServer silentFor(String host) {
        faults.put(name(host), "silent");
        return this;
    }

    /** Questions about {@code name} get SERVFAIL. */
    public TestDnsServer servfailFor(String host) {
        faults.put(name(host), "servfail");
        return this;
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                queries.incrementAndGet();
                Message answer = answer(query);
                if (answer == null) {
                    continue;
                }
                byte[] wire = answer.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        int type = question.getType();
        asked.add(Type.string(type) + " " + qname);
        String fault = faults.get(qname);
        if ("silent".equals(fault)) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
            response.getHeader().setFlag(Flags.RA);
        }
        response.addRecord(question, Section.QUESTION);
        if ("servfail".equals(fault)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        Name current = qname;
        for (int hops = 0; hops < 8; hops++) {
            List<Record> records = zone.get(current);
            if (records == null) {
                if (hops == 0) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                    response.addRecord(soa(current), Section.AUTHORITY);
                }
                return response;
            }
            List<Record> matching = new ArrayList<>();
            Record cname = null;
            for (Record r : records) {
                if (r.getType() == type) {
                    matching.add(r);
                } else if (r.getType() == Type.CNAME) {
                    cname = r;
                }
            }
            if (!matching.isEmpty()) {
                for (Record r : matching) {
                    response.addRecord(r, Section.ANSWER);
                }
                return response;
            }
            if (cname == null) {
                response.addRecord(soa(current), Section.AUTHORITY); // NODATA
                return response;
            }
            response.addRecord(cname, Section.ANSWER);
            current = ((CNAMERecord) cname).getTarget();
        }
        return response;
    }

    private static SOARecord soa(Name near) {
        Name zoneName = near.labels() > 2 ? new Name(near, near.labels() - 3) : Name.root;
        return new SOARecord(zoneName, DClass.IN, TTL, name("ns.test"), name("hostmaster.test"), 1, 3600, 600,
                86400, 30);
    }

    @Override
    public void close() {
        socket.close();
    }
}
