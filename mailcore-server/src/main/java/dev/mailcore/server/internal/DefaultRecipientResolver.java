package dev.mailcore.server.internal;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Resolution;
import dev.mailcore.server.InMemoryUsers;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in resolver: an address in a local domain (a configured one or one that has users) is delivered to the user with that address (local part
 * compared case-insensitively, as Postfix does), or is unknown; every other address is remote.
 */
public final class DefaultRecipientResolver implements RecipientResolver {
    private final Set<String> localDomains;
    private final InMemoryUsers users;

    public DefaultRecipientResolver(Set<String> localDomains, InMemoryUsers users) {
        this.localDomains = localDomains.stream().map(d -> MailAddress.of("x", d).normalizedDomain())
                .collect(Collectors.toUnmodifiableSet());
        this.users = users;
    }

    @Override
    public Resolution resolve(MailAddress recipient) {
        String domain = recipient.normalizedDomain();
        if (!localDomains.contains(domain) && !users.hasDomain(domain)) {
            return Resolution.REMOTE;
        }
        MailAddress lower = MailAddress.of(recipient.localPart().toLowerCase(Locale.ROOT), recipient.domain());
        return users.lookup(recipient).or(() -> users.lookup(lower))
                .<Resolution>map(Resolution.Local::of)
                .orElse(Resolution.UNKNOWN);
    }
}
