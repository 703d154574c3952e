package dev.mailcore.server.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor for blocking SPI calls (store, auth, policies, filters) when the host gives none: virtual threads on
 * a JVM that has them (21+), else a cached pool of daemon threads.
 */
public final class WorkerExecutors {
    private WorkerExecutors() {
    }

    public static ExecutorService create(String name) {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, name + "-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            return Executors.newCachedThreadPool(factory);
        }
    }
}
