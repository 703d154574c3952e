package dev.mailcore.server.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the launcher in a child JVM, as the benchmark does, and stops it with SIGTERM. */
class StandaloneIT {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesSmtpOnTheGivenPortAndExitsZeroOnSigterm() throws Exception {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--smtp-port", String.valueOf(port), "--imap-port", "0", "--pop3-port", "0",
                "--user", "user@example.com:secret"))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            boolean ready = false;
            while ((line = out.readLine()) != null) {
                if (line.contains("mailcore: ready")) {
                    ready = true;
                    break;
                }
            }
            assertThat(ready).as("server printed ready").isTrue();

            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream o = s.getOutputStream();
                assertThat(in.readLine()).startsWith("220 ");
                o.write("EHLO test\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<user@example.com>\r\nQUIT\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                o.flush();
                String l;
                while ((l = in.readLine()) != null && l.startsWith("250-")) {
                    // EHLO keywords
                }
                assertThat(l).startsWith("250 ");
                assertThat(in.readLine()).startsWith("250 2.1.0");
                assertThat(in.readLine()).startsWith("250 2.1.5");
                assertThat(in.readLine()).startsWith("221 ");
            }

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
