package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.StoreEvent;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Listens on PostgreSQL channel {@code mailcore_events} with a connection of its own (outside the pool) and turns
 * what other nodes announce into {@link StoreEvent}s for this node's listeners, skipping its own announcements. One
 * daemon thread polls {@link PGConnection#getNotifications(int)}; if the connection breaks it reconnects, and events
 * sent in between are lost (the IMAP layer resynchronises on its next command anyway).
 */
final class PgEventBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgEventBridge.class);
    private static final int POLL_MILLIS = 250;

    private final JdbcEngine.Settings settings;
    private final String scope;
    private final String node;
    private final JdbcEngine engine;
    private final Object wait = new Object();
    private volatile boolean closed;
    private volatile Connection connection;
    private Thread thread;

    PgEventBridge(JdbcEngine.Settings settings, String scope, String node, JdbcEngine engine) {
        this.settings = settings;
        this.scope = scope;
        this.node = node;
        this.engine = engine;
    }

    /** Connects and runs LISTEN before returning, so that nothing committed after this is missed. */
    void start() throws SQLException {
        connection = connect();
        thread = new Thread(this::run, "mailcore-jdbc-events");
        thread.setDaemon(true);
        thread.start();
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (settings.username() != null) {
            props.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        Connection c = DriverManager.getConnection(settings.url(), props);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + JdbcEngine.CHANNEL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try {
                Connection c = connection;
                if (c == null) {
                    c = connect();
                    connection = c;
                    LOG.info("listening for events of other nodes again");
                    backoff = 100;
                }
                PGNotification[] batch = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (batch != null) {
                    for (PGNotification n : batch) {
                        handle(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn("event listener connection failed; events of other nodes may be missed", e);
                closeQuietly(connection);
                connection = null;
                synchronized (wait) {
                    try {
                        wait.wait(backoff); // back off before reconnecting; close() wakes us
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
        closeQuietly(connection);
    }

    private void handle(String payload) {
        EventCodec.Notice n;
        try {
            n = EventCodec.decode(payload);
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable event notification: {}", payload);
            return;
        }
        if (!n.scope().equals(scope) || n.node().equals(node) || !engine.hasListeners(n.user())) {
            return;
        }
        try {
            List<StoreEvent> events = engine.resolve(n);
            if (!events.isEmpty()) {
                engine.publishRemote(n.user(), events);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot turn a notification of another node into events: {}", payload, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wait) {
            wait.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(POLL_MILLIS * 8L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
