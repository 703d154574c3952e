package dev.mailcore.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The databases the store runs on, and what differs between them. */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The folder of this dialect's migration scripts. */
    public String folder() {
        return folder;
    }

    /**
     * The dialect of a JDBC URL, or {@code null} when the URL does not tell.
     *
     * @param jdbcUrl a JDBC URL
     * @return the dialect or {@code null}
     */
    public static Dialect fromUrl(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        return null;
    }

    /**
     * The dialect of an open connection, from its database product name.
     *
     * @throws SQLException when the database is neither H2 nor PostgreSQL
     */
    public static Dialect fromConnection(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new SQLException("unsupported database: " + product);
    }

    /**
     * Takes the lock that serialises schema migrations between nodes, held until the transaction ends. H2 runs
     * embedded in one process, where the caller's own lock suffices.
     */
    void lockMigrations(Connection c) throws SQLException {
        if (this == POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                // any constant works as long as every node uses the same one: "mailcore" in ASCII
                s.execute("SELECT pg_advisory_xact_lock(7809644073504622437)");
            }
        }
    }

    /** Whether a failure is a unique-constraint violation (SQLSTATE 23505 on both databases). */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
