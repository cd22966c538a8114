package dev.antorcha.backend.cpu;

import static dev.antorcha.backend.cpu.Widening.asFloat32;
import static dev.antorcha.backend.cpu.Widening.asInt64;
import static dev.antorcha.backend.cpu.Widening.convertAnyDtypes;
import static dev.antorcha.backend.cpu.Widening.fillOtherStorage;
import static dev.antorcha.backend.cpu.Widening.float32Target;
import static dev.antorcha.backend.cpu.Widening.int64Target;
import static dev.antorcha.backend.cpu.Widening.isHalf;
import static dev.antorcha.backend.cpu.Widening.isSmallInt;
import static dev.antorcha.backend.cpu.Widening.isWidened;
import static dev.antorcha.backend.cpu.Widening.narrowInto;
import static dev.antorcha.backend.cpu.Widening.widened;
import static dev.antorcha.backend.cpu.Widening.widenedTarget;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ConvParams;
import dev.antorcha.backend.Pool2d;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.backend.RmspropStep;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU backend: tensors on the Java heap, kernels from {@link VectorizationProvider}.
 * Element-wise work goes through {@link Strided}, so contiguous inputs take one fast row and
 * views and broadcasts take the general strided path without copies.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend(VectorizationProvider.kernels());

    private final FloatKernels k;
    /** The float64 matrix multiply's micro-kernel, SIMD when {@link #k} is. */
    private final DoubleGemmKernels dk;
    private final OptimSteps optim;

    /** A CPU backend on specific kernels (tests use this to run both the SIMD and scalar paths). */
    public CpuBackend(FloatKernels kernels) {
        this.k = kernels;
        this.optim = new OptimSteps(OptimKernels.matching(kernels));
        this.dk = DoubleGemmKernels.matching(kernels);
    }

    public FloatKernels kernels() {
        return k;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public void setNumThreads(int n) {
        Parallel.setThreads(n);
    }

    /** The shards on the kernels' threads; kernels called inside a shard run on its thread. */
    @Override
    public void forEachShard(int shards, java.util.function.IntConsumer body) {
        Parallel.forEach(shards, true, body);
    }

    @Override
    public int numThreads() {
        return Parallel.threads();
    }

    @Override
    public String describeKernels() {
        return (k.lanes() > 1 ? "yes, " : "no, ") + k.description();
    }

    @Override
    public void warmUp() {
        VectorizationProvider.warmUp();
        optim.warmUp();
    }

    @Override
    public Tensor empty(DType dtype, int... shape) {
        return Tensor.fromStorage(CpuStorage.allocate(dtype, shape), Layout.contiguous(shape), dtype);
    }

    @Override
    public void recycle(Tensor t) {
        if (t.storage() instanceof CpuStorage s) Recycler.give(s);
    }

    @Override
    public Tensor uninitialized(DType dtype, int... shape) {
        return Tensor.fromStorage(CpuStorage.allocateUninitialized(dtype, shape), Layout.contiguous(shape), dtype);
    }

    /** Strides of {@code t} broadcast to {@code shape}. */
    static int[] stridesFor(Tensor t, int[] shape) {
        return t.layout().expand(shape).strides();
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        if (isWidened(x.dtype())) {
            Tensor r = widenedTarget(out);
            unary(op, widened(x), r, p0, p1);
            narrowInto(r, out);
            return;
        }
        int[] shape = out.layout().shape();
        int[][] st = {stridesFor(x, shape), out.layout().strides()};
        int[] offs = {x.layout().offset(), out.layout().offset()};
        if (x.dtype() == DType.INT64) {
            LongLoops.unary(op, CpuStorage.longs(x), CpuStorage.longs(out), shape, st, offs, p0, p1);
            return;
        }
        if (x.dtype() == DType.FLOAT64) {
            double[] xs = CpuStorage.doubles(x), os = CpuStorage.doubles(out);
            Strided.forEachRow(shape, st, offs,
                    (o, in, n) -> DoubleLoops.unary(op, xs, o[0], in[0], os, o[1], in[1], n, p0, p1));
            return;
        }
        float[] xs = CpuStorage.floats(x), os = CpuStorage.floats(out);
        float f0 = (float) p0, f1 = (float) p1;
        Strided.forEachRow(shape, st, offs, (o, in, n) -> k.unary(op, xs, o[0], in[0], os, o[1], in[1], n, f0, f1));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (isSmallInt(a.dtype()) || isSmallInt(b.dtype())) {
            Tensor r = int64Target(out);
            binary(op, asInt64(a), asInt64(b), r);
            narrowInto(r, out);
            return;
        }
        if (isHalf(a.dtype())) {
            halfBinary(op, a, b, out);
            return;
        }
        if (out.dtype() == DType.BOOL || a.dtype() == DType.BOOL) {
            boolBinary(op, a, b, out);
            return;
        }
        int[] shape = out.layout().shape();
        int[][] st = {stridesFor(a, shape), stridesFor(b, shape), out.layout().strides()};
        int[] offs = {a.layout().offset(), b.layout().offset(), out.layout().offset()};
        if (a.dtype() == DType.INT64) {
            LongLoops.binary(op, CpuStorage.longs(a), CpuStorage.longs(b), out, shape, st, offs);
            return;
        }
        if (a.dtype() == DType.FLOAT64) {
            double[] as = CpuStorage.doubles(a), bs = CpuStorage.doubles(b);
            if (op.isComparison()) {
                float[] os = CpuStorage.floats(out);
                Strided.forEachRow(shape, st, offs, (o, in, n) ->
                        DoubleLoops.compare(op, as, o[0], in[0], bs, o[1], in[1], os, o[2], in[2], n));
            } else {
                double[] os = CpuStorage.doubles(out);
                Strided.forEachRow(shape, st, offs, (o, in, n) ->
                        DoubleLoops.binary(op, as, o[0], in[0], bs, o[1], in[1], os, o[2], in[2], n));
            }
            return;
        }
        float[] as = CpuStorage.floats(a), bs = CpuStorage.floats(b), os = CpuStorage.floats(out);
        Strided.forEachRow(shape, st, offs,
                (o, in, n) -> k.binary(op, as, o[0], in[0], bs, o[1], in[1], os, o[2], in[2], n));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        if (isWidened(out.dtype())) {
            Tensor r = widenedTarget(out);
            where(cond, widened(a), widened(b), r);
            narrowInto(r, out);
            return;
        }
        if (cond.dtype() == DType.BOOL) cond = asFloat32(cond);   // the kernels read the condition as 0/1 floats
        int[] shape = out.layout().shape();
        int[][] st = {stridesFor(cond, shape), stridesFor(a, shape), stridesFor(b, shape), out.layout().strides()};
        int[] offs = {cond.layout().offset(), a.layout().offset(), b.layout().offset(), out.layout().offset()};
        float[] cs = CpuStorage.floats(cond);
        if (out.dtype() == DType.INT64) {
            long[] as = CpuStorage.longs(a), bs = CpuStorage.longs(b), os = CpuStorage.longs(out);
            Strided.forEachRow(shape, st, offs, (o, in, n) -> {
                for (int i = 0; i < n; i++) {
                    os[o[3] + i * in[3]] = cs[o[0] + i * in[0]] != 0 ? as[o[1] + i * in[1]] : bs[o[2] + i * in[2]];
                }
            });
            return;
        }
        if (out.dtype() == DType.FLOAT64) {
            double[] as = CpuStorage.doubles(a), bs = CpuStorage.doubles(b), os = CpuStorage.doubles(out);
            Strided.forEachRow(shape, st, offs, (o, in, n) -> {
                for (int i = 0; i < n; i++) {
                    os[o[3] + i * in[3]] = cs[o[0] + i * in[0]] != 0 ? as[o[1] + i * in[1]] : bs[o[2] + i * in[2]];
                }
            });
            return;
        }
        float[] as = CpuStorage.floats(a), bs = CpuStorage.floats(b), os = CpuStorage.floats(out);
        Strided.forEachRow(shape, st, offs, (o, in, n) -> {
            for (int i = 0; i < n; i++) {
                os[o[3] + i * in[3]] = cs[o[0] + i * in[0]] != 0 ? as[o[1] + i * in[1]] : bs[o[2] + i * in[2]];
            }
        });
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        DType from = src.dtype(), to = dst.dtype();
        if (Conversions.handles(from, to)) {
            convertAnyDtypes(src, dst);
            return;
        }
        if (from == DType.FLOAT64 && to == DType.FLOAT64) {
            unary(UnaryOp.COPY, src, dst, 0, 0);
            return;
        }
        if (from == DType.FLOAT64 || to == DType.FLOAT64) {
            int[] shape = dst.layout().shape();
            DoubleConversions.convert(src, dst, shape, new int[][] {stridesFor(src, shape), dst.layout().strides()},
                    new int[] {src.layout().offset(), dst.layout().offset()});
            return;
        }
        if ((from == DType.FLOAT32 && to == DType.FLOAT32) || (from == DType.INT64 && to == DType.INT64)) {
            unary(UnaryOp.COPY, src, dst, 0, 0);
            return;
        }
        int[] shape = dst.layout().shape();
        int[][] st = {stridesFor(src, shape), dst.layout().strides()};
        int[] offs = {src.layout().offset(), dst.layout().offset()};
        LongLoops.convert(src, dst, shape, st, offs);
    }

    // ---- 16-bit floats and bool, computed in float32 (Widening) ----------------------------------

    private void halfBinary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Tensor r = float32Target(out);
        binary(op, asFloat32(a), isHalf(b.dtype()) ? asFloat32(b) : b, r);
        narrowInto(r, out);
    }

    // bool (one byte, 0 or 1): comparisons run the float kernels into 0/1 floats, then narrow
    private void boolBinary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (a.dtype() == DType.BOOL) a = asFloat32(a);
        if (b.dtype() == DType.BOOL) b = asFloat32(b);
        Tensor r = empty(DType.FLOAT32, out.layout().shape());
        binary(op, a, b, r);
        convertAnyDtypes(r, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        if (isWidened(x.dtype())) {
            Tensor r = widenedTarget(out);
            reduce(op, widened(x), dims, r);
            narrowInto(r, out);
            return;
        }
        Reductions.reduce(k, op, x, dims, out);
    }

    @Override
    public double sumOfSquaresInFloat64(Tensor x) {
        // float32 gradients (the float64 copy this skips); float64 ones, rarer, square a copy as the default does
        if (!x.isContiguous() || x.dtype() != DType.FLOAT32) return Backend.super.sumOfSquaresInFloat64(x);
        return DoubleLoops.sumOfSquares(CpuStorage.floats(x), x.layout().offset(), x.numel());
    }

    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        x = widened(x);   // exact, so the same index wins
        Reductions.argReduce(max, x, dim, out);
    }

    @Override
    public void topk(Tensor x, int k, int dim, boolean largest, Tensor indices) {
        TopK.indices(widened(x), k, dim, largest, indices);   // widening is exact: the same elements win
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        CpuBackendMatmul.matmul(k, dk, a, b, out);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (isWidened(x.dtype())) {
            Tensor r = widenedTarget(out);
            gather(widened(x), dim, index, r);
            narrowInto(r, out);
            return;
        }
        if (x.dtype() == DType.INT64) { LongLoops.gather(x, dim, index, out); return; }   // int64 dispatch
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
        if (param.dtype() == DType.FLOAT64) {
            DoubleLoops.adam(denseDoubles(param), denseDoubles(grad), denseDoubles(expAvg), denseDoubles(expAvgSq),
                    maxExpAvgSq == null ? null : denseDoubles(maxExpAvgSq), 0, param.numel(), step);
            return;
        }
        float[] p = dense(param), g = dense(grad), m = dense(expAvg), v = dense(expAvgSq);
        float[] vmax = maxExpAvgSq == null ? null : dense(maxExpAvgSq);
        int n = param.numel(), chunks = (n + ADAM_CHUNK - 1) / ADAM_CHUNK;
        // Each element's update depends on that element alone: any split gives the same bits.
        // Two cores bring twice the cache and memory bandwidth to a pass that mostly moves data.
        Parallel.forEach(chunks, n >= 2 * ADAM_CHUNK, c -> {
            k.adam(p, g, m, v, vmax, c * ADAM_CHUNK, Math.min(n, (c + 1) * ADAM_CHUNK), step);
        });
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, SgdStep step) {
        if (param.dtype() == DType.FLOAT64) {
            DoubleLoops.sgd(denseDoubles(param), denseDoubles(grad),
                    momentumBuffer == null ? null : denseDoubles(momentumBuffer), param.numel(), step);
            return;
        }
        FusedKernels.sgd(dense(param), dense(grad), momentumBuffer == null ? null : dense(momentumBuffer),
                param.numel(), step);
    }

    @Override
    public void dropout(Tensor x, Tensor mask, double p, Tensor out) {
        float[] xv = dense(x), mv = dense(mask), ov = dense(out);
        int n = x.numel(), blocks = n >= 1 << 16 ? 8 : 1;
        float keep = (float) p, scale = (float) (1.0 / (1.0 - p));
        // each value alone: the same bits for any split between the threads
        Parallel.forEach(blocks, blocks > 1, b -> FusedKernels.dropout(xv, mv, ov, (int) ((long) n * b / blocks),
                (int) ((long) n * (b + 1) / blocks), keep, scale));
    }

    // ---- memory: host arrays in and out --------------------------------------------------

    @Override
    public Tensor adopt(float[] data, DType dtype, int... shape) {
        if (dtype == DType.BOOL) {   // 0/1 floats (a mask) narrowed to bool's bytes
            Tensor out = empty(DType.BOOL, shape);
            convertAnyDtypes(Tensor.fromStorage(CpuStorage.ofFloats(data), Layout.contiguous(shape), DType.FLOAT32), out);
            return out;
        }
        if (!dtype.isFloatStorage()) throw new IllegalArgumentException("a float[] cannot hold " + dtype.torchName());
        return Tensor.fromStorage(CpuStorage.ofFloats(data), Layout.contiguous(shape), dtype);
    }

    @Override
    public Tensor adopt(long[] data, int... shape) {
        return Tensor.fromStorage(CpuStorage.ofLongs(data), Layout.contiguous(shape), DType.INT64);
    }

    @Override
    public Tensor adopt(double[] data, int... shape) {
        return Tensor.fromStorage(CpuStorage.ofDoubles(data), Layout.contiguous(shape), DType.FLOAT64);
    }

    @Override
    public double[] toDoubleArray(Tensor t) {
        Tensor c = empty(DType.FLOAT64, t.layout().shape());
        copy(t, c);
        return CpuStorage.doubles(c);
    }

    @Override
    public float[] toFloatArray(Tensor t) {
        Tensor c = empty(DType.FLOAT32, t.layout().shape());
        copy(t, c);
        return CpuStorage.floats(c);
    }

    @Override
    public long[] toLongArray(Tensor t) {
        Tensor c = empty(DType.INT64, t.layout().shape());
        copy(t, c);
        return CpuStorage.longs(c);
    }

    @Override
    public void copyToHost(Tensor t, int pos, float[] dst, int at, int n) {
        System.arraycopy(CpuStorage.floats(t), pos, dst, at, n);
    }

    @Override
    public void copyToHost(Tensor t, int pos, long[] dst, int at, int n) {
        System.arraycopy(CpuStorage.longs(t), pos, dst, at, n);
    }

    @Override
    public void copyToHost(Tensor t, int pos, double[] dst, int at, int n) {
        System.arraycopy(CpuStorage.doubles(t), pos, dst, at, n);
    }

    @Override
    public void copyFromHost(double[] src, int at, Tensor t, int pos, int n) {
        System.arraycopy(src, at, CpuStorage.doubles(t), pos, n);
    }

    @Override
    public void copyFromHost(float[] src, int at, Tensor t, int pos, int n) {
        System.arraycopy(src, at, CpuStorage.floats(t), pos, n);
    }

    @Override
    public void copyFromHost(long[] src, int at, Tensor t, int pos, int n) {
        System.arraycopy(src, at, CpuStorage.longs(t), pos, n);
    }

    @Override
    public void copyToBytes(Tensor t, int pos, int n, java.nio.ByteBuffer dst) {
        CpuStorage.toBytes(t, pos, n, dst);
    }

    @Override
    public void copyFromBytes(java.nio.ByteBuffer src, Tensor t, int pos, int n) {
        CpuStorage.fromBytes(src, t, pos, n);
    }

    // ---- fills -----------------------------------------------------------------------------

    @Override
    public void fill(Tensor t, double value) {
        if (!t.dtype().isFloatStorage() && t.dtype() != DType.INT64 && t.dtype() != DType.FLOAT64) {
            fillOtherStorage(t, value);
            return;
        }
        int from = contiguousOffset(t), to = from + t.numel();
        if (t.dtype() == DType.INT64) java.util.Arrays.fill(CpuStorage.longs(t), from, to, (long) value);
        else if (t.dtype() == DType.FLOAT64) java.util.Arrays.fill(CpuStorage.doubles(t), from, to, value);
        else java.util.Arrays.fill(CpuStorage.floats(t), from, to, (float) value);
    }

    @Override
    public void arange(Tensor t, double start, double step) {
        Fills.arange(t, contiguousOffset(t), start, step);
    }

    @Override
    public void uniform(Tensor t, Generator g, double lo, double hi) {
        Fills.uniform(t, contiguousOffset(t), g, lo, hi, k instanceof PanamaKernels);
    }

    @Override
    public void normal(Tensor t, Generator g, double mean, double std) {
        Fills.normal(t, contiguousOffset(t), g, mean, std);
    }

    @Override
    public void oneHot(Tensor labels, Tensor out) {
        long[] l = toLongArray(labels), o = CpuStorage.longs(out);
        int classes = out.layout().shape()[out.dim() - 1], base = contiguousOffset(out);
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] >= classes) {
                throw new IllegalArgumentException("one_hot: class value " + l[i] + " is outside [0, " + classes + ")");
            }
            o[base + i * classes + (int) l[i]] = 1;
        }
    }

    @Override
    public void stack(Tensor[] parts, Tensor out) {
        if (out.dtype() != DType.FLOAT32 && out.dtype() != DType.INT64 && out.dtype() != DType.FLOAT64) {
            // byte, short and int storage (uint8 images, bool masks, 16-bit floats): one copy per part
            for (int i = 0; i < parts.length; i++) copy(parts[i], out.viewOf(out.layout().select(0, i)));
            return;
        }
        int base = contiguousOffset(out);
        for (int i = 0; i < parts.length; i++) {
            Tensor t = parts[i].isContiguous() ? parts[i] : parts[i].contiguousCopy();
            int n = t.numel(), from = t.layout().offset();
            if (t.dtype() == DType.INT64) System.arraycopy(CpuStorage.longs(t), from, CpuStorage.longs(out), base + i * n, n);
            else if (t.dtype() == DType.FLOAT64) System.arraycopy(CpuStorage.doubles(t), from, CpuStorage.doubles(out), base + i * n, n);
            else System.arraycopy(CpuStorage.floats(t), from, CpuStorage.floats(out), base + i * n, n);
        }
    }

    // ---- convolution and pooling: CpuBackendLayers ------------------------------------------

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor b, ConvParams p, Tensor out) {
        CpuBackendLayers.conv2d(k, x, w, b, p, out);
    }

    @Override
    public void conv2dInputGrad(Tensor gradOut, Tensor w, ConvParams p, Tensor gradIn) {
        CpuBackendLayers.conv2dInputGrad(k, gradOut, w, p, gradIn);
    }

    @Override
    public void conv2dWeightGrad(Tensor gradOut, Tensor x, ConvParams p, Tensor gradW) {
        CpuBackendLayers.conv2dWeightGrad(k, gradOut, x, p, gradW);
    }

    @Override
    public void maxPool2d(Tensor x, Pool2d window, Tensor out, Tensor indices) {
        CpuBackendLayers.maxPool2d(k, x, window, out, indices);
    }

    @Override
    public void maxPool2dBackward(Tensor grad, Tensor indices, Tensor dx) {
        CpuBackendLayers.maxPool2dBackward(k, grad, indices, dx);
    }

    @Override
    public void avgPool2d(Tensor x, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor out) {
        CpuBackendLayers.avgPool2d(k, x, window, countIncludePad, divisorOverride, out);
    }

    @Override
    public void avgPool2dBackward(Tensor grad, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor dx) {
        CpuBackendLayers.avgPool2dBackward(k, grad, window, countIncludePad, divisorOverride, dx);
    }

    @Override
    public void adaptiveAvgPool2d(Tensor x, Tensor out) {
        CpuBackendLayers.adaptiveAvgPool2d(k, x, out);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor grad, Tensor dx) {
        CpuBackendLayers.adaptiveAvgPool2dBackward(k, grad, dx);
    }

    // ---- layer normalisation and softmax: CpuBackendNorm ---------------------------------------

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, int groupSize, Tensor out, Tensor mean, Tensor rstd) {
        CpuBackendNorm.layerNorm(k, x, weight, bias, eps, groupSize, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor rstd, Tensor weight, int groupSize,
                                  Tensor dx, Tensor dweight, Tensor dbias) {
        CpuBackendNorm.layerNormBackward(k, grad, x, mean, rstd, weight, groupSize, dx, dweight, dbias);
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        CpuBackendNorm.softmax(k, x, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor grad, Tensor dx) {
        CpuBackendNorm.softmaxBackward(y, grad, dx);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        CpuBackendNorm.logSoftmax(k, x, out);
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor grad, Tensor dx) {
        CpuBackendNorm.logSoftmaxBackward(k, y, grad, dx);
    }

    @Override
    public void logSoftmaxBackwardOneHot(Tensor y, Tensor index, Tensor pick, Tensor dx) {
        CpuBackendNorm.logSoftmaxBackwardOneHot(k, y, index, pick, dx);
    }

    // ---- recurrent cells (CpuBackendRecurrent) -----------------------------------------------

    @Override
    public dev.antorcha.backend.PackedMatrix packRight(Tensor b) {
        return CpuBackendRecurrent.packRight(k, b);
    }

    @Override
    public void matmulPacked(Tensor a, dev.antorcha.backend.PackedMatrix b, Tensor out) {
        CpuBackendRecurrent.matmulPacked(this, k, a, b, out);
    }

    @Override
    public void lstmCell(Tensor gi, Tensor gh, Tensor c, Tensor hOut, Tensor cOut, Tensor work) {
        CpuBackendRecurrent.lstmCell(k, gi, gh, c, hOut, cOut, work);
    }

    @Override
    public void lstmCellBackward(Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dGates, Tensor dcPrev) {
        CpuBackendRecurrent.lstmCellBackward(k, dh, dc, c, work, dGates, dcPrev);
    }

    @Override
    public void gruCell(Tensor gi, Tensor gh, Tensor h, Tensor hOut, Tensor work) {
        CpuBackendRecurrent.gruCell(k, gi, gh, h, hOut, work);
    }

    @Override
    public void gruCellBackward(Tensor dh, Tensor h, Tensor work, Tensor dGi, Tensor dGh, Tensor dhPrev) {
        CpuBackendRecurrent.gruCellBackward(dh, h, work, dGi, dGh, dhPrev);
    }

    // ---- fused ops -------------------------------------------------------------------------

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        CpuBackendMatmul.linear(this, k, dk, x, w, b, out);
    }

    @Override
    public int crossEntropy(Tensor logits, Tensor target, long ignoreIndex, int reduction, Tensor out, Tensor logSumExp) {
        return CpuBackendLoss.crossEntropy(logits, target, ignoreIndex, reduction, out, logSumExp);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor target, long ignoreIndex, Tensor logSumExp, Tensor grad,
                                     int reduction, int counted, Tensor dx) {
        CpuBackendLoss.crossEntropyBackward(logits, target, ignoreIndex, logSumExp, grad, reduction, counted, dx);
    }

    /** The storage position of {@code t}'s first element; {@code t} must be contiguous. */
    static int contiguousOffset(Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("expected a contiguous tensor, got a strided view of shape " + t.shape());
        }
        return t.layout().offset();
    }

    /** Elements per block of a parallel Adam step (a multiple of every SIMD width). */
    private static final int ADAM_CHUNK = 8192;

    /** The double array of a float64 tensor that must be dense (contiguous from offset 0). */
    static double[] denseDoubles(Tensor t) {
        if (!t.isContiguous() || t.layout().offset() != 0) {
            throw new IllegalArgumentException("expected a dense tensor, got a view of shape " + t.shape());
        }
        return CpuStorage.doubles(t);
    }

    /** The array of a tensor that must be dense (contiguous from offset 0). */
    static float[] dense(Tensor t) {
        if (!t.isContiguous() || t.layout().offset() != 0) {
            throw new IllegalArgumentException("expected a dense tensor, got a view of shape " + t.shape());
        }
        return CpuStorage.floats(t);
    }

    // ---- optimizer steps beyond Adam and SGD (OptimSteps) ------------------------------------

    @Override
    public void adadelta(Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta, AdadeltaStep step) {
        optim.adadelta(param, grad, squareAvg, accDelta, step);
    }

    @Override
    public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer, RmspropStep step) {
        optim.rmsprop(param, grad, squareAvg, gradAvg, momentumBuffer, step);
    }

    @Override
    public void adagrad(Tensor param, Tensor grad, Tensor sum, AdagradStep step) {
        optim.adagrad(param, grad, sum, step);
    }
}
