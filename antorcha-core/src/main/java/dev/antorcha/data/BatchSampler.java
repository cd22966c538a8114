package dev.antorcha.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PrimitiveIterator;

/**
 * Groups the indices of a {@link Sampler} into batches of {@code batchSize}, PyTorch's
 * {@code BatchSampler}. The last batch is smaller when the size does not divide evenly, or is
 * dropped when {@code dropLast} is set. Each {@link #iterator()} is a new epoch of the sampler.
 *
 * <pre>{@code
 * var batches = new BatchSampler(new SequentialSampler(10), 3, false);
 * for (int[] b : batches) { ... }   // [0,1,2] [3,4,5] [6,7,8] [9]
 * }</pre>
 */
public final class BatchSampler implements Iterable<int[]> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    /** @throws IllegalArgumentException when {@code batchSize < 1} */
    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
                    + batchSize);
        }
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** Number of batches per epoch ({@code len(batch_sampler)}). */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Sampler sampler() {
        return sampler;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    @Override
    public Iterator<int[]> iterator() {
        PrimitiveIterator.OfInt indices = sampler.iterator();
        return new Iterator<>() {
            private int[] next = advance();

            private int[] advance() {
                int[] b = new int[batchSize];
                int n = 0;
                while (n < batchSize && indices.hasNext()) b[n++] = indices.nextInt();
                if (n == 0 || (n < batchSize && dropLast)) return null;
                return n == batchSize ? b : java.util.Arrays.copyOf(b, n);
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public int[] next() {
                if (next == null) throw new NoSuchElementException("the epoch is over");
                int[] b = next;
                next = advance();
                return b;
            }
        };
    }
}
