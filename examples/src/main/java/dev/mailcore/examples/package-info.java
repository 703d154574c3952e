/** Small runnable programs that show how to embed mailcore; copy from them. */
package dev.mailcore.examples;
