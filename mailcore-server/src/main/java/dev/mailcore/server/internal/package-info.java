/** Implementation details of the server module: executors and the default recipient resolver. Not API. */
package dev.mailcore.server.internal;
