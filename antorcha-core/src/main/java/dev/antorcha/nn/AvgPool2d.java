package dev.antorcha.nn;

import dev.antorcha.ops.Args;
import dev.antorcha.ops.PoolOps;
import dev.antorcha.tensor.Tensor;

/**
 * 2-D average pooling, PyTorch's {@code nn.AvgPool2d}: {@code [N, C, H, W] → [N, C, oH, oW]} (or
 * unbatched). The stride defaults to the kernel size; {@code countIncludePad} (default true)
 * counts padding positions in the divisor, {@code divisorOverride} (null: none) replaces it.
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize, stride, padding;
    private final boolean ceilMode, countIncludePad;
    private final Integer divisorOverride;

    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, false, true, null);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, null);
    }

    /** Every argument of PyTorch's constructor; {@code stride} null means the kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                     Integer divisorOverride) {
        this.kernelSize = Args.ints(kernelSize, "AvgPool2d", "kernel_size").clone();
        this.stride = stride == null || stride.length == 0 ? this.kernelSize : stride.clone();
        this.padding = Args.ints(padding, "AvgPool2d", "padding").clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Reprs.size(kernelSize) + ", stride=" + Reprs.size(stride) + ", padding=" + Reprs.size(padding);
    }
}
