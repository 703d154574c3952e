package dev.mailcore.api.store;

/** A subscription to store events; {@link #close()} ends it. Closing twice is harmless. */
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
