/**
 * The Store TCK: abstract JUnit 5 contract tests that every {@link dev.mailcore.api.store.Store} implementation
 * extends, providing a factory for fresh stores.
 */
package dev.mailcore.store.tck;
