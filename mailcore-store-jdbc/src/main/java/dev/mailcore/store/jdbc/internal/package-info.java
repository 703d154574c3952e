/**
 * Implementation of the JDBC store: schema migrations, SQL per operation, chunked content streams, per-user locking
 * and event delivery, and the PostgreSQL LISTEN/NOTIFY bridge between nodes. Not an API: use {@link
 * dev.mailcore.store.jdbc.JdbcStore}.
 */
package dev.mailcore.store.jdbc.internal;
