package dev.antorcha.cuda;

import static dev.antorcha.cuda.CudaKernels.THREADS;
import static dev.antorcha.cuda.CudaKernels.blocks;
import static dev.antorcha.cuda.CudaKernels.onThisDevice;
import static dev.antorcha.cuda.CudaKernels.rowsOf;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * The CUDA backend's indexing kernels: an embedding's rows ({@code index_select}, {@code index_add}
 * along dim 0), nll's pick ({@code gather} along the last dim) and its one-hot log-softmax gradient,
 * and the sum of squares of a gradient in double (gradient clipping). Indices are checked on the host
 * first (a small copy), so a wrong one is an exception, never an illegal address on the device.
 */
final class CudaIndexing {
    private final CudaBackend backend;
    private final Gpu gpu;

    CudaIndexing(CudaBackend backend, Gpu gpu) {
        this.backend = backend;
        this.gpu = gpu;
    }

    /** The int64 indices of {@code index} (contiguous), each checked to lie in {@code [0, size)}. */
    private long[] checkedIndices(Tensor index, long size, String op) {
        long[] idx = new long[index.numel()];
        if (idx.length > 0) backend.copyToHost(index, index.layout().offset(), idx, 0, idx.length);
        for (long v : idx) {
            if (v < 0 || v >= size) throw new IndexOutOfBoundsException(op + ": index " + v + " is out of bounds for dimension 0 with size " + size);
        }
        return idx;
    }

    private static boolean rowsCase(Tensor big, Tensor index, Tensor rows) {
        return big.dtype() == DType.FLOAT32 && rows.dtype() == DType.FLOAT32 && index.dtype() == DType.INT64 && index.dim() == 1
                && big.isContiguous() && rows.isContiguous() && index.isContiguous() && big.dim() >= 1
                && rows.numel() == (long) index.numel() * (big.dim() == 1 ? 1 : big.numel() / Math.max(1, big.size(0)));
    }

    /** {@code out = x.index_select(0, index)} for dense float rows. */
    boolean indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (dim != 0 || !onThisDevice(x, index, out) || !rowsCase(x, index, out)) return false;
        long row = x.size(0) == 0 ? 0 : x.numel() / x.size(0), n = index.numel();
        checkedIndices(index, x.size(0), "index_select");
        if (n * row == 0) return true;
        Gpu.Kernel f = gpu.function("index", List.of(), "index_select_rows");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n * row), THREADS, 0, a.pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(index))
                    .pointer(CudaBackend.pointer(out)).i64(n).i64(row));
        }
        return true;
    }

    /** {@code out.index_add_(0, index, src)} for dense float rows (atomics: rows that share an index add in any order). */
    boolean indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        if (dim != 0 || !onThisDevice(out, index, src) || !rowsCase(out, index, src)) return false;
        long row = out.size(0) == 0 ? 0 : out.numel() / out.size(0), n = index.numel();
        checkedIndices(index, out.size(0), "index_add");
        if (n * row == 0) return true;
        Gpu.Kernel f = gpu.function("index", List.of(), "index_add_rows");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n * row), THREADS, 0, a.pointer(CudaBackend.pointer(out)).pointer(CudaBackend.pointer(index))
                    .pointer(CudaBackend.pointer(src)).i64(n).i64(row));
        }
        return true;
    }

    /** The sum of the squares of a dense float tensor, in double: per-block partials on the device, their sum here. */
    double sumOfSquares(Tensor x) {
        long n = x.numel();
        if (n == 0) return 0;
        int parts = Math.min(1024, blocks(n));
        Tensor partial = backend.uninitialized(DType.FLOAT64, parts);
        Gpu.Kernel f = gpu.function("index", List.of(), "sum_squares");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, parts, THREADS, 0, a.pointer(CudaBackend.pointer(x)).i64(n).pointer(CudaBackend.pointer(partial)));
        }
        double[] p = new double[parts];
        backend.copyToHost(partial, 0, p, 0, parts);
        double s = 0;
        for (double v : p) s += v;
        return s;
    }

    /** {@code logSoftmaxBackward} at nll's one-hot gradient, without writing that gradient out. */
    boolean logSoftmaxBackwardOneHot(Tensor y, Tensor index, Tensor pick, Tensor dx) {
        if (!onThisDevice(y, index, pick, dx) || !rowsOf(y, dx) || index.dtype() != DType.INT64 || !index.isContiguous()
                || pick.dtype() != DType.FLOAT32 || !pick.isContiguous()) {
            return false;
        }
        int n = y.size(-1), rows = n == 0 ? 0 : y.numel() / n;
        if (index.numel() != rows || pick.numel() != rows) return false;
        checkedIndices(index, n, "log_softmax_backward");
        if (rows == 0) return true;
        Gpu.Kernel f = gpu.function("index", List.of(), "log_softmax_backward_one_hot");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, rows, THREADS, 0, a.pointer(CudaBackend.pointer(y)).pointer(CudaBackend.pointer(index))
                    .pointer(CudaBackend.pointer(pick)).pointer(CudaBackend.pointer(dx)).i32(n));
        }
        return true;
    }

    /** {@code out = x.gather(-1, index)} for contiguous float rows (nll_loss's pick of each row's target). */
    boolean gatherRows(Tensor x, int dim, Tensor index, Tensor out) {
        int rank = x.dim();
        if (rank < 1 || (dim < 0 ? dim + rank : dim) != rank - 1 || !onThisDevice(x, index, out) || x.dtype() != DType.FLOAT32
                || out.dtype() != DType.FLOAT32 || index.dtype() != DType.INT64 || !x.isContiguous() || !index.isContiguous()
                || !out.isContiguous() || index.dim() != rank) {
            return false;
        }
        long n = x.size(rank - 1), k = index.size(rank - 1), rows = k == 0 ? 0 : index.numel() / k;
        if (rows * n != x.numel() && rows > 0) return false;
        checkedIndices(index, n, "gather");
        if (rows * k == 0) return true;
        Gpu.Kernel f = gpu.function("index", List.of(), "gather_rows");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(rows * k), THREADS, 0, a.pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(index))
                    .pointer(CudaBackend.pointer(out)).i64(rows).i64(k).i64(n));
        }
        return true;
    }

}
