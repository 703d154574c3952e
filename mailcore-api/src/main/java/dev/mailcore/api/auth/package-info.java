/**
 * Authentication SPI: {@link dev.mailcore.api.auth.AuthProvider} verifies passwords and may expose stored secrets so
 * that challenge-response SASL mechanisms (CRAM-MD5, SCRAM-SHA-256) can be offered.
 */
package dev.mailcore.api.auth;
