/**
 * Implementation of the testing SDK that users do not call directly: MIME parsing of received messages for the
 * assertions and the Jakarta Mail session properties for each listener. Not an API; may change at any time.
 */
package dev.mailcore.testing.internal;
