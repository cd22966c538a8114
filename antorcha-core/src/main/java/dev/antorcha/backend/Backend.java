package dev.antorcha.backend;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.nio.ByteBuffer;

/**
 * The kernel interface a device implements: the whole surface through which the library reaches
 * a tensor's memory. A backend owns its {@link Storage}; nothing outside the backend packages
 * reads or writes the elements except through these methods (host memory crosses the boundary
 * only in {@link #adopt}, {@link #copyToHost}, {@link #copyFromHost}, {@link #copyToBytes},
 * {@link #copyFromBytes} and the {@code to...Array} copies). Every kernel writes into an output tensor the caller allocated
 * with {@link #empty}; inputs may be strided views and are broadcast to the output's shape. A
 * backend knows nothing of autograd: ops in {@code dev.antorcha.ops} call it for the forward
 * and, through tensor methods, for the backward.
 */
public interface Backend {

    Device device();

    /** Waits until every kernel this backend queued has run (a no-op where kernels run at once). */
    default void synchronize() {
    }

    /** Bytes of device memory that tensors hold now (0 for memory on the Java heap). */
    default long memoryAllocated() {
        return 0;
    }

    /** The most bytes of device memory tensors held at once (0 for memory on the Java heap). */
    default long maxMemoryAllocated() {
        return 0;
    }

    /** Gives memory cached for reuse back to the device's driver (a no-op for memory on the Java heap). */
    default void emptyCache() {
    }

    /** Sets how many host threads the kernels use (results do not depend on it); at least 1. */
    void setNumThreads(int n);

    /** How many host threads the kernels use. */
    int numThreads();

    /**
     * Runs {@code body(0..shards-1)}, shards that touch disjoint memory and read nothing another
     * writes (the rows of a batch), on the backend's host threads where it has several, with the
     * kernels called inside a shard running on that shard's thread. The default runs them in
     * order on the calling thread, as a device backend whose kernels are queued on a stream would.
     */
    default void forEachShard(int shards, java.util.function.IntConsumer body) {
        for (int s = 0; s < shards; s++) body.accept(s);
    }

    /**
     * Whether the kernels use SIMD, then which kernels run, e.g. {@code "yes, Vector API, 8
     * float lanes"}: what {@code antorcha info} prints after {@code simd:}.
     */
    String describeKernels();

    /**
     * Runs the hot kernels on tiny inputs so that the JIT has compiled them before real work
     * starts (typically in a background thread at start-up); touches no shared state.
     */
    void warmUp();

    /** A new contiguous tensor of this device, contents unspecified (zeros on the CPU). */
    Tensor empty(DType dtype, int... shape);

    /**
     * A new contiguous tensor whose every element the caller writes before it reads any (PyTorch's
     * {@code torch.empty}): its memory may be that of a tensor no longer reachable, old contents
     * included, which saves clearing it. The caller keeps its inputs reachable until the kernel that
     * fills it has run.
     */
    default Tensor uninitialized(DType dtype, int... shape) {
        return empty(dtype, shape);
    }

    /**
     * Says that nothing will read or write {@code t}, or any tensor that shares its memory, again:
     * the backend may give that memory to a later {@link #uninitialized} tensor at once instead of
     * waiting for the collector to find it unreachable. Autograd's engine calls it for the
     * gradients that only its pass saw, once they are spent.
     */
    default void recycle(Tensor t) {
    }

    /**
     * {@code out = op(x)} with {@code x} broadcast to {@code out}'s shape; {@code p0}, {@code p1}
     * (clamp's bounds, pow's exponent) are used in the tensors' dtype (rounded to float for float32).
     */
    void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1);

    /** {@code out = a op b}, both broadcast to {@code out}'s shape ({@code out} may alias {@code a}). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** {@code out = cond ? a : b}, all three broadcast to {@code out}'s shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /** Copies {@code src} (broadcast) into {@code dst}, converting the dtype if they differ. */
    void copy(Tensor src, Tensor dst);

    /** Reduces {@code x} over {@code dims} into {@code out}, whose shape is x's with those dims set to 1. */
    void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out);

    /**
     * {@code Σ x²} over all of the float32 or float64 {@code x}, each element widened to float64 and
     * squared there, summed as {@link #reduce} sums a float64 tensor: the bits of
     * {@code x.to(FLOAT64).mul(...itself).sum()}, which is what this default computes. A backend may
     * override it to skip the float64 copy (a language model's gradient norm in
     * {@code clip_grad_norm_}: millions of values a step).
     */
    default double sumOfSquaresInFloat64(Tensor x) {
        Tensor d = empty(DType.FLOAT64, x.layout().shape());
        copy(x, d);
        binary(BinaryOp.MUL, d, d, d);
        Tensor s = empty(DType.FLOAT64);
        int[] dims = new int[x.dim()];
        for (int i = 0; i < dims.length; i++) dims[i] = i;
        reduce(ReduceOp.SUM, d, dims, s);
        double[] out = new double[1];
        copyToHost(s, 0, out, 0, 1);
        return out[0];
    }

    /** Index of the max (or min) along {@code dim} into the int64 {@code out} (x's shape with dim 1). */
    void argReduce(boolean max, Tensor x, int dim, Tensor out);

    /**
     * The int64 positions along {@code dim} of the {@code k} largest (or smallest) elements of each
     * fibre of {@code x} into {@code indices} (x's shape with {@code k} at {@code dim}), best first;
     * NaN counts as larger than every number, and equal values keep their index order.
     */
    void topk(Tensor x, int k, int dim, boolean largest, Tensor indices);

    /** {@code out = a @ b} for {@code a [..., m, k]}, {@code b [..., k, n]}, batch dims broadcast to out's. */
    void matmul(Tensor a, Tensor b, Tensor out);

    /**
     * {@code b [k, n]} (a 2-D floating tensor, any strides, e.g. a transposed weight) prepared for
     * repeated {@link #matmulPacked} products; later changes to {@code b} are not seen.
     */
    PackedMatrix packRight(Tensor b);

    /** {@code out = a @ b} for {@code a [m, k]} and a packed {@code b}; {@code out [m, n]} has unit stride within a row. */
    void matmulPacked(Tensor a, PackedMatrix b, Tensor out);

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

    // ---- memory: host arrays in and out --------------------------------------------------

    /**
     * A contiguous FLOAT32 tensor of {@code shape} over {@code data}, which the caller hands over
     * and never touches again: the CPU adopts the array without a copy (data loaders build
     * batches this way), a device copies it over. For BOOL, {@code data} holds 0/1 values that are
     * copied into the backend's bool memory.
     */
    Tensor adopt(float[] data, DType dtype, int... shape);

    /** As {@link #adopt(float[], DType, int...)} for an INT64 tensor. */
    Tensor adopt(long[] data, int... shape);

    /** As {@link #adopt(float[], DType, int...)} for a FLOAT64 tensor. */
    Tensor adopt(double[] data, int... shape);

    /** The elements of {@code t} in row-major order, converted to double: a fresh host array. */
    double[] toDoubleArray(Tensor t);

    /** The elements of {@code t} in row-major order, converted to float: a fresh host array. */
    float[] toFloatArray(Tensor t);

    /** The elements of {@code t} in row-major order, converted to int64: a fresh host array. */
    long[] toLongArray(Tensor t);

    /**
     * Copies {@code n} elements of {@code t}'s memory, from storage position {@code pos} on
     * (the positions {@code t.layout()} maps indices to), into {@code dst[at..]}. FLOAT32 only.
     */
    void copyToHost(Tensor t, int pos, float[] dst, int at, int n);

    /** As {@link #copyToHost(Tensor, int, float[], int, int)} for an INT64 tensor. */
    void copyToHost(Tensor t, int pos, long[] dst, int at, int n);

    /** As {@link #copyToHost(Tensor, int, float[], int, int)} for a FLOAT64 tensor. */
    void copyToHost(Tensor t, int pos, double[] dst, int at, int n);

    /** Copies {@code src[at..at+n)} into {@code t}'s memory from storage position {@code pos} on. */
    void copyFromHost(float[] src, int at, Tensor t, int pos, int n);

    /** As {@link #copyFromHost(float[], int, Tensor, int, int)} for an INT64 tensor. */
    void copyFromHost(long[] src, int at, Tensor t, int pos, int n);

    /** As {@link #copyFromHost(float[], int, Tensor, int, int)} for a FLOAT64 tensor. */
    void copyFromHost(double[] src, int at, Tensor t, int pos, int n);

    /**
     * Writes {@code n} elements of {@code t}'s memory, from storage position {@code pos} on, into
     * {@code dst} as raw bytes in {@code dst}'s byte order, advancing its position: each element
     * at its dtype's width (4 bytes for float32, 8 for int64 and float64), a bool as one byte 0 or 1 (the
     * layout of safetensors and of PyTorch's storages).
     */
    void copyToBytes(Tensor t, int pos, int n, ByteBuffer dst);

    /** The reverse of {@link #copyToBytes}: {@code n} raw elements of {@code t}'s dtype from {@code src}; a bool is any non-zero byte. */
    void copyFromBytes(ByteBuffer src, Tensor t, int pos, int n);

    // ---- fills -----------------------------------------------------------------------------

    /** Every element of the contiguous {@code t} set to {@code value} (in {@code t}'s dtype). */
    void fill(Tensor t, double value);

    /** {@code t[i] = start + i·step} over the contiguous 1-D {@code t}, computed in double, stored in t's dtype. */
    void arange(Tensor t, double start, double step);

    /** The contiguous float32 {@code t} filled with U(lo, hi) from {@code g} (PyTorch's CPU sequence). */
    void uniform(Tensor t, Generator g, double lo, double hi);

    /** The contiguous float32 {@code t} filled with N(mean, std²) from {@code g} (PyTorch's CPU sequence). */
    void normal(Tensor t, Generator g, double mean, double std);

    /** {@code out[..., labels[...]] = 1} into the zeroed int64 {@code out} (labels' shape + classes); labels checked. */
    void oneHot(Tensor labels, Tensor out);

    /** {@code out[i] = parts[i]} for parts of one shape and dtype and the contiguous {@code out [parts.length, *]}. */
    void stack(Tensor[] parts, Tensor out);

    // ---- convolution -----------------------------------------------------------------------

    /**
     * 2-D cross-correlation: {@code out [N, Cout, Ho, Wo] = x [N, Cin, H, W] ⋆ w [Cout, Cin/groups,
     * kH, kW] + b [Cout]} ({@code b} may be null), every operand contiguous and of one floating
     * dtype; {@code Ho, Wo} are read from {@code out}.
     */
    void conv2d(Tensor x, Tensor w, Tensor b, ConvParams p, Tensor out);

    /**
     * The gradient of {@link #conv2d} with respect to its input: {@code gradIn [N, Cin, H, W]}
     * (overwritten) from {@code gradOut [N, Cout, Ho, Wo]} and {@code w}. Also the forward of a
     * transposed convolution (whose output is {@code gradIn}).
     */
    void conv2dInputGrad(Tensor gradOut, Tensor w, ConvParams p, Tensor gradIn);

    /**
     * The gradient of {@link #conv2d} with respect to its weight: {@code gradW [Cout, Cin/groups,
     * kH, kW]} (overwritten), summed over the batch, from {@code gradOut} and the input {@code x}.
     */
    void conv2dWeightGrad(Tensor gradOut, Tensor x, ConvParams p, Tensor gradW);

    // ---- fused ops and optimizer steps -----------------------------------------------------

    /** {@code out = x wᵀ + b} for {@code x [n, in]}, {@code w [out, in]}, {@code b [out]} or null. */
    void linear(Tensor x, Tensor w, Tensor b, Tensor out);

    /**
     * Cross-entropy of the dense float32 {@code logits [N, C]} and int64 {@code target [N]}:
     * per row {@code -((x_t - m) - log Σ exp(x - m))}, 0 for rows whose target is
     * {@code ignoreIndex}. {@code reduction} 0 writes the rows into {@code out [N]}; 1 (mean over
     * the counted rows) and 2 (sum) write the 0-d {@code out}. {@code logSumExp [N]} keeps
     * {@code m + log Σ exp(x - m)} per row for the backward. Returns the rows that count; a
     * target out of {@code [0, C)} is an {@link IllegalArgumentException}.
     */
    int crossEntropy(Tensor logits, Tensor target, long ignoreIndex, int reduction, Tensor out, Tensor logSumExp);

    /** {@code dx = scale · (softmax - onehot)} per counted row of the forward above; ignored rows 0. */
    void crossEntropyBackward(Tensor logits, Tensor target, long ignoreIndex, Tensor logSumExp, Tensor grad,
                              int reduction, int counted, Tensor dx);

    /** One SGD step in place over dense tensors of one size; {@code momentumBuffer} null without momentum. */
    void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, SgdStep step);

    /**
     * Inverted dropout in one pass over dense float32 tensors of one shape: {@code mask} holds
     * U(0, 1) draws on entry and the scaled keep mask on exit,
     * {@code mask[i] = u[i] >= (float) p ? (float) (1 / (1 - p)) : 0}, and {@code out = x · mask}
     * (what {@code x * (rand >= p) / (1 - p)} computes in float32, op by op).
     */
    void dropout(Tensor x, Tensor mask, double p, Tensor out);

    // ---- optimizer steps beyond Adam and SGD: in place, one pass, dense tensors of one size ----

    /** One Adadelta step over {@code param} and its state {@code squareAvg}, {@code accDelta}. */
    void adadelta(Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta, AdadeltaStep step);

    /** One RMSprop step; {@code gradAvg} null unless centered, {@code momentumBuffer} null without momentum. */
    void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer, RmspropStep step);

    /** One (dense) Adagrad step over {@code param} and its running {@code sum} of squared gradients. */
    void adagrad(Tensor param, Tensor grad, Tensor sum, AdagradStep step);

    // ---- recurrent cells: one time step's gate arithmetic in one pass -------------------------
    // Every operand is a 2-D floating tensor of one dtype with unit stride along dim 1 (rows may be
    // apart, as in narrow views); N rows, H = hidden size. The matrix products around a step are
    // matmul/linear calls of their own.

    /**
     * One LSTM step: {@code gates = gi + gh} ({@code [N, 4H]}, blocks i, f, g, o);
     * {@code c' = σ(f)·c + σ(i)·tanh(g)}, {@code h' = σ(o)·tanh(c')} into {@code hOut}, {@code cOut}
     * {@code [N, H]}; {@code c} null means zeros. {@code work [N, 5H]} receives σ(i), σ(f), tanh(g),
     * σ(o), tanh(c') for {@link #lstmCellBackward}.
     */
    void lstmCell(Tensor gi, Tensor gh, Tensor c, Tensor hOut, Tensor cOut, Tensor work);

    /**
     * The gradient of {@link #lstmCell}: from {@code dh}, {@code dc} ({@code [N, H]}; {@code dc} null
     * means zeros), the step's previous cell state {@code c} (null: zeros) and its {@code work},
     * the gradient of the pre-activation gates {@code dGates [N, 4H]} and of {@code c}, {@code dcPrev [N, H]}.
     */
    void lstmCellBackward(Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dGates, Tensor dcPrev);

    /**
     * One GRU step (PyTorch's: {@code b_hn} inside the reset product): {@code gi}, {@code gh}
     * {@code [N, 3H]} (blocks r, z, n), {@code r = σ(gi_r + gh_r)}, {@code z = σ(gi_z + gh_z)},
     * {@code n = tanh(gi_n + r·gh_n)}, {@code h' = n + z·(h - n)} into {@code hOut}; {@code work
     * [N, 4H]} receives r, z, n, gh_n.
     */
    void gruCell(Tensor gi, Tensor gh, Tensor h, Tensor hOut, Tensor work);

    /**
     * The gradient of {@link #gruCell} from {@code dh [N, H]}: {@code dGi}, {@code dGh [N, 3H]}
     * (they differ in the n block by the factor r) and {@code dhPrev [N, H]}, the part of h's
     * gradient that does not pass through {@code gh}.
     */
    void gruCellBackward(Tensor dh, Tensor h, Tensor work, Tensor dGi, Tensor dGh, Tensor dhPrev);

    // ---- layer normalisation -----------------------------------------------------------------

    /**
     * Layer normalisation of the contiguous float {@code x} read as groups of {@code groupSize}
     * consecutive elements: per group the mean, then the biased variance of the centred values
     * (two passes, accumulated in float64 whatever the dtype, so a group offset by a large constant
     * keeps its variance), written to the contiguous float64 {@code mean} and
     * {@code rstd = 1/sqrt(var + eps)} (one element per group), and
     * {@code out = (x − mean)·rstd·weight + bias}. {@code weight} and {@code bias} ({@code groupSize}
     * elements, {@code x}'s dtype, contiguous) may be null; {@code out} is contiguous, {@code x}'s shape.
     */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, int groupSize, Tensor out, Tensor mean, Tensor rstd);

    /**
     * The gradient of {@link #layerNorm} from {@code grad} ({@code x}'s shape and dtype, contiguous),
     * with the {@code mean} and {@code rstd} it wrote: {@code dx = rstd·(g·w − mean(g·w) − x̂·mean(g·w·x̂))}
     * per group, and over all groups {@code dweight = Σ g·x̂}, {@code dbias = Σ g}. Each of {@code dx},
     * {@code dweight}, {@code dbias} may be null (not wanted); {@code weight} may be null (no affine weight).
     */
    void layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor rstd, Tensor weight, int groupSize,
                           Tensor dx, Tensor dweight, Tensor dbias);

    /**
     * Softmax over the last dim of the contiguous float {@code x} into the contiguous {@code out}
     * (its shape): per row {@code exp(x − m) / Σ exp(x − m)} with {@code m} the row's maximum (0 when
     * infinite, as torch), the sum accumulated in float64 (float32 on SIMD lanes, as torch's kernel).
     */
    void softmax(Tensor x, Tensor out);

    /** The gradient of {@link #softmax} from its output {@code y} and {@code grad}: {@code dx = y·(grad − Σ grad·y)} per row. */
    void softmaxBackward(Tensor y, Tensor grad, Tensor dx);

    /**
     * Log-softmax over the last dim of the contiguous float {@code x} into the contiguous
     * {@code out}: per row {@code x − m − log Σ exp(x − m)}, {@code m} as in {@link #softmax}.
     */
    void logSoftmax(Tensor x, Tensor out);

    /** The gradient of {@link #logSoftmax} from its output {@code y} and {@code grad}: {@code dx = grad − exp(y)·Σ grad} per row. */
    void logSoftmaxBackward(Tensor y, Tensor grad, Tensor dx);

    /**
     * {@link #logSoftmaxBackward} at the gradient that {@code nll_loss}'s gather gives back, without
     * writing that gradient out: zero but for {@code grad[r, index[r]] = 0 + pick[r]} in each row
     * {@code r} of {@code y} (its last dim is the row). {@code index} is int64 and {@code pick} of
     * {@code y}'s dtype, one entry per row, both contiguous; {@code dx} has {@code y}'s shape. The bits
     * are those of {@link #logSoftmaxBackward} on the dense gradient, which is what this default
     * computes; a backend may override it to skip the dense gradient.
     */
    default void logSoftmaxBackwardOneHot(Tensor y, Tensor index, Tensor pick, Tensor dx) {
        int n = y.dim() == 0 ? 1 : y.size(-1), rows = y.numel() / Math.max(1, n);
        Tensor grad = empty(y.dtype(), rows, n);
        fill(grad, 0);
        scatterAdd(grad, 1, index.view(rows, 1), pick.view(rows, 1));
        logSoftmaxBackward(y, grad, dx);
    }

    // ---- pooling ---------------------------------------------------------------------------

    /**
     * 2-D max pooling of the contiguous floating {@code x [*, H, W]} (every leading index a plane)
     * into the contiguous {@code out [*, oH, oW]} and the int64 {@code indices} of the same shape:
     * the flat position {@code h·W + w} of each maximum within its plane. Padding never wins;
     * each window is scanned row by row and an element replaces the maximum only when strictly
     * greater or NaN, so the first maximum wins (PyTorch's rule).
     */
    void maxPool2d(Tensor x, Pool2d window, Tensor out, Tensor indices);

    /** Writes the contiguous {@code dx [*, H, W]}: per plane the sum of {@code grad [*, oH, oW]} at {@code indices}. */
    void maxPool2dBackward(Tensor grad, Tensor indices, Tensor dx);

    /**
     * 2-D average pooling of the contiguous {@code x [*, H, W]} into {@code out [*, oH, oW]}; the divisor is
     * {@code divisorOverride} when positive, else the window's size with padding ({@code countIncludePad})
     * or without; a window without input elements gives 0.
     */
    void avgPool2d(Tensor x, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor out);

    /** Writes the contiguous {@code dx [*, H, W]}: {@code grad / divisor} added at every element of every window. */
    void avgPool2dBackward(Tensor grad, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor dx);

    /** Adaptive average pooling: cell {@code i} of {@code out [*, oH, oW]} averages rows {@code [⌊i·H/oH⌋, ⌈(i+1)·H/oH⌉)}, columns alike. */
    void adaptiveAvgPool2d(Tensor x, Tensor out);

    /** Writes the contiguous {@code dx [*, H, W]} from {@code grad [*, oH, oW]} of {@link #adaptiveAvgPool2d}. */
    void adaptiveAvgPool2dBackward(Tensor grad, Tensor dx);
}
