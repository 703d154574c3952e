/**
 * Next-hop resolution for outbound mail: the {@link dev.mailcore.delivery.dns.MxResolver} SPI and its results, the
 * dnsjava-based {@link dev.mailcore.delivery.dns.DnsMxResolver} (MX by preference, random among equal preference,
 * implicit MX, RFC 7505 null MX, CNAMEs, timeouts) and the fixed-table {@link
 * dev.mailcore.delivery.dns.StaticMxResolver} for tests and embedding.
 */
package dev.mailcore.delivery.dns;
