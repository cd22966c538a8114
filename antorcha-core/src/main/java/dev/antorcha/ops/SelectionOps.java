package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;

/**
 * Ops that pick elements along a dim and return them with their int64 positions:
 * {@code max(dim)} / {@code min(dim)} and {@code topk}. The gradient of a picked value goes whole
 * to the one element picked (never split among equal values, unlike {@code amax}), so the
 * backward scatters {@code g} to the indices.
 */
public final class SelectionOps {
    private SelectionOps() {
    }

    /**
     * {@code torch.max(x, dim, keepdim)} ({@code min} when {@code min}): per fibre the extreme value and
     * the position of its FIRST occurrence; NaN wins (the first NaN), as in PyTorch.
     */
    public static ValuesIndices maxDim(Tensor x, int dim, boolean keepDim, boolean min) {
        String op = min ? "min" : "max";
        Args.tensor(x, op, "input");
        Checks.resultType(op, Checks.operand(x));
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return new ValuesIndices(MovementOps.cloneOf(x), Factory.scalarOn(x, 0, DType.INT64));
        }
        if (x.size(d) == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim " + d
                    + " to have non-zero size. (input of shape " + x.shape() + ")");
        }
        int[] kept = x.layout().shape().clone();
        kept[d] = 1;
        Tensor idx = x.backend().empty(DType.INT64, kept);
        x.backend().argReduce(!min, x, d, idx);
        Tensor indices = keepDim ? idx : idx.viewOf(idx.layout().squeeze(d));
        return new ValuesIndices(picked(x, d, idx, indices.layout().shape(), min ? "MinBackward0" : "MaxBackward0"), indices);
    }

    /**
     * {@code torch.topk(x, k, dim, largest, sorted)}: the {@code k} largest (smallest) elements of each
     * fibre along {@code dim} and their positions. Values come in descending (ascending) order whether
     * or not {@code sorted} is asked (any order is PyTorch's contract for {@code sorted=false}); NaN is
     * the largest value. Among equal values the lower index comes first here; PyTorch's CPU kernel
     * leaves that order unspecified (its sort is not stable), so only the values are comparable there.
     */
    public static ValuesIndices topk(Tensor x, int k, int dim, boolean largest, boolean sorted) {
        Args.tensor(x, "topk", "input");
        Checks.resultType("max", Checks.operand(x));   // every dtype max accepts, as torch.topk
        int d = Shape.normalizeDim(dim, x.dim());
        int size = x.dim() == 0 ? 1 : x.size(d);
        if (k < 0 || k > size) {
            throw new IllegalArgumentException("selected index k out of range (topk: k = " + k + " for dimension "
                    + d + " of size " + size + " in a tensor of shape " + x.shape() + ")");
        }
        if (x.dim() == 0) {
            ValuesIndices r = topk(x.reshape(1), k, 0, largest, sorted);
            return k == 1 ? new ValuesIndices(r.values().reshape(), r.indices().reshape()) : r;
        }
        int[] shape = x.layout().shape().clone();
        shape[d] = k;
        Tensor idx = x.backend().empty(DType.INT64, shape);
        if (k > 0 && idx.numel() > 0) x.backend().topk(x, k, d, largest, idx);
        return new ValuesIndices(picked(x, d, idx, shape, "TopkBackward0"), idx);
    }

    /**
     * {@code x}'s elements at {@code idx} along {@code d}, viewed as {@code shape} (idx's, or without
     * dim d); backward: {@code g} scattered to those positions.
     */
    private static Tensor picked(Tensor x, int d, Tensor idx, int[] shape, String name) {
        Tensor values;
        try (NoGrad _ = NoGrad.enter()) {
            values = IndexOps.gather(x, d, idx);
        }
        values = values.viewOf(values.layout().view(shape));   // gather's result is contiguous
        Shape in = x.shape();
        int[] picked = idx.layout().shape();
        return Graph.record(values, name, inputs(x), saved(idx), (g, n) -> {
            Tensor z = Factory.fullOn(g, 0, g.dtype(), in.toArray());
            z.backend().scatterAdd(z, d, idx, g.reshape(picked));
            return grads(z);
        });
    }
}
