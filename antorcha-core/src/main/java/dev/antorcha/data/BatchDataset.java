package dev.antorcha.data;

/**
 * A dataset that can build a whole default-collated batch at once, the {@link DataLoader}'s fast
 * path: no per-sample objects, the pixels go straight from the stored bytes into the batch
 * tensor. The result must equal {@code Collate.defaultCollate()} applied to the samples
 * {@code get(i)}, element for element.
 *
 * <pre>{@code
 * Batch b = ((BatchDataset) mnist).batch(new int[] {0, 1, 2});   // [3, 1, 28, 28] and [3]
 * }</pre>
 */
public interface BatchDataset {

    /** The default-collated batch of the samples at {@code indices}. */
    Batch batch(int[] indices);
}
