/**
 * The standalone launcher ({@code java -jar mailcore-server.jar --help}): command-line flags mapped onto the same
 * {@link dev.mailcore.server.MailServer} builder that embedding hosts use.
 */
package dev.mailcore.server.cli;
