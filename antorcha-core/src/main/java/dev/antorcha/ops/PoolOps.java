package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.BackwardFn;
import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.Pool2d;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;
import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * 2-D pooling over the last two dims of a batched {@code [N, C, H, W]} or unbatched
 * {@code [C, H, W]} tensor, with PyTorch 1.13's output sizes, argument checks and messages; each
 * backward beside its forward. Sizes are given as one int (both dims) or two ({@code [h, w]}).
 */
public final class PoolOps {
    private PoolOps() {
    }

    /**
     * {@code F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode, return_indices=True)}:
     * the maxima and their flat {@code h·W + w} positions in each input plane (int64). Padding
     * acts as −∞; among equal values the first in row-major order wins and receives the whole
     * gradient. {@code stride} null or empty means the kernel size.
     */
    public static ValuesIndices maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool2d(x, kernel, stride, padding, dilation, ceilMode, true);
    }

    /**
     * {@code F.max_pool2d}; without {@code keepIndices} the caller drops the indices (only the
     * backward reads them), so their memory is recycled once the backward has run.
     */
    public static ValuesIndices maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode,
                                          boolean keepIndices) {
        Args.tensor(x, "max_pool2d", "input");
        Pool2d p = window("max_pool2d", kernel, stride, padding, dilation);
        floating("max_pool2d", x);
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) {
            ValuesIndices r = maxPool2d(x.to(DType.FLOAT32), kernel, stride, padding, dilation, ceilMode, keepIndices);
            return new ValuesIndices(r.values().to(x.dtype()), r.indices());
        }
        int[] outShape = outputShape("max_pool2d", x, p, ceilMode);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor out = x.backend().uninitialized(x.dtype(), outShape);
        Tensor indices = x.backend().uninitialized(DType.INT64, outShape);
        x.backend().maxPool2d(xc, p, out, indices);
        Reference.reachabilityFence(xc);
        int[] in = x.layout().shape().clone();
        // Max pooling of a ReLU's output (a CNN's relu then max_pool2d): the gradient reaches the ReLU's
        // input at each window's maximum, where that maximum is positive ("g where out > 0", the ReLU's
        // rule, the same value at that position), and nowhere else. So the pooled gradient is masked by
        // the pooled values (a quarter of the ReLU's elements for 2×2 windows) and scattered, and the
        // node goes past the ReLU's, instead of scattering and then masking over the whole activation:
        // the same bits, one pass less over the largest tensor of the MNIST CNN's step. Other uses of
        // the ReLU's output still reach its own backward.
        boolean pastRelu = !keepIndices && Graph.recordedBy(x, UnaryOps.RELU);
        BackwardFn backward = (g, n) -> {
            Tensor dx = g.backend().uninitialized(g.dtype(), in);
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            if (pastRelu) gc = UnaryOps.maskPositive(gc, out);   // contiguous: gc itself, or a new tensor
            g.backend().maxPool2dBackward(gc, indices, dx);
            Reference.reachabilityFence(gc);
            return grads(dx);
        };
        if (pastRelu) Graph.recordOnInputsOf(out, "MaxPool2DReluBackward", x.gradFn(), saved(indices, out), backward);
        else Graph.record(out, "MaxPool2DWithIndicesBackward0", inputs(x), saved(indices), backward);
        if (!keepIndices) Graph.spentWith(out, indices);
        return new ValuesIndices(out, indices);
    }

    /**
     * {@code F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)}:
     * each window's sum divided by {@code divisorOverride} when given, else by the window's size
     * counting padding ({@code countIncludePad}) or only its input elements.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        Args.tensor(x, "avg_pool2d", "input");
        Pool2d p = window("avg_pool2d", kernel, stride, padding, new int[] {1});
        if (divisorOverride != null && divisorOverride == 0) throw new IllegalArgumentException("divisor must be not zero");
        floating("avg_pool2d", x);
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) {
            return avgPool2d(x.to(DType.FLOAT32), kernel, stride, padding, ceilMode, countIncludePad, divisorOverride).to(x.dtype());
        }
        int div = divisorOverride == null ? 0 : divisorOverride;
        int[] outShape = outputShape("avg_pool2d", x, p, ceilMode);
        Tensor out = x.backend().empty(x.dtype(), outShape);
        x.backend().avgPool2d(x.isContiguous() ? x : x.contiguousCopy(), p, countIncludePad, div, out);
        int[] in = x.layout().shape().clone();
        return Graph.record(out, "AvgPool2DBackward0", inputs(x), nothingSaved(), (g, n) -> {
            Tensor dx = g.backend().empty(g.dtype(), in);
            g.backend().avgPool2dBackward(g.isContiguous() ? g : g.contiguousCopy(), p, countIncludePad, div, dx);
            return grads(dx);
        });
    }

    /**
     * {@code F.adaptive_avg_pool2d(x, output_size)}: output cell {@code i} averages input rows
     * {@code [⌊i·H/oH⌋, ⌈(i+1)·H/oH⌉)}, and the same for columns (windows may overlap).
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int[] outputSize) {
        Args.tensor(x, "adaptive_avg_pool2d", "input");
        Args.ints(outputSize, "adaptive_avg_pool2d", "output_size");
        if (outputSize.length != 1 && outputSize.length != 2) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output_size must be 2, got " + Arrays.toString(outputSize));
        }
        int oh = outputSize[0], ow = outputSize[outputSize.length - 1];
        if (oh < 0 || ow < 0) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 "
                    + "but received {" + oh + ", " + ow + "}");
        }
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " + x.shape());
        }
        for (int i = 1; i < x.dim(); i++) {
            if (x.size(i) == 0) {
                throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                        + "dimensions, but input has sizes " + x.shape() + " with dimension " + i + " being empty");
            }
        }
        floating("adaptive_avg_pool2d", x);
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) return adaptiveAvgPool2d(x.to(DType.FLOAT32), outputSize).to(x.dtype());
        int[] shape = x.layout().shape().clone();
        shape[shape.length - 2] = oh;
        shape[shape.length - 1] = ow;
        Tensor out = x.backend().empty(x.dtype(), shape);
        x.backend().adaptiveAvgPool2d(x.isContiguous() ? x : x.contiguousCopy(), out);
        int[] in = x.layout().shape().clone();
        return Graph.record(out, "AdaptiveAvgPool2DBackward0", inputs(x), nothingSaved(), (g, n) -> {
            Tensor dx = g.backend().empty(g.dtype(), in);
            g.backend().adaptiveAvgPool2dBackward(g.isContiguous() ? g : g.contiguousCopy(), dx);
            return grads(dx);
        });
    }

    /**
     * The pooling output size along one dim (PyTorch's {@code pooling_output_shape}):
     * {@code ⌊(in + 2p − d(k−1) − 1) / s⌋ + 1}, rounded up in ceil mode, where a last window that
     * would start inside the right padding is dropped.
     */
    public static int outputSize(int in, int kernel, int pad, int stride, int dilation, boolean ceilMode) {
        long num = (long) in + 2L * pad - (long) dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long out = Math.floorDiv(num, stride) + 1;
        if (ceilMode && (out - 1) * stride >= (long) in + pad) out--;
        return (int) out;
    }

    // ---- checks ----------------------------------------------------------------------------

    private static void floating(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + x.dtype().scalarTypeName()
                    + "' (input of shape " + x.shape() + "; convert it with .to(DType.FLOAT32))");
        }
    }

    /** The checked window; each size is one int (both dims) or two. */
    private static Pool2d window(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        Args.ints(kernel, op, "kernel_size");
        if (kernel.length != 1 && kernel.length != 2) {
            throw new IllegalArgumentException(op + ": kernel_size must either be a single int, or a tuple of two ints, got "
                    + Arrays.toString(kernel));
        }
        if (stride != null && stride.length != 0 && stride.length != 1 && stride.length != 2) {
            throw new IllegalArgumentException(op + ": stride must either be omitted, a single int, or a tuple of two ints, got "
                    + Arrays.toString(stride));
        }
        Args.ints(padding, op, "padding");
        if (padding.length != 1 && padding.length != 2) {
            throw new IllegalArgumentException(op + ": padding must either be a single int, or a tuple of two ints, got "
                    + Arrays.toString(padding));
        }
        Args.ints(dilation, op, "dilation");
        if (dilation.length != 1 && dilation.length != 2) {
            throw new IllegalArgumentException(op + ": dilation must be either a single int, or a tuple of two ints, got "
                    + Arrays.toString(dilation));
        }
        int kh = kernel[0], kw = kernel[kernel.length - 1];
        int[] s = stride == null || stride.length == 0 ? kernel : stride;
        int sh = s[0], sw = s[s.length - 1];
        int ph = padding[0], pw = padding[padding.length - 1];
        int dh = dilation[0], dw = dilation[dilation.length - 1];
        if (kh <= 0 || kw <= 0) {
            throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + kh + " kW: " + kw);
        }
        if (sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + sh + " dW: " + sw);
        }
        if (dh <= 0 || dw <= 0) {
            throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: " + dh
                    + " dilationW: " + dw);
        }
        if (ph < 0 || pw < 0) {
            throw new IllegalArgumentException("pad must be non-negative, but got padH: " + ph + " padW: " + pw);
        }
        if (kw / 2 < pw || kh / 2 < ph) {
            throw new IllegalArgumentException("pad should be smaller than or equal to half of kernel size, but got padW = "
                    + pw + ", padH = " + ph + ", kW = " + kw + ", kH = " + kh);
        }
        return new Pool2d(kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /** {@code x}'s shape with the pooled {@code [oH, oW]} last; PyTorch's {@code pool2d_shape_check}. */
    private static int[] outputShape(String op, Tensor x, Pool2d p, boolean ceilMode) {
        int dim = x.dim();
        boolean validDims = (dim == 3 || dim == 4) && x.size(-1) != 0 && x.size(-2) != 0 && x.size(-3) != 0;
        if (!validDims) {
            throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
                    + "but got: " + x.shape() + " (in " + op + ")");
        }
        int h = x.size(-2), w = x.size(-1), c = x.size(-3);
        int oh = outputSize(h, p.kernelH(), p.padH(), p.strideH(), p.dilationH(), ceilMode);
        int ow = outputSize(w, p.kernelW(), p.padW(), p.strideW(), p.dilationW(), ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("Given input size: (" + c + "x" + h + "x" + w + "). Calculated output size: ("
                    + c + "x" + oh + "x" + ow + "). Output size is too small");
        }
        int[] shape = x.layout().shape().clone();
        shape[dim - 2] = oh;
        shape[dim - 1] = ow;
        return shape;
    }
}
