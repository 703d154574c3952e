/**
 * Implementation of the delivery queue: the scheduling and attempt engine and the administration commands that
 * travel through a spool's {@code control/} directory. Not API; may change without notice.
 */
package dev.mailcore.delivery.internal;
