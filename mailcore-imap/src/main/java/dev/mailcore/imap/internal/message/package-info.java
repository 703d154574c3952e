/**
 * What IMAP needs to know about a message's content, parsed once with mime4j and cached: ENVELOPE, BODYSTRUCTURE,
 * the byte ranges of MIME parts and sections, header values for SEARCH, SORT and THREAD, and the SEARCH, SORT and
 * THREAD algorithms themselves. Not a public API.
 */
package dev.mailcore.imap.internal.message;
