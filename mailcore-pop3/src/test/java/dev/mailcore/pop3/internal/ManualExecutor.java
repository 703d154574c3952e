package dev.mailcore.pop3.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that only queues; the test runs the tasks when it wants (a "worker thread" it controls). */
final class ManualExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable command) {
        tasks.add(command);
    }

    synchronized int pending() {
        return tasks.size();
    }

    /** Runs queued tasks (and those they queue) until none is left; returns how many ran. */
    int runAll() {
        int n = 0;
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
            }
            if (task == null) {
                return n;
            }
            task.run();
            n++;
        }
    }
}
