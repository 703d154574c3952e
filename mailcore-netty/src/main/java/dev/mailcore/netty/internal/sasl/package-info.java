/**
 * Implementation of the server side of the SASL mechanisms offered through
 * {@link dev.mailcore.netty.sasl.SaslMechanisms}: one {@link dev.mailcore.netty.sasl.SaslExchange} class per mechanism
 * (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256) plus the parsing and crypto helpers they share. Not an API: users must not
 * depend on anything in this package.
 */
package dev.mailcore.netty.internal.sasl;
