package dev.antorcha.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The samples of {@code dataset} at the given indices, in that order, PyTorch's
 * {@code Subset(dataset, indices)}. The indices are checked once, here, against the dataset's size.
 *
 * <pre>{@code
 * Subset<Example<Tensor, Long>> firstTen = new Subset<>(mnist, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
 * Example<Tensor, Long> s = firstTen.get(3);   // mnist.get(3)
 * }</pre>
 *
 * @param <T> the sample type
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /** @throws IndexOutOfBoundsException when an index is outside {@code [0, dataset.size())} */
    public Subset(Dataset<T> dataset, int[] indices) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.indices = indices.clone();
        int n = dataset.size();
        for (int i = 0; i < this.indices.length; i++) {
            if (this.indices[i] < 0 || this.indices[i] >= n) {
                throw new IndexOutOfBoundsException("Subset index " + this.indices[i] + " (position " + i
                        + ") is out of range for a dataset of size " + n);
            }
        }
    }

    @Override
    public T get(int index) {
        return dataset.get(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public int size() {
        return indices.length;
    }

    /** The underlying dataset. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** A copy of the indices into {@link #dataset()}. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public String toString() {
        return "Subset(size=" + indices.length + ", indices=" + (indices.length <= 10
                ? Arrays.toString(indices) : Arrays.toString(Arrays.copyOf(indices, 10)) + "...") + ")";
    }
}
