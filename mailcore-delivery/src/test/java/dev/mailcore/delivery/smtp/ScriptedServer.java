package dev.mailcore.delivery.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A raw SMTP server on a loopback port that runs one script per connection, on a test thread: for precise
 * cases the real server cannot be made to produce (no PIPELINING, no SMTPUTF8, dropped connections, silence).
 */
final class ScriptedServer implements AutoCloseable {

    /** What the server does with one connection. */
    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** The server side of one connection; reads time out after 10 s. */
    static final class Peer {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        final List<String> received;

        Peer(Socket socket, List<String> received) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.received = received;
            socket.setSoTimeout(10_000);
        }

        /** Sends a reply line (CRLF added). */
        Peer send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        /** Reads one line, without its CRLF; {@code null} at end of stream. */
        String read() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    String s = new String(bytes, 0, len, StandardCharsets.UTF_8);
                    received.add(s);
                    return s;
                }
                line.write(b);
            }
            return null;
        }

        /** Reads a line and checks it starts with {@code prefix}. */
        String expect(String prefix) throws IOException {
            String line = read();
            if (line == null || !line.toUpperCase().startsWith(prefix.toUpperCase())) {
                throw new AssertionError("expected " + prefix + " but got " + line);
            }
            return line;
        }

        /** Reads exactly {@code n} bytes (BDAT content). */
        byte[] readBytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new AssertionError("expected " + n + " bytes, got " + b.length);
            }
            return b;
        }

        /** The raw input stream, for TLS handshakes the script wants to break. */
        InputStream input() {
            return in;
        }

        /** Reads DATA content up to the final dot; returns it without the dot line. */
        String readData() throws IOException {
            StringBuilder sb = new StringBuilder();
            String line;
            while ((line = read()) != null && !line.equals(".")) {
                sb.append(line).append("\r\n");
            }
            return sb.toString();
        }

        /** Greeting and EHLO with these extensions. */
        Peer greet(String... extensions) throws IOException {
            send("220 scripted.test ESMTP");
            expect("EHLO");
            if (extensions.length == 0) {
                send("250 scripted.test");
            } else {
                send("250-scripted.test");
                for (int i = 0; i < extensions.length; i++) {
                    send((i == extensions.length - 1 ? "250 " : "250-") + extensions[i]);
                }
            }
            return this;
        }

        /** Waits until the client closes (or sends QUIT). */
        void awaitQuitOrClose() throws IOException {
            String line;
            while ((line = read()) != null) {
                if (line.equalsIgnoreCase("QUIT")) {
                    send("221 bye");
                    return;
                }
                if (line.equalsIgnoreCase("RSET")) {
                    send("250 ok");
                }
            }
        }

        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    final List<String> received = new CopyOnWriteArrayList<>();

    private ScriptedServer(InetSocketAddress bind, Script... scripts) throws IOException {
        server = new ServerSocket();
        server.bind(bind);
        Thread t = new Thread(() -> {
            try {
                for (Script script : scripts) {
                    try (Socket socket = server.accept()) {
                        script.run(new Peer(socket, received));
                    }
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "scripted-smtp-server");
        t.setDaemon(true);
        t.start();
    }

    /** Runs each script on one connection, in order of connection. */
    static ScriptedServer start(Script... scripts) throws IOException {
        return new ScriptedServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), scripts);
    }

    /** Like {@link #start(Script...)} on a given loopback address and port. */
    static ScriptedServer startOn(InetSocketAddress bind, Script... scripts) throws IOException {
        return new ScriptedServer(bind, scripts);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits for the script to end and rethrows what it threw. */
    void awaitScript() throws Exception {
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw new AssertionError(e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
