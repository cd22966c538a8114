package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Storage;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend: tensors on the Java heap, kernels from {@link VectorizationProvider}.
 * Element-wise work goes through {@link Strided}, so contiguous inputs take one fast row and
 * views and broadcasts take the general strided path without copies.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend(VectorizationProvider.kernels());

    private final FloatKernels k;

    /** A CPU backend on specific kernels (tests use this to run both the SIMD and scalar paths). */
    public CpuBackend(FloatKernels kernels) {
        this.k = kernels;
    }

    public FloatKernels kernels() {
        return k;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Tensor empty(DType dtype, int... shape) {
        return Tensor.fromStorage(Storage.allocate(dtype, shape), Layout.contiguous(shape), dtype);
    }

    /** Strides of {@code t} broadcast to {@code shape}. */
    private static int[] stridesFor(Tensor t, int[] shape) {
        return t.layout().expand(shape).strides();
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out, float p0, float p1) {
        int[] shape = out.layout().shape();
        int[][] st = {stridesFor(x, shape), out.layout().strides()};
        int[] offs = {x.layout().offset(), out.layout().offset()};
        if (x.dtype() == DType.INT64) {
            LongLoops.unary(op, x.storage().longs(), out.storage().longs(), shape, st, offs);
            return;
        }
        float[] xs = x.storage().floats(), os = out.storage().floats();
        Strided.forEachRow(shape, st, offs, (o, in, n) -> k.unary(op, xs, o[0], in[0], os, o[1], in[1], n, p0, p1));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int[] shape = out.layout().shape();
        int[][] st = {stridesFor(a, shape), stridesFor(b, shape), out.layout().strides()};
        int[] offs = {a.layout().offset(), b.layout().offset(), out.layout().offset()};
        if (a.dtype() == DType.INT64) {
            LongLoops.binary(op, a.storage().longs(), b.storage().longs(), out, shape, st, offs);
            return;
        }
        float[] as = a.storage().floats(), bs = b.storage().floats(), os = out.storage().floats();
        Strided.forEachRow(shape, st, offs,
                (o, in, n) -> k.binary(op, as, o[0], in[0], bs, o[1], in[1], os, o[2], in[2], n));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        int[] shape = out.layout().shape();
        int[][] st = {stridesFor(cond, shape), stridesFor(a, shape), stridesFor(b, shape), out.layout().strides()};
        int[] offs = {cond.layout().offset(), a.layout().offset(), b.layout().offset(), out.layout().offset()};
        float[] cs = cond.storage().floats();
        if (out.dtype() == DType.INT64) {
            long[] as = a.storage().longs(), bs = b.storage().longs(), os = out.storage().longs();
            Strided.forEachRow(shape, st, offs, (o, in, n) -> {
                for (int i = 0; i < n; i++) {
                    os[o[3] + i * in[3]] = cs[o[0] + i * in[0]] != 0 ? as[o[1] + i * in[1]] : bs[o[2] + i * in[2]];
                }
            });
            return;
        }
        float[] as = a.storage().floats(), bs = b.storage().floats(), os = out.storage().floats();
        Strided.forEachRow(shape, st, offs, (o, in, n) -> {
            for (int i = 0; i < n; i++) {
                os[o[3] + i * in[3]] = cs[o[0] + i * in[0]] != 0 ? as[o[1] + i * in[1]] : bs[o[2] + i * in[2]];
            }
        });
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        DType from = src.dtype(), to = dst.dtype();
        boolean sameStorage = from.isFloatStorage() && to.isFloatStorage() && !(to == DType.BOOL && from != DType.BOOL);
        if (sameStorage || (from == DType.INT64 && to == DType.INT64)) {
            unary(UnaryOp.COPY, src, dst, 0, 0);
            return;
        }
        int[] shape = dst.layout().shape();
        int[][] st = {stridesFor(src, shape), dst.layout().strides()};
        int[] offs = {src.layout().offset(), dst.layout().offset()};
        LongLoops.convert(src, dst, shape, st, offs);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        Reductions.reduce(k, op, x, dims, out);
    }

    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        Reductions.argReduce(max, x, dim, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        Layout la = a.layout(), lb = b.layout(), lo = out.layout();
        int r = lo.rank();
        int m = lo.shape()[r - 2], n = lo.shape()[r - 1], kk = la.shape()[la.rank() - 1];
        int[] batch = java.util.Arrays.copyOf(lo.shape(), r - 2);
        int[] aBatch = batchStrides(la, batch), bBatch = batchStrides(lb, batch);
        int aRs = la.strides()[la.rank() - 2], aCs = la.strides()[la.rank() - 1];
        int bRs = lb.strides()[lb.rank() - 2], bCs = lb.strides()[lb.rank() - 1];
        float[] as = a.storage().floats(), bs = b.storage().floats(), os = out.storage().floats();
        int batches = Shape.numel(batch);
        int[] idx = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            int ao = la.offset(), bo = lb.offset(), oo = lo.offset() + t * m * n;
            for (int d = 0; d < batch.length; d++) {
                ao += idx[d] * aBatch[d];
                bo += idx[d] * bBatch[d];
            }
            Gemm.gemm(k, m, n, kk, as, ao, aRs, aCs, bs, bo, bRs, bCs, os, oo, n);
            for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
        }
    }

    /** Strides of {@code l}'s batch dims (all but the last two) broadcast to {@code batch}. */
    private static int[] batchStrides(Layout l, int[] batch) {
        int lb = l.rank() - 2;
        int[] st = new int[batch.length];
        for (int d = 0; d < batch.length; d++) {
            int j = d - (batch.length - lb);
            st[d] = j >= 0 && l.shape()[j] != 1 ? l.strides()[j] : 0;
        }
        return st;
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        Indexing.gather(x, dim, index, out, false);
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Indexing.gather(src, dim, index, out, true);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        long[] idx = Indexing.checkedIndex(index, x.layout().shape()[dim], dim);
        for (int i = 0; i < idx.length; i++) {
            copy(x.viewOf(x.layout().select(dim, (int) idx[i])), out.viewOf(out.layout().select(dim, i)));
        }
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        long[] idx = Indexing.checkedIndex(index, out.layout().shape()[dim], dim);
        for (int i = 0; i < idx.length; i++) {
            Tensor o = out.viewOf(out.layout().select(dim, (int) idx[i]));
            binary(BinaryOp.ADD, o, src.viewOf(src.layout().select(dim, i)), o);
        }
    }

    @Override
    public void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step) {
        float[] p = dense(param), g = dense(grad), m = dense(expAvg), v = dense(expAvgSq);
        float[] vmax = maxExpAvgSq == null ? null : dense(maxExpAvgSq);
        int n = param.numel(), chunks = (n + ADAM_CHUNK - 1) / ADAM_CHUNK;
        // Each element's update depends on that element alone: any split gives the same bits.
        // Two cores bring twice the cache and memory bandwidth to a pass that mostly moves data.
        Parallel.forEach(chunks, n >= 2 * ADAM_CHUNK, c -> {
            k.adam(p, g, m, v, vmax, c * ADAM_CHUNK, Math.min(n, (c + 1) * ADAM_CHUNK), step);
        });
    }

    /** Elements per block of a parallel Adam step (a multiple of every SIMD width). */
    private static final int ADAM_CHUNK = 8192;

    /** The array of a tensor that must be dense (contiguous from offset 0). */
    private static float[] dense(Tensor t) {
        if (!t.isContiguous() || t.layout().offset() != 0) {
            throw new IllegalArgumentException("expected a dense tensor, got a view of shape " + t.shape());
        }
        return t.storage().floats();
    }
}
