package dev.antorcha.cuda;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Backends;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ConvParams;
import dev.antorcha.backend.PackedMatrix;
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
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The backend of one CUDA device. The hot ops of training run as CUDA kernels on the device's
 * stream ({@link CudaKernels}: copies and dtype conversions between any layouts, fills,
 * element-wise ops with broadcasting, sums, log-softmax, the fused cross-entropy; {@link CudaSteps}:
 * pooling, dropout, an LSTM step, the optimizers' steps; {@link CudaIndexing}: an embedding's rows,
 * nll's pick, the gradient norm) and the matrix products and convolutions on cuBLAS
 * ({@link CudaProducts}). Every other op of the backend interface runs on the CPU
 * backend over host copies of its operands, its outputs copied back ({@link HostFallback}): each op
 * works on the GPU from the start, at the cost of the transfers, and gains a kernel of its own
 * when it matters for speed.
 */
final class CudaBackend implements Backend {
    final Device device;
    final Gpu gpu;
    final CudaKernels kernels;
    private final CudaProducts products;
    private final CudaSteps steps;
    private final CudaIndexing indexing;
    private final HostFallback host;

    CudaBackend(Device device, Gpu gpu) {
        this.device = device;
        this.gpu = gpu;
        this.kernels = new CudaKernels(this, gpu);
        this.products = new CudaProducts(this, gpu, kernels);
        this.steps = new CudaSteps(gpu, kernels);
        this.indexing = new CudaIndexing(this, gpu);
        this.host = new HostFallback(this);
    }

    static long pointer(Tensor t) {
        return ((CudaStorage) t.storage()).pointer + (long) t.layout().offset() * t.dtype().itemSize();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public void setNumThreads(int n) {
        Backends.cpu().setNumThreads(n);   // the host fallback's threads
    }

    @Override
    public int numThreads() {
        return Backends.cpu().numThreads();
    }

    @Override
    public String describeKernels() {
        return "CUDA " + gpu.name() + " (" + gpu.architecture() + "), cuBLAS products, NVRTC kernels";
    }

    @Override
    public void warmUp() {
        // kernels compile at first use (and come from the disk cache after the first run)
    }

    /** Waits for the device's stream: asynchronous kernel errors surface here. */
    @Override
    public void synchronize() {
        gpu.synchronize();
    }

    @Override
    public long memoryAllocated() {
        return gpu.allocator().allocated();
    }

    @Override
    public long maxMemoryAllocated() {
        return gpu.allocator().maxAllocated();
    }

    @Override
    public void emptyCache() {
        gpu.allocator().collect();   // tensors that became unreachable give their blocks back first
        gpu.allocator().emptyCache();
    }

    /** Gives {@code t}'s block back at once: autograd's engine calls this for memory only it held, now spent. */
    @Override
    public void recycle(Tensor t) {
        if (t.storage() instanceof CudaStorage s && s.backend() == this) gpu.allocator().release(s.pointer);
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Tensor empty(DType dtype, int... shape) {
        Tensor t = uninitialized(dtype, shape);
        long bytes = (long) t.numel() * dtype.itemSize();
        if (bytes > 0) {
            gpu.memset(pointer(t), (byte) 0, bytes);
        }
        return t;
    }

    @Override
    public Tensor uninitialized(DType dtype, int... shape) {
        Layout layout = Layout.contiguous(shape);
        return Tensor.fromStorage(CudaStorage.allocate(this, dtype, layout.numel()), layout, dtype);
    }

    @Override
    public Tensor adopt(float[] data, DType dtype, int... shape) {
        Tensor t = uninitialized(dtype, shape);
        copyFromHost(data, 0, t, 0, data.length);
        return t;
    }

    @Override
    public Tensor adopt(long[] data, int... shape) {
        Tensor t = uninitialized(DType.INT64, shape);
        copyFromHost(data, 0, t, 0, data.length);
        return t;
    }

    @Override
    public Tensor adopt(double[] data, int... shape) {
        Tensor t = uninitialized(DType.FLOAT64, shape);
        copyFromHost(data, 0, t, 0, data.length);
        return t;
    }

    @Override
    public double[] toDoubleArray(Tensor t) {
        return host.toHost(t).toDoubleArray();
    }

    @Override
    public float[] toFloatArray(Tensor t) {
        return host.toHost(t).toFloatArray();
    }

    @Override
    public long[] toLongArray(Tensor t) {
        return host.toHost(t).toLongArray();
    }

    /** The device address of element {@code pos} of {@code t}'s storage. */
    private static long at(Tensor t, int pos) {
        return ((CudaStorage) t.storage()).pointer + (long) pos * t.dtype().itemSize();
    }

    @Override
    public void copyToHost(Tensor t, int pos, float[] dst, int at, int n) {
        requireItem(t, 4, "copyToHost(float[])");
        gpu.download(at(t, pos), MemorySegment.ofArray(dst).asSlice(4L * at, 4L * n), 4L * n);
    }

    @Override
    public void copyToHost(Tensor t, int pos, long[] dst, int at, int n) {
        requireItem(t, 8, "copyToHost(long[])");
        gpu.download(at(t, pos), MemorySegment.ofArray(dst).asSlice(8L * at, 8L * n), 8L * n);
    }

    @Override
    public void copyToHost(Tensor t, int pos, double[] dst, int at, int n) {
        requireItem(t, 8, "copyToHost(double[])");
        gpu.download(at(t, pos), MemorySegment.ofArray(dst).asSlice(8L * at, 8L * n), 8L * n);
    }

    @Override
    public void copyFromHost(float[] src, int at, Tensor t, int pos, int n) {
        requireItem(t, 4, "copyFromHost(float[])");
        gpu.upload(MemorySegment.ofArray(src).asSlice(4L * at, 4L * n), at(t, pos), 4L * n);
    }

    @Override
    public void copyFromHost(long[] src, int at, Tensor t, int pos, int n) {
        requireItem(t, 8, "copyFromHost(long[])");
        gpu.upload(MemorySegment.ofArray(src).asSlice(8L * at, 8L * n), at(t, pos), 8L * n);
    }

    @Override
    public void copyFromHost(double[] src, int at, Tensor t, int pos, int n) {
        requireItem(t, 8, "copyFromHost(double[])");
        gpu.upload(MemorySegment.ofArray(src).asSlice(8L * at, 8L * n), at(t, pos), 8L * n);
    }

    @Override
    public void copyToBytes(Tensor t, int pos, int n, ByteBuffer dst) {
        long bytes = (long) n * t.dtype().itemSize();
        MemorySegment seg = MemorySegment.ofBuffer(dst).asSlice(0, bytes);
        gpu.download(at(t, pos), seg, bytes);
        dst.position(dst.position() + (int) bytes);
    }

    @Override
    public void copyFromBytes(ByteBuffer src, Tensor t, int pos, int n) {
        long bytes = (long) n * t.dtype().itemSize();
        MemorySegment seg = MemorySegment.ofBuffer(src).asSlice(0, bytes);
        gpu.upload(seg, at(t, pos), bytes);
        src.position(src.position() + (int) bytes);
    }

    private static void requireItem(Tensor t, int size, String what) {
        if (t.dtype().itemSize() != size) {
            throw new IllegalArgumentException(what + ": a " + t.dtype().torchName() + " tensor holds " + t.dtype().itemSize()
                    + "-byte elements, not " + size);
        }
    }

    // ---- element-wise, copies, fills ---------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        if (!kernels.unary(op, x, out, p0, p1)) host.unary(op, x, out, p0, p1);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (!kernels.binary(op, a, b, out)) host.binary(op, a, b, out);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.device().equals(dst.device()) && kernels.convert(src, dst)) return;
        host.copy(src, dst);
    }

    @Override
    public void fill(Tensor t, double value) {
        if (!kernels.fill(t, value)) host.fill(t, value);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        if (!kernels.sum(op, x, dims, out)) host.reduce(op, x, dims, out);
    }

    @Override
    public double sumOfSquaresInFloat64(Tensor x) {
        if (x.dtype() == DType.FLOAT32 && x.isContiguous()) return indexing.sumOfSquares(x);
        Tensor h = host.toHost(x);
        return h.backend().sumOfSquaresInFloat64(h);
    }

    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        if (!kernels.argmaxRows(max, x, dim, out)) host.argReduce(max, x, dim, out);
    }

    // ---- products ----------------------------------------------------------------------------

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        if (!products.matmul(a, b, out)) host.matmul(a, b, out);
    }

    @Override
    public PackedMatrix packRight(Tensor b) {
        return new CudaProducts.Packed(b.contiguousCopy());
    }

    @Override
    public void matmulPacked(Tensor a, PackedMatrix b, Tensor out) {
        Tensor bt = ((CudaProducts.Packed) b).b();
        if (products.matmulPacked(a, bt, out)) return;
        host.run(List.of(a, bt, out), List.of(out), h -> h.backend().matmulPacked(h.get(0), h.backend().packRight(h.get(1)), h.get(2)));
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (!products.linear(x, w, b, out)) host.linear(x, w, b, out);
    }

    // ---- rows: softmax family and the fused cross-entropy --------------------------------------

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        if (!kernels.logSoftmax(x, out)) host.logSoftmax(x, out);
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor grad, Tensor dx) {
        if (!kernels.logSoftmaxBackward(y, grad, dx)) host.logSoftmaxBackward(y, grad, dx);
    }

    @Override
    public void logSoftmaxBackwardOneHot(Tensor y, Tensor index, Tensor pick, Tensor dx) {
        if (indexing.logSoftmaxBackwardOneHot(y, index, pick, dx)) return;
        host.run(List.of(y, index, pick, dx), List.of(dx), h -> h.backend().logSoftmaxBackwardOneHot(h.get(0), h.get(1), h.get(2), h.get(3)));
    }

    @Override
    public int crossEntropy(Tensor logits, Tensor target, long ignoreIndex, int reduction, Tensor out, Tensor logSumExp) {
        int counted = kernels.crossEntropy(logits, target, ignoreIndex, reduction, out, logSumExp);
        return counted >= 0 ? counted : host.crossEntropy(logits, target, ignoreIndex, reduction, out, logSumExp);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor target, long ignoreIndex, Tensor logSumExp, Tensor grad,
                                     int reduction, int counted, Tensor dx) {
        if (!kernels.crossEntropyBackward(logits, target, ignoreIndex, logSumExp, grad, reduction, counted, dx)) {
            host.crossEntropyBackward(logits, target, ignoreIndex, logSumExp, grad, reduction, counted, dx);
        }
    }

    // ---- optimizer steps ---------------------------------------------------------------------

    @Override
    public void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep step) {
        if (!steps.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, step)) host.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, step);
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, SgdStep step) {
        if (!steps.sgd(param, grad, momentumBuffer, step)) host.sgd(param, grad, momentumBuffer, step);
    }

    @Override
    public void adadelta(Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta, AdadeltaStep step) {
        if (steps.adadelta(param, grad, squareAvg, accDelta, step)) return;
        host.run(List.of(param, grad, squareAvg, accDelta), List.of(param, squareAvg, accDelta),
                h -> h.backend().adadelta(h.get(0), h.get(1), h.get(2), h.get(3), step));
    }

    @Override
    public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer, RmspropStep step) {
        host.run(HostFallback.list(param, grad, squareAvg, gradAvg, momentumBuffer), HostFallback.list(param, squareAvg, gradAvg,
                momentumBuffer), h -> h.backend().rmsprop(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), step));
    }

    @Override
    public void adagrad(Tensor param, Tensor grad, Tensor sum, AdagradStep step) {
        host.run(List.of(param, grad, sum), List.of(param, sum), h -> h.backend().adagrad(h.get(0), h.get(1), h.get(2), step));
    }

    // ---- the rest on the host ------------------------------------------------------------------

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        host.run(List.of(cond, a, b, out), List.of(out), h -> h.backend().where(h.get(0), h.get(1), h.get(2), h.get(3)));
    }

    @Override
    public void topk(Tensor x, int k, int dim, boolean largest, Tensor indices) {
        host.run(List.of(x, indices), List.of(indices), h -> h.backend().topk(h.get(0), k, dim, largest, h.get(1)));
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (indexing.gatherRows(x, dim, index, out)) return;
        host.run(List.of(x, index, out), List.of(out), h -> h.backend().gather(h.get(0), dim, h.get(1), h.get(2)));
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        host.run(List.of(out, index, src), List.of(out), h -> h.backend().scatterAdd(h.get(0), dim, h.get(1), h.get(2)));
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (indexing.indexSelect(x, dim, index, out)) return;
        host.run(List.of(x, index, out), List.of(out), h -> h.backend().indexSelect(h.get(0), dim, h.get(1), h.get(2)));
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        if (indexing.indexAdd(out, dim, index, src)) return;
        host.run(List.of(out, index, src), List.of(out), h -> h.backend().indexAdd(h.get(0), dim, h.get(1), h.get(2)));
    }

    @Override
    public void arange(Tensor t, double start, double step) {
        host.run(List.of(t), List.of(t), h -> h.backend().arange(h.get(0), start, step));
    }

    @Override
    public void uniform(Tensor t, Generator g, double lo, double hi) {
        host.run(List.of(t), List.of(t), h -> h.backend().uniform(h.get(0), g, lo, hi));
    }

    @Override
    public void normal(Tensor t, Generator g, double mean, double std) {
        host.run(List.of(t), List.of(t), h -> h.backend().normal(h.get(0), g, mean, std));
    }

    @Override
    public void oneHot(Tensor labels, Tensor out) {
        host.run(List.of(labels, out), List.of(out), h -> h.backend().oneHot(h.get(0), h.get(1)));
    }

    @Override
    public void stack(Tensor[] parts, Tensor out) {
        List<Tensor> all = new java.util.ArrayList<>(List.of(parts));
        all.add(out);
        host.run(all, List.of(out), h -> {
            Tensor[] hp = new Tensor[parts.length];
            for (int i = 0; i < parts.length; i++) hp[i] = h.get(i);
            h.backend().stack(hp, h.get(parts.length));
        });
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor b, ConvParams p, Tensor out) {
        if (products.conv2d(x, w, b, p, out)) return;
        host.run(HostFallback.list(x, w, b, out), List.of(out), h -> h.backend().conv2d(h.get(0), h.get(1), h.get(2), p, h.get(3)));
    }

    @Override
    public void conv2dInputGrad(Tensor gradOut, Tensor w, ConvParams p, Tensor gradIn) {
        if (products.conv2dInputGrad(gradOut, w, p, gradIn)) return;
        host.run(List.of(gradOut, w, gradIn), List.of(gradIn), h -> h.backend().conv2dInputGrad(h.get(0), h.get(1), p, h.get(2)));
    }

    @Override
    public void conv2dWeightGrad(Tensor gradOut, Tensor x, ConvParams p, Tensor gradW) {
        if (products.conv2dWeightGrad(gradOut, x, p, gradW)) return;
        host.run(List.of(gradOut, x, gradW), List.of(gradW), h -> h.backend().conv2dWeightGrad(h.get(0), h.get(1), p, h.get(2)));
    }

    @Override
    public void dropout(Tensor x, Tensor mask, double p, Tensor out) {
        if (steps.dropout(x, mask, p, out)) return;
        host.run(List.of(x, mask, out), List.of(mask, out), h -> h.backend().dropout(h.get(0), h.get(1), p, h.get(2)));
    }

    @Override
    public void lstmCell(Tensor gi, Tensor gh, Tensor c, Tensor hOut, Tensor cOut, Tensor work) {
        if (steps.lstmCell(gi, gh, c, hOut, cOut, work)) return;
        host.run(HostFallback.list(gi, gh, c, hOut, cOut, work), List.of(hOut, cOut, work),
                h -> h.backend().lstmCell(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5)));
    }

    @Override
    public void lstmCellBackward(Tensor dh, Tensor dc, Tensor c, Tensor work, Tensor dGates, Tensor dcPrev) {
        if (steps.lstmCellBackward(dh, dc, c, work, dGates, dcPrev)) return;
        host.run(HostFallback.list(dh, dc, c, work, dGates, dcPrev), HostFallback.list(dGates, dcPrev),
                h -> h.backend().lstmCellBackward(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5)));
    }

    @Override
    public void gruCell(Tensor gi, Tensor gh, Tensor hPrev, Tensor hOut, Tensor work) {
        host.run(List.of(gi, gh, hPrev, hOut, work), List.of(hOut, work),
                h -> h.backend().gruCell(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4)));
    }

    @Override
    public void gruCellBackward(Tensor dh, Tensor hPrev, Tensor work, Tensor dGi, Tensor dGh, Tensor dhPrev) {
        host.run(List.of(dh, hPrev, work, dGi, dGh, dhPrev), List.of(dGi, dGh, dhPrev),
                h -> h.backend().gruCellBackward(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5)));
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, int groupSize, Tensor out, Tensor mean, Tensor rstd) {
        host.run(HostFallback.list(x, weight, bias, out, mean, rstd), List.of(out, mean, rstd),
                h -> h.backend().layerNorm(h.get(0), h.get(1), h.get(2), eps, groupSize, h.get(3), h.get(4), h.get(5)));
    }

    @Override
    public void layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor rstd, Tensor weight, int groupSize, Tensor dx,
                                  Tensor dweight, Tensor dbias) {
        host.run(HostFallback.list(grad, x, mean, rstd, weight, dx, dweight, dbias), HostFallback.list(dx, dweight, dbias),
                h -> h.backend().layerNormBackward(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), groupSize, h.get(5),
                        h.get(6), h.get(7)));
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        host.run(List.of(x, out), List.of(out), h -> h.backend().softmax(h.get(0), h.get(1)));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor grad, Tensor dx) {
        host.run(List.of(y, grad, dx), List.of(dx), h -> h.backend().softmaxBackward(h.get(0), h.get(1), h.get(2)));
    }

    @Override
    public void maxPool2d(Tensor x, Pool2d window, Tensor out, Tensor indices) {
        if (steps.maxPool2d(x, window, out, indices)) return;
        host.run(List.of(x, out, indices), List.of(out, indices), h -> h.backend().maxPool2d(h.get(0), window, h.get(1), h.get(2)));
    }

    @Override
    public void maxPool2dBackward(Tensor grad, Tensor indices, Tensor dx) {
        if (steps.maxPool2dBackward(grad, indices, dx)) return;
        host.run(List.of(grad, indices, dx), List.of(dx), h -> h.backend().maxPool2dBackward(h.get(0), h.get(1), h.get(2)));
    }

    @Override
    public void avgPool2d(Tensor x, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor out) {
        host.run(List.of(x, out), List.of(out),
                h -> h.backend().avgPool2d(h.get(0), window, countIncludePad, divisorOverride, h.get(1)));
    }

    @Override
    public void avgPool2dBackward(Tensor grad, Pool2d window, boolean countIncludePad, int divisorOverride, Tensor dx) {
        host.run(List.of(grad, dx), List.of(dx),
                h -> h.backend().avgPool2dBackward(h.get(0), window, countIncludePad, divisorOverride, h.get(1)));
    }

    @Override
    public void adaptiveAvgPool2d(Tensor x, Tensor out) {
        host.run(List.of(x, out), List.of(out), h -> h.backend().adaptiveAvgPool2d(h.get(0), h.get(1)));
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor grad, Tensor dx) {
        host.run(List.of(grad, dx), List.of(dx), h -> h.backend().adaptiveAvgPool2dBackward(h.get(0), h.get(1)));
    }

    /** A contiguous host copy's bytes in native order (for tests and the fallback). */
    static ByteBuffer buffer(long bytes) {
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.nativeOrder());
    }
}
