package dev.mailcore.netty;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A blocking CRLF line client for ITs; every read times out after a few seconds. */
final class LineClient implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 10_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private LineClient(Socket socket) throws IOException {
        use(socket);
    }

    static LineClient connect(BoundListener listener) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", listener.port()), TIMEOUT_MILLIS);
        return new LineClient(socket);
    }

    /** Connects over TLS to 127.0.0.1 while verifying the certificate for {@code host}. */
    static LineClient connectTls(BoundListener listener, SSLContext context, String host) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", listener.port()), TIMEOUT_MILLIS);
        LineClient client = new LineClient(plain);
        client.startTls(context, host);
        return client;
    }

    /** Layers TLS over the current socket, with hostname verification for {@code host}, and handshakes. */
    SSLSocket startTls(SSLContext context, String host) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(TIMEOUT_MILLIS);
        tls.startHandshake();
        use(tls);
        return tls;
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(TIMEOUT_MILLIS);
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    LineClient send(String line) throws IOException {
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    LineClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next line without its CRLF, or {@code null} at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                b = -1; // connection reset counts as closed
            }
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(b);
            previous = b;
        }
    }

    /** Whether the server closed the connection: the next read sees end of stream (or a reset). */
    boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
