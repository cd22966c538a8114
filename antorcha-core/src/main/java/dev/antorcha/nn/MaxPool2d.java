package dev.antorcha.nn;

import dev.antorcha.ops.PoolOps;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;

/**
 * 2-D max pooling, PyTorch's {@code nn.MaxPool2d}: {@code [N, C, H, W] → [N, C, oH, oW]} (or
 * unbatched {@code [C, H, W]}). Sizes are one int (both dims) or {@code [h, w]}; the stride
 * defaults to the kernel size. With {@code returnIndices}, {@link #forwardWithIndices} also gives
 * the flat {@code h·W + w} position of each maximum in its plane ({@code nn.MaxUnpool2d}'s input).
 *
 * <pre>{@code
 * Tensor y = new MaxPool2d(2).forward(x);   // [64, 64, 24, 24] -> [64, 64, 12, 12]
 * }</pre>
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;
    private final boolean returnIndices, ceilMode;

    /** {@code k x k} windows, stride {@code k}. */
    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false, false);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false, false);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, false, false);
    }

    /** Every argument of PyTorch's constructor; {@code stride} null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean returnIndices, boolean ceilMode) {
        this.kernelSize = dev.antorcha.ops.Args.ints(kernelSize, "MaxPool2d", "kernel_size").clone();
        this.stride = stride == null || stride.length == 0 ? this.kernelSize : stride.clone();
        this.padding = dev.antorcha.ops.Args.ints(padding, "MaxPool2d", "padding").clone();
        this.dilation = dev.antorcha.ops.Args.ints(dilation, "MaxPool2d", "dilation").clone();
        this.returnIndices = returnIndices;
        this.ceilMode = ceilMode;
    }

    public boolean returnIndices() {
        return returnIndices;
    }

    /** The pooled values (also with {@code returnIndices}: a {@link Module#forward} gives one tensor). */
    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode, false).values();
    }

    /** The pooled values and their int64 positions, PyTorch's {@code (output, indices)}. */
    public ValuesIndices forwardWithIndices(Tensor input) {
        return PoolOps.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Reprs.size(kernelSize) + ", stride=" + Reprs.size(stride) + ", padding=" + Reprs.size(padding)
                + ", dilation=" + Reprs.size(dilation) + ", ceil_mode=" + Reprs.bool(ceilMode);
    }
}
