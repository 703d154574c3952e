package dev.mailcore.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@link RawSmtpClient} for tests in other packages: a line-level SMTP client on 127.0.0.1. */
public final class RawSmtpClientAccess implements Closeable {
    private final RawSmtpClient client;

    public RawSmtpClientAccess(int port) throws IOException {
        client = new RawSmtpClient("127.0.0.1", port);
    }

    public String reply() throws IOException {
        return client.reply();
    }

    public String command(String line) throws IOException {
        return client.command(line);
    }

    /** Sends a message (CRLF line ends) as DATA content and returns the reply. */
    public String data(String message) throws IOException {
        return client.data(message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
