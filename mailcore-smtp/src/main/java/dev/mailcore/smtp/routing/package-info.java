/**
 * Recipient routing for the SMTP server, modelled on Postfix and sendmail: {@link dev.mailcore.smtp.routing.Router}
 * is a {@link dev.mailcore.api.RecipientResolver} that knows the local and virtual domains, the virtual map,
 * catch-alls, domain rewrites, {@code /etc/aliases}-style aliases, sub-addressing and the postmaster rule, and
 * answers each RCPT with a precomputed expansion; {@link dev.mailcore.smtp.routing.ReloadableRouter} swaps in a
 * rebuilt router at run time when the configuration files change.
 */
package dev.mailcore.smtp.routing;
