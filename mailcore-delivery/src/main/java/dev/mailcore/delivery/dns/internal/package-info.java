/**
 * Implementation helpers of the MX resolvers (ordering of MX records). Not a public API: users should not depend on
 * anything here.
 */
package dev.mailcore.delivery.dns.internal;
