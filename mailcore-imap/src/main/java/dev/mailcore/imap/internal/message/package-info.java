/**
 * What IMAP needs to know about a message's content, parsed once in a single streaming pass (with mime4j's RFC 2047,
 * base64 and quoted-printable codecs) and cached: ENVELOPE, BODYSTRUCTURE, the byte ranges of MIME parts and sections,
 * header values for SEARCH, SORT and THREAD, and the SEARCH, SORT and THREAD algorithms themselves. Not a public API.
 */
package dev.mailcore.imap.internal.message;
