package dev.antorcha.data;

/**
 * Thrown by a {@link DataLoader} iterator's {@code next()} when loading a batch failed on a
 * background worker; the exception thrown there (by {@code Dataset.get} or the collate) is the
 * {@linkplain #getCause() cause}. With {@code numWorkers = 0} such exceptions propagate unwrapped.
 *
 * <pre>{@code
 * try { for (Batch b : loader) train(b); }
 * catch (DataLoaderException e) { log(e.getCause()); }
 * }</pre>
 */
public class DataLoaderException extends RuntimeException {
    private final int batchIndex;

    public DataLoaderException(String message, int batchIndex, Throwable cause) {
        super(message, cause);
        this.batchIndex = batchIndex;
    }

    /** Position within the epoch of the batch that failed. */
    public int batchIndex() {
        return batchIndex;
    }
}
