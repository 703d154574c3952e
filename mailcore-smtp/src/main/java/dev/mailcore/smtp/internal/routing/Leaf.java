package dev.mailcore.smtp.internal.routing;

import dev.mailcore.api.MailAddress;

/**
 * One end point of a precomputed alias or virtual expansion: what is left to do for it when a recipient is
 * resolved.
 */
public sealed interface Leaf {

    /** A remote address: the message is sent on to it. */
    record Forward(MailAddress address) implements Leaf {
    }

    /**
     * An address in one of our domains that no alias, virtual entry or domain rewrite covers: it is resolved when
     * the recipient is (mailbox lookup, sub-addressing, postmaster, catch-all, unknown-recipient rule).
     */
    record Lookup(MailAddress address) implements Leaf {
    }

    /**
     * A bare local part that names no alias: resolved in the domain of the recipient being expanded when that
     * domain is local, else in the first local domain (as Postfix appends {@code $myorigin}).
     */
    record InContext(String localPart) implements Leaf {
    }

    /**
     * The mailbox of an address, bypassing aliases and entries: an alias or entry that names itself ("keep a copy",
     * {@code bob: bob, bob@elsewhere}) or a member written {@code \bob}. {@code domain} null means the context
     * domain, as for {@link InContext}.
     */
    record Mailbox(String localPart, String domain) implements Leaf {
    }
}
