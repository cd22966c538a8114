package dev.antorcha.data;

import dev.antorcha.tensor.Tensor;

/**
 * A collated mini-batch: inputs stacked along a new first dim ({@code [B, C, H, W]} for images)
 * and targets as {@code [B]} (int64 class labels, or float32 values).
 *
 * <pre>{@code
 * for (Batch batch : imageLoader) {
 *     Tensor images = batch.input(), tags = batch.target();
 * }
 * }</pre>
 */
public record Batch(Tensor input, Tensor target) {

    /** Number of samples in the batch. */
    public int size() {
        return input.size(0);
    }
}
