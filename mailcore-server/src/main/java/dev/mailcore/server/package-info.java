/**
 * The embeddable mail server: {@link dev.mailcore.server.MailServer#builder()} composes listeners, users, local
 * domains, the store, policies, filters and the transport into a running server that is {@link AutoCloseable}.
 */
package dev.mailcore.server;
