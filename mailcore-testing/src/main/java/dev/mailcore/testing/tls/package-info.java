/**
 * Certificates generated at runtime with Bouncy Castle for tests: a {@link dev.mailcore.testing.tls.CertificateAuthority}
 * issues a valid server certificate for localhost, 127.0.0.1 and ::1 and deliberately bad ones (expired, wrong host,
 * weak key, self-signed), each usable as a server {@link dev.mailcore.netty.TlsConfig}, with
 * {@link dev.mailcore.testing.tls.ClientTrust} giving clients matching trust material (SSLContext, socket factory,
 * trust store, Jakarta Mail properties) so that no test needs trust-all code or a bundled key.
 */
package dev.mailcore.testing.tls;
