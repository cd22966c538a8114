package dev.antorcha.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The CPU backend's threads, PyTorch's {@code torch.set_num_threads}. Work is always split into
 * the same fixed blocks, whatever the number of threads, and each block is computed in the same
 * order, so results are bitwise the same with 1 thread or many.
 *
 * <p>Kernels here take tens to hundreds of microseconds, so the hand-off must cost far less:
 * the caller works on blocks itself, and parked daemon helpers (spinning briefly before they
 * park) take blocks from a shared counter.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile Helper[] helpers = new Helper[0];

    private Parallel() {
    }

    /** Uses {@code n} threads for parallel kernels from now on (1: run on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be >= 1, got " + n);
        threads = n;
    }

    public static int threads() {
        return threads;
    }

    /** One parallel loop: blocks are claimed from {@code next} until none are left. */
    private static final class Job {
        final IntConsumer body;
        final int blocks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int blocks) {
            this.body = body;
            this.blocks = blocks;
        }

        void work() {
            for (int b; (b = next.getAndIncrement()) < blocks; ) {
                try {
                    body.accept(b);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    /** A daemon thread that runs whatever job it is handed. */
    private static final class Helper extends Thread {
        private volatile Job job;

        Helper(int i) {
            super("antorcha-cpu-" + i);
            setDaemon(true);
        }

        void hand(Job j) {
            job = j;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Job j = job;
                if (j == null) {
                    for (int spin = 0; spin < 2_000 && (j = job) == null; spin++) Thread.onSpinWait();
                    if (j == null) {
                        LockSupport.park(this);
                        continue;
                    }
                }
                job = null;
                j.work();
            }
        }
    }

    private static synchronized Helper[] helpers(int count) {
        Helper[] h = helpers;
        if (h.length < count) {
            Helper[] grown = java.util.Arrays.copyOf(h, count);
            for (int i = h.length; i < count; i++) {
                grown[i] = new Helper(i + 1);
                grown[i].start();
            }
            helpers = h = grown;
        }
        return h;
    }

    /** Runs {@code body(0..blocks-1)}, in parallel when {@code parallel} and more than one thread is set. */
    static void forEach(int blocks, boolean parallel, IntConsumer body) {
        int n = Math.min(threads, blocks);
        // Inside a block (on a helper, or on the caller while it holds the lock) a nested loop runs on the same thread.
        if (!parallel || n < 2 || Thread.currentThread() instanceof Helper || LOCK.isHeldByCurrentThread()) {
            for (int b = 0; b < blocks; b++) body.accept(b);
            return;
        }
        Job job = new Job(body, blocks);
        Helper[] h = helpers(n - 1);
        // One caller at a time hands work to the helpers; a concurrent caller runs alone.
        if (!LOCK.tryLock()) {
            for (int b = 0; b < blocks; b++) body.accept(b);
            return;
        }
        try {
            for (int i = 0; i < n - 1; i++) h[i].hand(job);
            job.work();
            while (job.done.get() < blocks) Thread.onSpinWait();
        } finally {
            LOCK.unlock();
        }
        if (job.failure != null) {
            if (job.failure instanceof RuntimeException r) throw r;
            if (job.failure instanceof Error e) throw e;
            throw new IllegalStateException(job.failure);
        }
    }

    private static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();
}
