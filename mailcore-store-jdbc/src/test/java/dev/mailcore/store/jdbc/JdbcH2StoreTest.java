package dev.mailcore.store.jdbc;

/** The durable store contract and the JDBC store's own tests on an embedded H2 file database. */
class JdbcH2StoreTest extends JdbcStoreTestBase {

    @Override
    protected String newDatabaseUrl() {
        return "jdbc:h2:file:" + newTempDirectory("jdbc-store").resolve("mail");
    }
}
