package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * Batch normalisation of {@code [N, C, H, W]}, statistics per channel over {@code N, H, W}, PyTorch's {@code nn.BatchNorm2d}: {@code y = (x - mean) / sqrt(var + eps) · weight + bias}.
 * See {@link BatchNorm} for the running statistics and the state dict.
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(64);   // eps 1e-5, momentum 0.1, affine, tracking running stats
 * }</pre>
 */
public class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** Every argument of PyTorch's constructor; {@code momentum} null: cumulative moving average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
        }
    }
}
