/**
 * Ready-made {@link dev.mailcore.api.DeliveryPolicy} building blocks modelled on Postfix and sendmail: relay control
 * by client network and relay domain ({@link dev.mailcore.smtp.policy.RelayControl}), a sendmail-style access table
 * ({@link dev.mailcore.smtp.policy.AccessRules}, {@link dev.mailcore.smtp.policy.ReloadableAccessRules}), HELO and
 * sender checks ({@link dev.mailcore.smtp.policy.SenderChecks}), message rate limits
 * ({@link dev.mailcore.smtp.policy.RateLimits}) and per-domain size limits
 * ({@link dev.mailcore.smtp.policy.SizeLimits}). Each is an immutable object made by a builder; combine them with
 * {@link dev.mailcore.api.DeliveryPolicy#allOf(dev.mailcore.api.DeliveryPolicy...)}, where the first decision that
 * is not an accept wins, so put rules that refuse before rules that grant relaying.
 */
package dev.mailcore.smtp.policy;
