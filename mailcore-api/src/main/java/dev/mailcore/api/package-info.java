/**
 * Value types and service-provider interfaces shared by every mailcore module: mail addresses, envelopes, SMTP
 * replies, policy decisions, and the SPIs a host implements to plug in delivery policy ({@link
 * dev.mailcore.api.DeliveryPolicy}), content filtering ({@link dev.mailcore.api.Filter}), recipient routing ({@link
 * dev.mailcore.api.RecipientResolver}) and remote delivery ({@link dev.mailcore.api.Transport}). This module has no
 * dependencies.
 */
package dev.mailcore.api;
