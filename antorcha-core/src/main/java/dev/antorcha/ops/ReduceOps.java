package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.nothingSaved;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * Reductions over all or some dims, with {@code keepDim}. {@code sum} and {@code max}/{@code min}
 * are primitives; {@code mean} and {@code var} are composed from them.
 */
public final class ReduceOps {
    private ReduceOps() {
    }

    /** x's shape with the reduced dims set to 1. */
    private static int[] keptShape(Tensor x, int[] dims) {
        int[] s = x.layout().shape().clone();
        for (int d : dims) s[d] = 1;
        return s;
    }

    private static int[] droppedShape(Tensor x, int[] dims) {
        int[] s = x.layout().shape();
        boolean[] drop = new boolean[s.length];
        for (int d : dims) drop[d] = true;
        int[] out = new int[s.length - dims.length];
        for (int i = 0, j = 0; i < s.length; i++) if (!drop[i]) out[j++] = s[i];
        return out;
    }

    private static Tensor raw(ReduceOp op, Tensor x, int[] dims, boolean keepDim, DType outType) {
        Tensor out = x.backend().empty(outType, keptShape(x, dims));
        x.backend().reduce(op, x, dims, out);
        return keepDim ? out : out.viewOf(out.layout().view(droppedShape(x, dims)));
    }

    /** Sum over {@code dims} ({@code null}: all); int64 and bool sum to int64, as torch. */
    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        int[] d = Checks.dims(dims, x.dim());
        DType outType = Checks.resultType("sum", Checks.operand(x));
        Tensor out = raw(ReduceOp.SUM, x, d, keepDim, outType);
        Shape in = x.shape();
        int[] kept = keptShape(x, d);
        return Graph.record(out, dims == null ? "SumBackward0" : "SumBackward1", inputs(x), nothingSaved(),
                (g, n) -> grads(g.reshape(kept).expand(in.toArray())));
    }

    /** Sums a broadcast tensor back down to {@code shape} (the engine's broadcast reduction). */
    public static Tensor sumToSize(Tensor x, Shape shape) {
        Args.nonNull(shape, "sumToSize", "size", "a Shape");
        if (x.shape().equals(shape)) return x;
        int[] target = shape.toArray(), s = x.layout().shape();
        int lead = s.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumToSize: shape " + shape + " is not expandable to " + x.shape());
        }
        int[] dims = new int[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i < lead || (target[i - lead] == 1 && s[i] != 1)) dims[n++] = i;
            else if (target[i - lead] != s[i]) {
                throw new IllegalArgumentException("sumToSize: shape " + shape + " is not expandable to " + x.shape());
            }
        }
        Tensor r = n == 0 ? x : sum(x, java.util.Arrays.copyOf(dims, n), true);
        return r.reshape(target);
    }

    /** Mean over {@code dims} ({@code null}: all); its own node so that it prints as torch's {@code MeanBackward}. */
    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        DType outType = Checks.resultType("mean", Checks.operand(x));   // floating only, as torch
        int[] d = Checks.dims(dims, x.dim());
        long count = 1;
        for (int i : d) count *= x.layout().shape()[i];
        double n = count;
        Tensor out;
        try (NoGrad _ = NoGrad.enter()) {
            out = raw(ReduceOp.SUM, x, d, keepDim, outType).div(n);
        }
        Shape in = x.shape();
        int[] kept = keptShape(x, d);
        return Graph.record(out, dims == null ? "MeanBackward0" : "MeanBackward1", inputs(x), nothingSaved(),
                (g, needs) -> grads(g.reshape(kept).expand(in.toArray()).div(n)));
    }

    /** Max (or min) over dims; ties share the gradient evenly (torch's amax/amin rule). */
    public static Tensor max(Tensor x, int[] dims, boolean keepDim, boolean min) {
        int[] d = Checks.dims(dims, x.dim());
        DType outType = Checks.resultType(min ? "min" : "max", Checks.operand(x));
        Tensor outKept = raw(min ? ReduceOp.MIN : ReduceOp.MAX, x, d, true, outType);
        Tensor out = keepDim ? outKept : outKept.viewOf(outKept.layout().view(droppedShape(x, d)));
        return Graph.record(out, min ? "MinBackward1" : "MaxBackward1", inputs(x), saved(x, outKept), (g, n) -> {
            Tensor mask = x.eq(outKept).to(g.dtype());
            Tensor count = mask.sum(d, true);
            return grads(g.reshape(outKept.layout().shape()).mul(mask).div(count));
        });
    }

    /** Index of the max (or min) along {@code dim} ({@code null}: of the flattened tensor), int64. */
    public static Tensor argmax(Tensor x, Integer dim, boolean keepDim, boolean max) {
        Checks.resultType(max ? "argmax" : "argmin", Checks.operand(x));   // PyTorch refuses bool
        if (dim == null) {
            Tensor flat = x.reshape(-1);
            return argmax(flat, 0, false, max);
        }
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) return dev.antorcha.tensor.Factory.scalarOn(x, 0, DType.INT64);
        Tensor out = x.backend().empty(DType.INT64, keptShape(x, new int[] {d}));
        x.backend().argReduce(max, x, d, out);
        return keepDim ? out : out.viewOf(out.layout().view(droppedShape(x, new int[] {d})));
    }

    /** Variance with {@code correction} (1: unbiased, as torch.var's default). */
    public static Tensor var(Tensor x, int[] dims, boolean keepDim, int correction) {
        int[] d = Checks.dims(dims, x.dim());
        long count = 1;
        for (int i : d) count *= x.layout().shape()[i];
        Tensor centered = x.sub(mean(x, d, true));
        return sum(centered.mul(centered), d, keepDim).div((double) Math.max(0, count - correction));
    }
}
