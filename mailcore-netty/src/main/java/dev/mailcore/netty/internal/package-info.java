/**
 * Implementation of {@link dev.mailcore.netty.NettyServer}'s per-connection plumbing: the channel initializer, PROXY
 * protocol prefix check and admission, connection limits, idle timeout, session ids and the last-resort exception
 * handler. Not an API: users must not depend on anything in this package.
 */
package dev.mailcore.netty.internal;
