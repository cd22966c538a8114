package dev.antorcha.data;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An epoch loaded by {@code n} daemon threads named {@code antorcha-loader-w}. Batch {@code k}
 * is always loaded by worker {@code k % n} and handed over through that worker's own bounded
 * queue ({@link #PREFETCH} deep), and the consumer reads the queues round-robin: the batch order
 * is exactly that of the single-threaded loader, whatever the threads' timing.
 */
final class PrefetchIterator<B> implements BatchIterator<B> {
    /** Batches each worker may have ready ahead of the consumer (PyTorch's prefetch_factor). */
    static final int PREFETCH = 2;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Object NULL = new Object();

    private record Failure(Throwable cause) {
    }

    /**
     * What the workers share. It never refers to the iterator, so an abandoned iterator becomes
     * unreachable and the cleaner stops its workers.
     */
    private static final class Workers implements Runnable {
        final Thread[] threads;
        final List<ArrayBlockingQueue<Object>> queues = new ArrayList<>();
        volatile boolean stopped;

        Workers(int n) {
            threads = new Thread[n];
            for (int w = 0; w < n; w++) queues.add(new ArrayBlockingQueue<>(PREFETCH));
        }

        @Override
        public void run() {   // the cleaning action: stop every worker
            stopped = true;
            for (Thread t : threads) if (t != null) t.interrupt();
        }
    }

    private final Workers workers;
    private final Cleaner.Cleanable cleanable;
    private final int total;
    private int next;
    private boolean closed;

    PrefetchIterator(List<int[]> batches, Function<int[], ?> fetch, int n) {
        this.total = batches.size();
        Workers ws = new Workers(n);
        this.workers = ws;
        this.cleanable = CLEANER.register(this, ws);
        for (int w = 0; w < n; w++) {
            int id = w;
            Thread t = new Thread(() -> work(ws, id, batches, fetch), "antorcha-loader-" + w);
            t.setDaemon(true);
            ws.threads[w] = t;
        }
        for (Thread t : ws.threads) t.start();
    }

    private static void work(Workers ws, int w, List<int[]> batches, Function<int[], ?> fetch) {
        int n = ws.threads.length;
        for (int k = w; k < batches.size() && !ws.stopped; k += n) {
            Object result;
            try {
                result = fetch.apply(batches.get(k));
                if (result == null) result = NULL;
            } catch (Throwable e) {   // handed to the consumer, which rethrows it wrapped
                result = new Failure(e);
            }
            try {
                ws.queues.get(w).put(result);
            } catch (InterruptedException e) {
                return;   // stopped by close() or the cleaner
            }
            if (result instanceof Failure) return;
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && next < total;
    }

    @Override
    @SuppressWarnings("unchecked")
    public B next() {
        if (!hasNext()) throw new NoSuchElementException(closed ? "the iterator was closed" : "the epoch is over");
        int k = next, w = k % workers.threads.length;
        Object r = take(k, w);
        next++;
        if (r instanceof Failure f) {
            close();
            throw new DataLoaderException("Caught " + f.cause() + " in DataLoader worker " + w
                    + " while loading batch " + k, k, f.cause());
        }
        if (next == total) close();   // the workers are done; release them now
        return r == NULL ? null : (B) r;
    }

    private Object take(int k, int w) {
        ArrayBlockingQueue<Object> q = workers.queues.get(w);
        try {
            while (true) {
                Object r = q.poll(50, TimeUnit.MILLISECONDS);
                if (r != null) return r;
                // A worker that died without handing over batch k would leave us waiting forever.
                if (!workers.threads[w].isAlive() && (r = q.poll()) == null) {
                    close();
                    throw new DataLoaderException("DataLoader worker " + w + " exited before loading batch " + k,
                            k, null);
                }
                if (r != null) return r;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new DataLoaderException("interrupted while waiting for batch " + k, k, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        cleanable.clean();   // runs Workers.run at most once
    }
}
