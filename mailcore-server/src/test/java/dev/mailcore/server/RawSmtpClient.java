package dev.mailcore.server;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal line-level SMTP client for tests that need to control the exact bytes on the wire. */
final class RawSmtpClient implements Closeable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawSmtpClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Reads one complete (possibly multi-line) reply and returns its last line. */
    String reply() throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line;
            }
        }
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a command and returns the last line of its reply. */
    String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** Sends DATA content and returns the last line of the reply. */
    String data(byte[] message) throws IOException {
        sendData(message);
        return reply();
    }

    /** Writes bytes as they are. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends DATA content without reading the reply: dot-stuffs {@code message} (CRLF line ends) and ends it. */
    void sendData(byte[] message) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                buf.write('.');
            }
            buf.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            buf.write('\r');
            buf.write('\n');
        }
        buf.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(buf.toByteArray());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
