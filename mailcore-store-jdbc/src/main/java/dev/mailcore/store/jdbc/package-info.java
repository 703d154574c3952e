/**
 * A durable {@link dev.mailcore.api.store.Store} on JDBC: H2 embedded as the zero-setup default, PostgreSQL for
 * production and for several mailcore nodes sharing one database.
 */
package dev.mailcore.store.jdbc;
