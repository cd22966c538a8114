package dev.antorcha.data;

import dev.antorcha.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Utilities over datasets, PyTorch's {@code torch.utils.data.random_split}.
 *
 * <pre>{@code
 * List<Subset<Example<Tensor, Long>>> parts = Datasets.randomSplit(mnist, new double[] {0.8, 0.2}, new Generator(42));
 * var train = parts.get(0);   // 48,000 samples; parts.get(1) has the other 12,000
 * }</pre>
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} into disjoint random subsets of the given lengths, which must sum to
     * {@code dataset.size()}. One permutation is drawn from {@code generator}; subset {@code k}
     * takes the next {@code lengths[k]} indices of it.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(generator, "generator");
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("Length at index " + i + " is negative: " + lengths[i]);
            }
            sum += lengths[i];
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("Sum of input lengths " + Arrays.toString(lengths) + " (" + sum
                    + ") does not equal the length of the input dataset (" + dataset.size() + ")");
        }
        int[] perm = generator.permutation((int) sum);
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int length : lengths) {
            out.add(new Subset<>(dataset, Arrays.copyOfRange(perm, offset, offset + length)));
            offset += length;
        }
        return List.copyOf(out);
    }

    /**
     * Splits {@code dataset} by fractions that sum to 1: each subset gets
     * {@code floor(size * fraction)} samples, and the remainder is handed out one at a time to
     * the subsets in order (round-robin), exactly as PyTorch does.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        return randomSplit(dataset, lengthsOf(fractions, dataset.size()), generator);
    }

    /** {@link #randomSplit(Dataset, int[], Generator)} with the default generator. */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths) {
        return randomSplit(dataset, lengths, Generator.defaultGenerator());
    }

    /** {@link #randomSplit(Dataset, double[], Generator)} with the default generator. */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions) {
        return randomSplit(dataset, fractions, Generator.defaultGenerator());
    }

    /** The subset lengths PyTorch derives from {@code fractions} for a dataset of {@code n} samples. */
    static int[] lengthsOf(double[] fractions, int n) {
        if (fractions.length == 0) throw new IllegalArgumentException("fractions must not be empty");
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] >= 0 && fractions[i] <= 1)) {
                throw new IllegalArgumentException("Fraction at index " + i + " is not between 0 and 1: "
                        + fractions[i]);
            }
            sum += fractions[i];
        }
        // math.isclose(sum, 1) with its default rel_tol=1e-9, and sum <= 1.
        if (Math.abs(sum - 1) > 1e-9 * Math.max(1, Math.abs(sum)) || sum > 1) {
            throw new IllegalArgumentException("fractions " + Arrays.toString(fractions) + " sum to " + sum
                    + ", not 1");
        }
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; i < n - assigned; i++) lengths[i % lengths.length]++;
        return lengths;
    }
}
