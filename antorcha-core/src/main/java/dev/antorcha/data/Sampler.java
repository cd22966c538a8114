package dev.antorcha.data;

import java.util.PrimitiveIterator;

/**
 * The order in which a {@link DataLoader} visits dataset indices, PyTorch's {@code Sampler}.
 * Each call to {@link #iterator()} starts a new epoch; {@link PrimitiveIterator.OfInt#nextInt()}
 * yields the indices without boxing. Random samplers draw their epoch's order when
 * {@code iterator()} is called, on the calling thread, so the order depends only on the seed.
 *
 * <pre>{@code
 * Sampler order = new RandomSampler(60_000, new Generator(0));
 * int[] epoch = order.epoch();   // a permutation of 0..59,999
 * }</pre>
 */
public interface Sampler extends Iterable<Integer> {

    /** The indices of a new epoch. */
    @Override
    PrimitiveIterator.OfInt iterator();

    /** Number of indices per epoch ({@code len(sampler)}). */
    int size();

    /** The indices of a new epoch as an array. */
    default int[] epoch() {
        int[] out = new int[size()];
        PrimitiveIterator.OfInt it = iterator();
        int n = 0;
        while (it.hasNext()) {
            if (n == out.length) out = java.util.Arrays.copyOf(out, Math.max(8, out.length * 2));
            out[n++] = it.nextInt();
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }
}
