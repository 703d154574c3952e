/**
 * Implementation of {@link dev.mailcore.netty.ServerTls}'s key material handling: generating a self-signed
 * certificate at runtime, reading PEM certificate chains and private keys (PKCS#8, PKCS#1, SEC1) and PKCS#12 key
 * stores with Bouncy Castle and the JDK. Not an API: users must not depend on anything in this package.
 */
package dev.mailcore.netty.internal.tls;
