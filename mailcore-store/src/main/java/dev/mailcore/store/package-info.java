/**
 * Ready-made implementations of the {@link dev.mailcore.api.store.Store} SPI. {@link dev.mailcore.store.MemoryStore}
 * keeps every user's mailboxes, flags and message bytes in the heap, with optional store-wide byte limit, per-user
 * quota and default special-use folders; it suits tests, demos and embedded servers whose mail need not survive a
 * restart.
 */
package dev.mailcore.store;
