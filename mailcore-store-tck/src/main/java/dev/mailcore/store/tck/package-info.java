/**
 * The Store TCK: abstract JUnit 5 (and jqwik) contract tests that a {@link dev.mailcore.api.store.Store}
 * implementation runs by extending them and supplying fresh stores. {@link dev.mailcore.store.tck.StoreContract}
 * holds what every store must do; {@link dev.mailcore.store.tck.DurableStoreContract} adds what must survive closing
 * and reopening a store that persists. See the module's README for a walk-through.
 */
package dev.mailcore.store.tck;
