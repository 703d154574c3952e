/** Implementation details of the server module: the default executor for blocking calls. Not API. */
package dev.mailcore.server.internal;
