package dev.mailcore.netty;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a blocking SPI call (store, auth provider, policy) off the I/O thread and hands its outcome back to the
 * connection's event loop, as every protocol session does: the session stays single-threaded, the call may block.
 */
public final class Offload {

    private Offload() {
    }

    /** Receives the result (or the failure, with a null result) on the event loop. */
    @FunctionalInterface
    public interface Completion<T> {
        void complete(T result, Throwable failure);
    }

    /**
     * Runs {@code call} on {@code executor}, then {@code completion} on {@code eventLoop}. An executor that refuses the
     * task completes with the {@link RejectedExecutionException}.
     */
    public static <T> void call(Executor executor, Executor eventLoop, Callable<T> call, Completion<T> completion) {
        try {
            executor.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = call.call();
                } catch (Throwable t) {
                    failure = t;
                }
                T r = result;
                Throwable f = failure;
                eventLoop.execute(() -> completion.complete(r, f));
            });
        } catch (RejectedExecutionException e) {
            eventLoop.execute(() -> completion.complete(null, e));
        }
    }
}
