/**
 * Implementation helpers of {@link dev.mailcore.smtp.routing.Router}: the parsers of the {@code aliases(5)} and
 * Postfix {@code virtual(5)} table formats and the precomputed expansion leaves. Not public API: users configure
 * routing through {@link dev.mailcore.smtp.routing.Router.Builder} only.
 */
package dev.mailcore.smtp.internal.routing;
