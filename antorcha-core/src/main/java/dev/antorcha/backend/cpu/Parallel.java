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
    private static volatile ForkJoinPool pool = ForkJoinPool.commonPool();
    private static volatile int threads = Math.max(1, ForkJoinPool.getCommonPoolParallelism());

    private Parallel() {
    }

    /** Uses {@code n} threads for parallel kernels from now on (1: run on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be >= 1, got " + n);
        ForkJoinPool old = pool;
        pool = n == ForkJoinPool.getCommonPoolParallelism() ? ForkJoinPool.commonPool() : new ForkJoinPool(n);
        threads = n;
        if (old != ForkJoinPool.commonPool()) old.shutdown();
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
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(body)).join();
    }
}
