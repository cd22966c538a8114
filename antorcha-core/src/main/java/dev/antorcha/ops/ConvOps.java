package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ConvParams;
import dev.antorcha.tensor.Tensor;
import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Convolutions, PyTorch's {@code conv1d}, {@code conv2d} and {@code conv_transpose2d}, with
 * torch's argument checks and messages. One differentiable primitive per direction on 4-D NCHW
 * tensors: the 2-D convolution (backward: the input gradient and the weight gradient kernels,
 * the bias gradient a sum) and the transposed convolution, whose forward is the convolution's
 * input gradient and whose backward is a convolution and the same weight gradient. 1-D
 * convolutions are 2-D ones with a height of 1; unbatched inputs get a batch of 1.
 */
public final class ConvOps {
    private ConvOps() {
    }

    // ---- public forms -----------------------------------------------------------------------

    /** {@code F.conv1d}: {@code x [N, Cin, L]} (or {@code [Cin, L]}), {@code w [Cout, Cin/groups, k]}, {@code b [Cout]} or null. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return conv("conv1d", x, w, b, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups, 1);
    }

    /** {@code F.conv1d} with {@code padding="same"} or {@code "valid"}. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, int stride, String padding, int dilation, int groups) {
        return convMode("conv1d", x, w, b, new int[] {stride}, padding, new int[] {dilation}, groups, 1);
    }

    /** {@code F.conv2d}: {@code x [N, Cin, H, W]} (or {@code [Cin, H, W]}), {@code w [Cout, Cin/groups, kH, kW]}. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv("conv2d", x, w, b, stride, padding, dilation, groups, 2);
    }

    /** {@code F.conv2d} with {@code padding="same"} or {@code "valid"}. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, String padding, int[] dilation, int groups) {
        return convMode("conv2d", x, w, b, stride, padding, dilation, groups, 2);
    }

    /**
     * {@code F.conv_transpose2d} in torch's argument order ({@code groups} before {@code dilation}):
     * {@code w [Cin, Cout/groups, kH, kW]}, {@code b [Cout]}; {@code Hout = (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        String op = "conv_transpose2d", java = "convTranspose2d";
        Args.tensor(x, java, "input");
        Args.tensor(w, java, "weight");
        int[] s = expand(java, "stride", stride, 2), p = expand(java, "padding", padding, 2);
        int[] op2 = expand(java, "output_padding", outputPadding, 2), d = expand(java, "dilation", dilation, 2);
        Tensor xb = batched(op, x, 2);
        checkCommon(op, xb, w, b, s, p, d, groups, 2);
        for (int v : op2) if (v < 0) throw new IllegalArgumentException("negative output_padding is not supported");
        int[] ws = w.layout().shape(), xs = xb.layout().shape();
        if (xs[1] != ws[0]) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + Arrays.toString(ws)
                    + ", expected input" + Arrays.toString(xs) + " to have " + ws[0] + " channels, but got " + xs[1]
                    + " channels instead");
        }
        int cout = ws[1] * groups;
        if (b != null && (b.dim() != 1 || b.size(0) != cout)) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + Arrays.toString(ws)
                    + ", expected bias to be 1-dimensional with " + cout + " elements, but got bias of size "
                    + b.shape() + " instead");
        }
        for (int i = 0; i < 2; i++) {
            if (op2[i] >= s[i] && op2[i] >= d[i]) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but got "
                        + "output_padding_height: " + op2[0] + " output_padding_width: " + op2[1] + " stride_height: " + s[0]
                        + " stride_width: " + s[1] + " dilation_height: " + d[0] + " dilation_width: " + d[1]);
            }
        }
        int ho = (xs[2] - 1) * s[0] - 2 * p[0] + d[0] * (ws[2] - 1) + op2[0] + 1;
        int wo = (xs[3] - 1) * s[1] - 2 * p[1] + d[1] * (ws[3] - 1) + op2[1] + 1;
        if (ho <= 0 || wo <= 0) {
            throw new IllegalArgumentException("Given input size per channel: (" + xs[2] + " x " + xs[3]
                    + "). Calculated output size per channel: (" + ho + " x " + wo + "). Output size is too small");
        }
        Tensor y = transposed(xb, w, b, new ConvParams(s[0], s[1], p[0], p[1], d[0], d[1], groups), ho, wo);
        return xb == x ? y : y.squeeze(0);
    }

    // ---- checks and shapes ----------------------------------------------------------------------

    /** torch's {@code padding="same"/"valid"} (_convolution_mode): "same" pads d·(k−1), the odd one at the end. */
    private static Tensor convMode(String op, Tensor x, Tensor w, Tensor b, int[] stride, String padding, int[] dilation,
                                   int groups, int nd) {
        Args.tensor(x, op, "input");
        Args.tensor(w, op, "weight");
        Args.nonNull(padding, op, "padding", "a String");
        if (padding.equals("valid")) return conv(op, x, w, b, stride, new int[nd], dilation, groups, nd);
        if (!padding.equals("same")) throw new IllegalArgumentException("Invalid padding string: '" + padding + "'");
        int[] s = expand(op, "stride", stride, nd), d = expand(op, "dilation", dilation, nd);
        for (int v : s) {
            if (v != 1) throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        }
        if (w.dim() != nd + 2) return conv(op, x, w, b, s, new int[nd], d, groups, nd);   // its own message
        int[] left = new int[nd];
        for (int i = 0; i < nd; i++) left[i] = d[i] * (w.size(2 + i) - 1) / 2;
        return conv(op, x, w, b, s, left, d, groups, nd, true);
    }

    private static Tensor conv(String op, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                               int groups, int nd) {
        return conv(op, x, w, b, stride, padding, dilation, groups, nd, false);
    }

    /** {@code same}: the output keeps the input's size, the right/bottom padding being the larger when odd. */
    private static Tensor conv(String op, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                               int groups, int nd, boolean same) {
        Args.tensor(x, op, "input");
        Args.tensor(w, op, "weight");
        int[] s = expand(op, "stride", stride, nd), p = expand(op, "padding", padding, nd);
        int[] d = expand(op, "dilation", dilation, nd);
        Tensor xb = batched(op, x, nd);
        checkCommon(op, xb, w, b, s, p, d, groups, nd);
        int[] ws = w.layout().shape(), xs = xb.layout().shape();
        if (xs[1] != ws[1] * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + Arrays.toString(ws)
                    + ", expected input" + Arrays.toString(xs) + " to have " + ws[1] * groups
                    + " channels, but got " + xs[1] + " channels instead");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != ws[0])) {
            throw new IllegalArgumentException("Given weight of size " + Arrays.toString(ws)
                    + ", expected bias to be 1-dimensional with " + ws[0] + " elements, but got bias of size "
                    + b.shape() + " instead");
        }
        int[] out = new int[nd];
        StringBuilder padded = new StringBuilder(), kernel = new StringBuilder();
        boolean tooBig = false;
        for (int i = 0; i < nd; i++) {
            int total = same ? d[i] * (ws[2 + i] - 1) : 2 * p[i];
            int in = xs[2 + i] + total, k = d[i] * (ws[2 + i] - 1) + 1;
            tooBig |= in < k;
            padded.append(i > 0 ? " x " : "").append(in);
            kernel.append(i > 0 ? " x " : "").append(k);
            out[i] = (in - k) / s[i] + 1;
        }
        if (tooBig) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + padded + "). Kernel size: ("
                    + kernel + "). Kernel size can't be greater than actual input size");
        }
        Tensor y;
        if (nd == 1) {
            ConvParams cp = new ConvParams(1, s[0], 0, p[0], 1, d[0], groups);
            y = forward(xb.unsqueeze(2), w.unsqueeze(2), b, cp, 1, out[0]).squeeze(2);
        } else {
            y = forward(xb, w, b, new ConvParams(s[0], s[1], p[0], p[1], d[0], d[1], groups), out[0], out[1]);
        }
        return xb == x ? y : y.squeeze(0);
    }

    /** The input with a batch dim: torch accepts an unbatched {@code [C, *spatial]} and unsqueezes it. */
    private static Tensor batched(String op, Tensor x, int nd) {
        if (x.dim() == nd + 1) return x.unsqueeze(0);
        if (x.dim() == nd + 2) return x;
        throw new IllegalArgumentException("Expected " + (nd + 1) + "D (unbatched) or " + (nd + 2) + "D (batched) input to "
                + op + ", but got input of size: " + x.shape());
    }

    /** torch's check_shape_forward, the parts conv and transposed conv share. */
    private static void checkCommon(String op, Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] d, int groups,
                                    int nd) {
        Checks.sameDevice(op, x, w);
        Checks.floating(op, x);
        Checks.sameDtype(op, x, w);
        if (b != null) {
            Checks.sameDevice(op, x, b);
            Checks.sameDtype(op, x, b);
        }
        if (w.dim() != nd + 2) {
            throw new IllegalArgumentException("Expected " + w.dim() + "-dimensional input for " + w.dim()
                    + "-dimensional weight " + w.shape() + ", but got " + x.dim() + "-dimensional input of size "
                    + x.shape() + " instead");
        }
        for (int v : p) if (v < 0) throw new IllegalArgumentException("negative padding is not supported");
        for (int v : s) if (v <= 0) throw new IllegalArgumentException("non-positive stride is not supported");
        for (int v : d) if (v <= 0) throw new IllegalArgumentException("dilation should be greater than zero");
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported");
        int[] ws = w.layout().shape();
        if (ws[0] < groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be at least " + groups
                    + " at dimension 0, but got weight of size " + Arrays.toString(ws) + " instead");
        }
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + Arrays.toString(ws) + " instead");
        }
    }

    /** torch's expand_param_if_needed: one value for every spatial dim, or one per dim. */
    private static int[] expand(String op, String name, int[] v, int nd) {
        Args.nonNull(v, op, name, "an int array");
        if (v.length == nd) return v.clone();
        if (v.length == 1) {
            int[] r = new int[nd];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException("expected " + name + " to be a single integer value or a list of " + nd
                + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(v));
    }

    // ---- the differentiable primitives ------------------------------------------------------

    /** The 2-D convolution of the checked 4-D operands into {@code [N, Cout, ho, wo]}. */
    private static Tensor forward(Tensor x, Tensor w, Tensor b, ConvParams p, int ho, int wo) {
        Tensor xc, wc, bc;
        try (NoGrad _ = NoGrad.enter()) {   // dense copies for the kernels only: not part of the graph
            xc = x.contiguous();
            wc = w.contiguous();
            bc = b == null ? null : b.contiguous();
        }
        Tensor out = x.backend().uninitialized(x.dtype(), x.size(0), w.size(0), ho, wo);
        x.backend().conv2d(xc, wc, bc, p, out);
        Reference.reachabilityFence(bc);
        int[] xs = x.layout().shape(), ws = w.layout().shape();
        Tensor[] in = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        return Graph.record(out, "ConvolutionBackward0", in, saved(xc, wc), (g, need) -> {
            Tensor gc = g.contiguous();
            Tensor dx = need[0] ? inputGrad(gc, wc, p, xs) : null;
            Tensor dw = need[1] ? weightGrad(gc, xc, p, ws) : null;
            if (b == null) return grads(dx, dw);
            return grads(dx, dw, need[2] ? biasGrad(g) : null);
        });
    }

    /**
     * The bias gradient, {@code g} summed over the batch and the plane: the plane first (a contiguous
     * run per image and channel, the reductions' fast path), then the batch. Summing over dims 0, 2
     * and 3 at once took the strided path and some 8% of a CNN step.
     */
    private static Tensor biasGrad(Tensor g) {
        return g.sum(new int[] {2, 3}, false).sum(0);
    }

    /** The transposed convolution of the checked operands into {@code [N, Cout, ho, wo]}. */
    private static Tensor transposed(Tensor x, Tensor w, Tensor b, ConvParams p, int ho, int wo) {
        Tensor xc, wc;
        try (NoGrad _ = NoGrad.enter()) {
            xc = x.contiguous();
            wc = w.contiguous();
        }
        Tensor out = x.backend().empty(x.dtype(), x.size(0), w.size(1) * p.groups(), ho, wo);
        x.backend().conv2dInputGrad(xc, wc, p, out);
        if (b != null) {
            try (NoGrad _ = NoGrad.enter()) {
                x.backend().binary(BinaryOp.ADD, out, b.reshape(1, b.size(0), 1, 1), out);
            }
        }
        int[] xs = x.layout().shape(), ws = w.layout().shape();
        Tensor[] in = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        return Graph.record(out, "ConvolutionBackward0", in, saved(xc, wc), (g, need) -> {
            Tensor gc = g.contiguous();
            Tensor dx = null;
            if (need[0]) {
                dx = g.backend().empty(g.dtype(), xs);
                g.backend().conv2d(gc, wc, null, p, dx);
            }
            // the convolution that this one transposes maps y-shaped tensors to x-shaped ones
            Tensor dw = need[1] ? weightGrad(xc, gc, p, ws) : null;
            if (b == null) return grads(dx, dw);
            return grads(dx, dw, need[2] ? biasGrad(g) : null);
        });
    }

    private static Tensor inputGrad(Tensor g, Tensor w, ConvParams p, int[] xShape) {
        Tensor dx = g.backend().uninitialized(g.dtype(), xShape);
        g.backend().conv2dInputGrad(g, w, p, dx);
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(w);
        return dx;
    }

    private static Tensor weightGrad(Tensor g, Tensor x, ConvParams p, int[] wShape) {
        Tensor dw = g.backend().empty(g.dtype(), wShape);
        g.backend().conv2dWeightGrad(g, x, p, dw);
        return dw;
    }
}
