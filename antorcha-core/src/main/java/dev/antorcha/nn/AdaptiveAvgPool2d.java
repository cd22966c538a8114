package dev.antorcha.nn;

import dev.antorcha.ops.Args;
import dev.antorcha.ops.PoolOps;
import dev.antorcha.tensor.Tensor;

/**
 * Adaptive 2-D average pooling, PyTorch's {@code nn.AdaptiveAvgPool2d}: {@code [N, C, H, W] → [N, C, oH, oW]}
 * whatever {@code H, W} (cell {@code i} averages rows {@code [⌊i·H/oH⌋, ⌈(i+1)·H/oH⌉)}).
 * {@code new AdaptiveAvgPool2d(1)} is global average pooling.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    /** One int (square output) or {@code oH, oW}. */
    public AdaptiveAvgPool2d(int... outputSize) {
        this.outputSize = Args.ints(outputSize, "AdaptiveAvgPool2d", "output_size").clone();
        if (outputSize.length != 1 && outputSize.length != 2) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output_size must be one int or two, got "
                    + java.util.Arrays.toString(outputSize));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + Reprs.size(outputSize);
    }
}
