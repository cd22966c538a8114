package dev.antorcha.data;

import java.util.Iterator;

/**
 * One epoch of a {@link DataLoader}. With {@code numWorkers > 0} it owns background threads:
 * they end by themselves when the epoch has been read to the end, and {@link #close()} stops them
 * at once when a loop leaves early (an iterator dropped without closing is stopped when the
 * garbage collector reclaims it; the threads are daemons either way).
 *
 * <pre>{@code
 * try (BatchIterator<Batch> it = loader.iterator()) {
 *     Batch first = it.next();   // leaving early: close() stops the prefetching workers
 * }
 * }</pre>
 *
 * @param <B> the batch type
 */
public interface BatchIterator<B> extends Iterator<B>, AutoCloseable {

    /** Stops prefetching and ends the epoch: {@code hasNext()} is false afterwards. Idempotent. */
    @Override
    void close();
}
