package dev.mailcore.api;

/**
 * Maps a recipient address to local store users, or says it is remote or unknown. The server's built-in resolver
 * knows the configured local domains and users; aliases, virtual domains and catch-alls plug in here.
 */
@FunctionalInterface
public interface RecipientResolver {
    Resolution resolve(MailAddress recipient);
}
