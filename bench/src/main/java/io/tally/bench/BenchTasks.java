package io.tally.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs tasks on daemon threads and rethrows the first failure as the task threw it. */
final class BenchTasks {

    private BenchTasks() {}

    static void runAll(List<Callable<Void>> tasks, int threads) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, PushSink.daemonThreads("bench-worker"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                running.add(pool.submit(task));
            }
            awaitAll(running);
        } finally {
            pool.shutdownNow();
        }
    }

    static void awaitAll(List<Future<?>> running) throws IOException, InterruptedException {
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
