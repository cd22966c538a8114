package dev.antorcha.data;

import dev.antorcha.tensor.Generator;
import java.util.Arrays;
import java.util.Objects;
import java.util.PrimitiveIterator;

/**
 * A fresh random permutation of {@code 0..size-1} each epoch, PyTorch's {@code RandomSampler}
 * (without replacement). The permutation is drawn from the generator when {@link #iterator()}
 * is called, so {@code Antorcha.manualSeed(s)} (for the default generator) makes the sequence
 * of epochs reproducible.
 *
 * <pre>{@code
 * Antorcha.manualSeed(0);
 * Sampler order = new RandomSampler(dataset);   // same epochs after every manualSeed(0)
 * }</pre>
 */
public final class RandomSampler implements Sampler {
    private final int size;
    private final Generator generator;

    /** Draws from {@code generator}. @throws IllegalArgumentException when {@code size < 0} */
    public RandomSampler(int size, Generator generator) {
        if (size < 0) throw new IllegalArgumentException("size must be >= 0, got " + size);
        this.size = size;
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /** Draws from {@link Generator#defaultGenerator()}, which {@code Antorcha.manualSeed} seeds. */
    public RandomSampler(int size) {
        this(size, Generator.defaultGenerator());
    }

    /** Over all samples of {@code dataset} (its size when constructed), default generator. */
    public RandomSampler(Dataset<?> dataset) {
        this(dataset.size());
    }

    /** Over all samples of {@code dataset} (its size when constructed), drawing from {@code generator}. */
    public RandomSampler(Dataset<?> dataset, Generator generator) {
        this(dataset.size(), generator);
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        return Arrays.stream(generator.permutation(size)).iterator();
    }

    @Override
    public int[] epoch() {
        return generator.permutation(size);
    }

    @Override
    public int size() {
        return size;
    }

    /** The generator this sampler draws from. */
    public Generator generator() {
        return generator;
    }
}
