/**
 * Implementation details of the stores in {@code dev.mailcore.store}: per-user and per-mailbox state, shared
 * reference-counted message bytes, the store-wide byte budget, mailbox name rules and ordered event dispatch. Users
 * of mailcore must not depend on anything here; it changes without notice.
 */
package dev.mailcore.store.internal;
