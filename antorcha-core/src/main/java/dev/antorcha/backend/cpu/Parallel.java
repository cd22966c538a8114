package dev.antorcha.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The CPU backend's threads, PyTorch's {@code torch.set_num_threads}. Work is always split into
 * the same fixed blocks, whatever the number of threads, and each block is computed in the same
 * order, so results are bitwise the same with 1 thread or many.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool;
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private Parallel() {
    }

    /** Uses {@code n} threads for parallel kernels from now on (1: run on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be >= 1, got " + n);
        ForkJoinPool old = pool;
        pool = null;
        threads = n;
        if (old != null) old.shutdown();
    }

    public static int threads() {
        return threads;
    }

    /** Runs {@code body(0..blocks-1)}, in parallel when {@code parallel} and more than one thread is set. */
    static void forEach(int blocks, boolean parallel, IntConsumer body) {
        if (!parallel || threads == 1 || blocks < 2) {
            for (int b = 0; b < blocks; b++) body.accept(b);
            return;
        }
        pool().submit(() -> IntStream.range(0, blocks).parallel().forEach(body)).join();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new ForkJoinPool(threads, daemonFactory(), null, false);
                p = pool;
            }
        }
        return p;
    }

    /** Daemon workers named antorcha-cpu-N, so an idle pool never keeps the JVM alive. */
    private static ForkJoinPool.ForkJoinWorkerThreadFactory daemonFactory() {
        return p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("antorcha-cpu-" + t.getPoolIndex());
            return t;
        };
    }
}
