package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * Batch normalisation of {@code [N, C]} or {@code [N, C, L]}, statistics per channel over {@code N} (and {@code L}), PyTorch's {@code nn.BatchNorm1d}: {@code y = (x - mean) / sqrt(var + eps) · weight + bias}.
 * See {@link BatchNorm} for the running statistics and the state dict.
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(64);   // eps 1e-5, momentum 0.1, affine, tracking running stats
 * }</pre>
 */
public class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** Every argument of PyTorch's constructor; {@code momentum} null: cumulative moving average. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("expected 2D or 3D input (got " + input.dim() + "D input)");
        }
    }
}
