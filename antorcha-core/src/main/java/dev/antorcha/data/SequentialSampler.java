package dev.antorcha.data;

import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

/**
 * Indices {@code 0, 1, ..., size-1} in order, every epoch, PyTorch's {@code SequentialSampler}.
 *
 * <pre>{@code
 * Sampler order = new SequentialSampler(dataset);
 * for (int i : order) { ... }   // 0, 1, 2, ...
 * }</pre>
 */
public final class SequentialSampler implements Sampler {
    private final int size;

    /** @throws IllegalArgumentException when {@code size < 0} */
    public SequentialSampler(int size) {
        if (size < 0) throw new IllegalArgumentException("size must be >= 0, got " + size);
        this.size = size;
    }

    /** Over all samples of {@code dataset} (its size when constructed). */
    public SequentialSampler(Dataset<?> dataset) {
        this(dataset.size());
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        return IntStream.range(0, size).iterator();
    }

    @Override
    public int size() {
        return size;
    }
}
