/**
 * Implementation helpers of {@code dev.mailcore.smtp.policy} (domain suffix matching, IP literal parsing, bounded
 * counters). Not a public API: may change in any release.
 */
package dev.mailcore.smtp.internal.policy;
