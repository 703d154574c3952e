package dev.mailcore.store.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the versioned SQL scripts in {@code dev/mailcore/store/jdbc/migrations/<dialect>/} ({@code index.txt} lists
 * them, named {@code V<n>__<what>.sql}) that the database has not seen, in order, and records each in {@code
 * mc_schema_version}. All of it runs in one transaction under a lock that other nodes starting at the same time wait
 * for (PostgreSQL: an advisory transaction lock); on PostgreSQL DDL is transactional, so a failed migration leaves
 * nothing behind. (H2 commits DDL at once; it runs embedded in one process, where a failure needs a fresh start.)
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String BASE = "/dev/mailcore/store/jdbc/migrations/";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
    private static final Object LOCAL_LOCK = new Object();

    /** One script. */
    record Script(int version, String description, String resource) {
    }

    private Migrations() {
    }

    /**
     * Brings the schema up to date.
     *
     * @return the schema version now in force
     */
    public static int migrate(Connection c, Dialect dialect) throws SQLException {
        List<Script> scripts = scripts(dialect);
        synchronized (LOCAL_LOCK) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                dialect.lockMigrations(c);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS mc_schema_version (version INT PRIMARY KEY, "
                            + "description VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL)");
                }
                int current = 0;
                // FOR UPDATE: on a database without the advisory lock this still orders concurrent migrators
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT version FROM mc_schema_version FOR UPDATE")) {
                    while (rs.next()) {
                        current = Math.max(current, rs.getInt(1));
                    }
                }
                for (Script script : scripts) {
                    if (script.version() <= current) {
                        continue;
                    }
                    LOG.info("applying schema migration {} ({})", script.version(), script.resource());
                    for (String sql : statements(read(script.resource()))) {
                        try (Statement s = c.createStatement()) {
                            s.execute(sql);
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO mc_schema_version (version, description, applied_at) "
                                    + "VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                        p.setInt(1, script.version());
                        p.setString(2, script.description());
                        p.executeUpdate();
                    }
                    current = script.version();
                }
                c.commit();
                return current;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** The scripts of a dialect, ascending by version. */
    static List<Script> scripts(Dialect dialect) {
        List<Script> out = new ArrayList<>();
        int last = 0;
        for (String line : read(BASE + dialect.folder() + "/index.txt").split("\n")) {
            String name = line.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("bad migration name: " + name);
            }
            int version = Integer.parseInt(m.group(1));
            if (version != last + 1) {
                throw new IllegalStateException("migration versions must be 1, 2, 3, ...: " + name);
            }
            last = version;
            out.add(new Script(version, m.group(2), BASE + dialect.folder() + "/" + name));
        }
        return out;
    }

    /** Splits a script into statements: each ends with a semicolon at the end of a line; {@code --} lines are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            if (t.endsWith(";")) {
                current.append(t, 0, t.length() - 1);
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(t).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
