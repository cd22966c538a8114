package dev.antorcha.backend;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Tensor;

/**
 * The narrow kernel interface a device implements. Every method writes into an output tensor
 * the caller allocated with {@link #empty}; inputs may be strided views and are broadcast to
 * the output's shape. A backend knows nothing of autograd: ops in {@code dev.antorcha.ops}
 * call it for the forward and, through tensor methods, for the backward.
 */
public interface Backend {

    Device device();

    /** A new contiguous tensor of this device, contents unspecified (zeros on the CPU). */
    Tensor empty(DType dtype, int... shape);

    /** {@code out = op(x)} with {@code x} broadcast to {@code out}'s shape. */
    void unary(UnaryOp op, Tensor x, Tensor out, float p0, float p1);

    /** {@code out = a op b}, both broadcast to {@code out}'s shape ({@code out} may alias {@code a}). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** {@code out = cond ? a : b}, all three broadcast to {@code out}'s shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /** Copies {@code src} (broadcast) into {@code dst}, converting the dtype if they differ. */
    void copy(Tensor src, Tensor dst);

    /** Reduces {@code x} over {@code dims} into {@code out}, whose shape is x's with those dims set to 1. */
    void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out);

    /** Index of the max (or min) along {@code dim} into the int64 {@code out} (x's shape with dim 1). */
    void argReduce(boolean max, Tensor x, int dim, Tensor out);

    /** {@code out = a @ b} for {@code a [..., m, k]}, {@code b [..., k, n]}, batch dims broadcast to out's. */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** {@code out[..i..] = x[..index[..i..] at dim..]} (torch.gather). */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** {@code out[..index[..i..] at dim..] += src[..i..]} (torch.scatter_add_). */
    void scatterAdd(Tensor out, int dim, Tensor index, Tensor src);

    /** {@code out = x} with dim {@code dim} replaced by the rows {@code index} (torch.index_select). */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** {@code out.select(dim, index[i]) += src.select(dim, i)} (torch.index_add_). */
    void indexAdd(Tensor out, int dim, Tensor index, Tensor src);

    /**
     * One Adam step in place over dense tensors of the same size: {@code param}, its
     * {@code grad}, the moments, and {@code maxExpAvgSq} (null unless amsgrad). One pass.
     */
    void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step);
}
