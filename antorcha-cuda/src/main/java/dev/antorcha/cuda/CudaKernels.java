package dev.antorcha.cuda;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ConvParams;
import dev.antorcha.backend.Pool2d;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The CUDA backend's own kernels and cuBLAS calls. Each method returns {@code false} (or −1) when
 * its kernels do not cover the case (a dtype, a layout, more than 8 dimensions), and the backend
 * then runs the op on the host. Kernels read operands through their strides (see
 * {@code kernels/elementwise.cu}), so views need no copies; row kernels and optimizer steps want
 * contiguous tensors.
 */
final class CudaKernels {
    static final int THREADS = 256;
    private static final int MAX_DIMS = 8;
    private static final int MAX_BLOCKS = 1 << 20;

    private final CudaBackend backend;
    private final Gpu gpu;

    CudaKernels(CudaBackend backend, Gpu gpu) {
        this.backend = backend;
        this.gpu = gpu;
    }

    /** The C type of a dtype's elements, or null for the 16-bit floats (no kernels yet). */
    static String cType(DType d) {
        return switch (d) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long long";
            case INT32 -> "int";
            case INT16 -> "short";
            case INT8 -> "signed char";
            case UINT8, BOOL -> "unsigned char";
            default -> null;
        };
    }

    private static boolean floating(DType d) {
        return d == DType.FLOAT32 || d == DType.FLOAT64;
    }

    private static long base(Tensor t) {
        return ((CudaStorage) t.storage()).pointer;
    }

    private static boolean onThisDevice(Tensor... ts) {
        for (Tensor t : ts) if (t != null && !(t.storage() instanceof CudaStorage)) return false;
        return true;
    }

    private static int blocks(long n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
    }

    /**
     * The {@code struct Geometry} of {@code kernels/elementwise.cu}: the output's element count,
     * rank and sizes, then each operand's strides and offset (in elements); null beyond 8 dims.
     */
    static long[] geometry(int[] shape, int[][] strides, int[] offsets) {
        if (shape.length > MAX_DIMS) return null;
        long[] g = new long[2 + MAX_DIMS + 3 * MAX_DIMS + 3];
        long n = 1;
        for (int s : shape) n *= s;
        g[0] = n;
        g[1] = shape.length;
        for (int d = 0; d < shape.length; d++) g[2 + d] = shape[d];
        for (int w = 0; w < strides.length; w++) {
            for (int d = 0; d < shape.length; d++) g[2 + MAX_DIMS + w * MAX_DIMS + d] = strides[w][d];
            g[2 + 4 * MAX_DIMS + w] = offsets[w];
        }
        return g;
    }

    // ---- element-wise ---------------------------------------------------------------------------

    /** The C expression of a unary op over {@code v} (element type T), or null where it has none for T. */
    static String unaryExpression(UnaryOp op, DType dtype) {
        boolean f = floating(dtype);
        return switch (op) {
            case COPY -> "(v)";
            case NEG -> "(-(v))";
            case ABS -> f ? "fabs(v)" : "((v) < 0 ? -(v) : (v))";
            case SIGN -> f ? "((v) > 0 ? (T) 1 : ((v) < 0 ? (T) -1 : (v)))" : "(T) (((v) > 0) - ((v) < 0))";
            case CLAMP -> "((v) < p0 ? p0 : ((v) > p1 ? p1 : (v)))";
            case RELU -> f ? "((v) != (v) ? (v) : ((v) > (T) 0 ? (v) : (T) 0))" : "((v) > 0 ? (v) : (T) 0)";
            case EXP -> f ? "exp(v)" : null;
            case LOG -> f ? "log(v)" : null;
            case SQRT -> f ? "sqrt(v)" : null;
            case SIGMOID -> f ? "((T) 1 / ((T) 1 + exp(-(v))))" : null;
            case TANH -> f ? "tanh(v)" : null;
            case POW_SCALAR -> f ? "pow(v, p0)" : null;
            case ERF -> f ? "erf(v)" : null;
        };
    }

    /** The defines of {@code unary_kernel} for {@code op} on {@code dtype}, or null where there is no kernel. */
    static List<String> unaryDefines(UnaryOp op, DType dtype) {
        String type = cType(dtype), expr = unaryExpression(op, dtype);
        if (type == null || expr == null || dtype == DType.BOOL) return null;
        return List.of("T " + type, "UNARY(v, p0, p1) " + expr);
    }

    boolean unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        if (!onThisDevice(x, out) || x.dtype() != out.dtype()) return false;
        List<String> defines = unaryDefines(op, x.dtype());
        if (defines == null) return false;
        int[] shape = out.layout().shape();
        long[] g = geometry(shape, new int[][] {x.layout().expand(shape).strides(), out.layout().strides()},
                new int[] {x.layout().offset(), out.layout().offset()});
        if (g == null) return false;
        if (g[0] == 0) return true;
        Gpu.Kernel f = gpu.function("elementwise", defines, "unary_kernel");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(g[0]), THREADS, 0,
                    a.struct(g).pointer(base(x)).pointer(base(out)).f64(p0).f64(p1));
        }
        return true;
    }

    /** The C expression of a binary op over {@code x, y}, or null where it has none for the dtype. */
    static String binaryExpression(BinaryOp op, DType dtype) {
        boolean f = floating(dtype);
        return switch (op) {
            case ADD -> "((x) + (y))";
            case SUB -> "((x) - (y))";
            case MUL -> "((x) * (y))";
            case DIV -> f ? "((x) / (y))" : null;
            case POW -> f ? "pow(x, y)" : null;
            case MAXIMUM -> f ? "((x) != (x) ? (x) : ((y) != (y) ? (y) : ((x) > (y) ? (x) : (y))))" : "((x) > (y) ? (x) : (y))";
            case MINIMUM -> f ? "((x) != (x) ? (x) : ((y) != (y) ? (y) : ((x) < (y) ? (x) : (y))))" : "((x) < (y) ? (x) : (y))";
            case MASK_POSITIVE -> "((y) <= (T) 0 ? (T) 0 : (x))";
            case EQ -> "((x) == (y))";
            case NE -> "((x) != (y))";
            case LT -> "((x) < (y))";
            case LE -> "((x) <= (y))";
            case GT -> "((x) > (y))";
            case GE -> "((x) >= (y))";
        };
    }

    /** The defines of {@code binary_kernel} for {@code op} on operands of {@code dtype}, or null where there is no kernel. */
    static List<String> binaryDefines(BinaryOp op, DType dtype) {
        String type = cType(dtype), expr = binaryExpression(op, dtype);
        if (type == null || expr == null || dtype == DType.BOOL) return null;
        return List.of("T " + type, "OUT_T " + cType(op.isComparison() ? DType.BOOL : dtype), "BINARY(x, y) " + expr);
    }

    boolean binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (!onThisDevice(a, b, out) || a.dtype() != b.dtype() || a.dtype() == DType.BOOL) return false;
        if (out.dtype() != (op.isComparison() ? DType.BOOL : a.dtype())) return false;
        List<String> defines = binaryDefines(op, a.dtype());
        if (defines == null) return false;
        int[] shape = out.layout().shape();
        long[] g = geometry(shape, new int[][] {a.layout().expand(shape).strides(), b.layout().expand(shape).strides(),
                out.layout().strides()}, new int[] {a.layout().offset(), b.layout().offset(), out.layout().offset()});
        if (g == null) return false;
        if (g[0] == 0) return true;
        Gpu.Kernel f = gpu.function("elementwise", defines, "binary_kernel");
        try (KernelArgs args = new KernelArgs()) {
            gpu.launch(f, blocks(g[0]), THREADS, 0,
                    args.struct(g).pointer(base(a)).pointer(base(b)).pointer(base(out)));
        }
        return true;
    }

    /** The defines of the conversion kernels from {@code from} to {@code to}, or null where there is none. */
    static List<String> convertDefines(DType from, DType to) {
        String f = cType(from), t = cType(to);
        return f == null || t == null ? null : List.of("CONVERT 1", "FROM " + f, "TO " + t);
    }

    /** The defines of {@code fill_kernel} for {@code dtype}, or null where there is none. */
    static List<String> fillDefines(DType dtype) {
        String t = cType(dtype);
        return t == null ? null : List.of("T " + t, "FILL 1");
    }

    /** {@code dst = src} converted to dst's dtype, src broadcast to dst's shape; any strides. */
    boolean convert(Tensor src, Tensor dst) {
        if (!onThisDevice(src, dst)) return false;
        String from = cType(src.dtype()), to = cType(dst.dtype());
        if (from == null || to == null) return false;
        int[] shape = dst.layout().shape();
        long[] g = geometry(shape, new int[][] {src.layout().expand(shape).strides(), dst.layout().strides()},
                new int[] {src.layout().offset(), dst.layout().offset()});
        if (g == null) return false;
        if (g[0] == 0) return true;
        Gpu.Kernel f = gpu.function("elementwise", convertDefines(src.dtype(), dst.dtype()),
                dst.dtype() == DType.BOOL ? "convert_bool_kernel" : "convert_kernel");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(g[0]), THREADS, 0, a.struct(g).pointer(base(src)).pointer(base(dst)));
        }
        return true;
    }

    boolean fill(Tensor t, double value) {
        if (!onThisDevice(t) || !t.isContiguous()) return false;
        String type = cType(t.dtype());
        if (type == null) return false;
        long n = t.numel();
        if (n == 0) return true;
        double v = t.dtype() == DType.BOOL ? (value != 0 ? 1 : 0) : value;
        Gpu.Kernel f = gpu.function("elementwise", fillDefines(t.dtype()), "fill_kernel");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(CudaBackend.pointer(t)).f64(v));
        }
        return true;
    }

    // ---- reductions -------------------------------------------------------------------------------

    /** Sums of float32 over {@code dims} into a contiguous {@code out}: kept dims first, summed ones innermost. */
    boolean sum(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        if (op != ReduceOp.SUM || !onThisDevice(x, out) || x.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32
                || !out.isContiguous()) {
            return false;
        }
        int rank = x.dim();
        boolean[] reduced = new boolean[rank];
        for (int d : dims) reduced[d < 0 ? d + rank : d] = true;
        int[] order = new int[rank];
        int at = 0;
        long outer = 1, inner = 1;
        for (int d = 0; d < rank; d++) if (!reduced[d]) { order[at++] = d; outer *= x.size(d); }
        for (int d = 0; d < rank; d++) if (reduced[d]) { order[at++] = d; inner *= x.size(d); }
        if (outer != out.numel()) return false;
        if (outer == 0) return true;
        if (inner == 0) return fill(out, 0);
        Tensor src = x;
        Layout permuted = x.layout().permute(order);
        if (!permuted.isContiguous()) {
            Tensor tmp = backend.uninitialized(DType.FLOAT32, permuted.shape());
            if (!convert(x.viewOf(permuted), tmp)) return false;
            src = tmp;
        } else {
            src = x.viewOf(permuted);
        }
        if (outer > Integer.MAX_VALUE) return false;
        Gpu.Kernel f = gpu.function("rows", List.of(), "sum_inner");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, (int) outer, THREADS, 0, a.pointer(CudaBackend.pointer(src)).pointer(CudaBackend.pointer(out)).i64(inner));
        }
        return true;
    }

    /** Arg max along the last dim of a contiguous float32 tensor. */
    boolean argmaxRows(boolean max, Tensor x, int dim, Tensor out) {
        int rank = x.dim();
        if (!max || !onThisDevice(x, out) || x.dtype() != DType.FLOAT32 || out.dtype() != DType.INT64 || rank == 0
                || (dim < 0 ? dim + rank : dim) != rank - 1 || !x.isContiguous() || !out.isContiguous()) {
            return false;
        }
        int n = x.size(rank - 1), rows = n == 0 ? 0 : x.numel() / n;
        if (rows == 0 || n == 0 || out.numel() != rows) return rows == 0 && n != 0;
        Gpu.Kernel f = gpu.function("rows", List.of(), "argmax_rows");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, rows, THREADS, 0, a.pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(out)).i32(n));
        }
        return true;
    }

    // ---- products ------------------------------------------------------------------------------

    /** How cuBLAS reads a 2-D row-major view {@code [rows, cols]}: as its transpose, or itself transposed. */
    private record Operand(int op, int ld) {
        /** The operand's reading, or null when neither dim has unit stride (a copy is needed). */
        static Operand of(int rows, int cols, int rowStride, int colStride) {
            if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= Math.max(1, cols))) {
                return new Operand(Cublas.OP_N, rows == 1 ? Math.max(1, cols) : rowStride);
            }
            if ((rowStride == 1 || rows == 1) && (cols == 1 || colStride >= Math.max(1, rows))) {
                return new Operand(Cublas.OP_T, cols == 1 ? Math.max(1, rows) : colStride);
            }
            return null;
        }
    }

    /**
     * Row-major {@code C[m,n] = A[m,k]·B[k,n]} as cuBLAS's column-major {@code Cᵀ = Bᵀ·Aᵀ}: B goes
     * first. Operands given by pointer and strides; C contiguous with {@code ldc = n}.
     */
    private boolean gemm(DType dtype, int m, int n, int k, long a, int aRs, int aCs, long b, int bRs, int bCs, long c, boolean accumulate) {
        Operand oa = Operand.of(m, k, aRs, aCs), ob = Operand.of(k, n, bRs, bCs);
        if (oa == null || ob == null) return false;
        Gpu.Blas blas = gpu.blas();
        gpu.bind();   // cuBLAS works in the calling thread's current context
        if (dtype == DType.FLOAT32) {
            blas.sgemm(ob.op(), oa.op(), n, m, k, 1f, b, ob.ld(), a, oa.ld(), accumulate ? 1f : 0f, c, Math.max(1, n));
        } else {
            blas.dgemm(ob.op(), oa.op(), n, m, k, 1.0, b, ob.ld(), a, oa.ld(), accumulate ? 1.0 : 0.0, c, Math.max(1, n));
        }
        return true;
    }

    boolean matmul(Tensor a, Tensor b, Tensor out) {
        DType d = out.dtype();
        if (!onThisDevice(a, b, out) || !floating(d) || a.dtype() != d || b.dtype() != d || !out.isContiguous()
                || a.dim() < 2 || b.dim() < 2) {
            return false;
        }
        Layout la = a.layout(), lb = b.layout(), lo = out.layout();
        int r = lo.rank(), m = lo.shape()[r - 2], n = lo.shape()[r - 1], k = la.shape()[la.rank() - 1];
        int aRs = la.strides()[la.rank() - 2], aCs = la.strides()[la.rank() - 1];
        int bRs = lb.strides()[lb.rank() - 2], bCs = lb.strides()[lb.rank() - 1];
        if (Operand.of(m, k, aRs, aCs) == null || Operand.of(k, n, bRs, bCs) == null) return false;
        int[] batch = java.util.Arrays.copyOf(lo.shape(), r - 2);
        int[] aB = la.rank() > 2 ? batchStrides(la, batch) : new int[batch.length];
        int[] bB = lb.rank() > 2 ? batchStrides(lb, batch) : new int[batch.length];
        long batches = 1;
        for (int s : batch) batches *= s;
        if (m == 0 || n == 0) return true;
        if (k == 0) return fill(out, 0);
        int item = d.itemSize();
        int[] idx = new int[batch.length];
        for (long t = 0; t < batches; t++) {
            long ao = la.offset(), bo = lb.offset();
            for (int q = 0; q < batch.length; q++) {
                ao += (long) idx[q] * aB[q];
                bo += (long) idx[q] * bB[q];
            }
            long co = lo.offset() + t * m * n;
            gemm(d, m, n, k, base(a) + ao * item, aRs, aCs, base(b) + bo * item, bRs, bCs, base(out) + co * item, false);
            for (int q = batch.length - 1; q >= 0 && ++idx[q] == batch[q]; q--) idx[q] = 0;
        }
        return true;
    }

    private static int[] batchStrides(Layout l, int[] batch) {
        int lb = l.rank() - 2;
        int[] st = new int[batch.length];
        for (int q = 0; q < batch.length; q++) {
            int j = q - (batch.length - lb);
            st[q] = j >= 0 && l.shape()[j] != 1 ? l.strides()[j] : 0;
        }
        return st;
    }

    /** {@code out = x·Wᵀ + b} for float32: the product by cuBLAS, the bias by a row kernel. */
    boolean linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (!onThisDevice(x, w, b, out) || x.dtype() != DType.FLOAT32 || w.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32
                || w.dim() != 2 || !out.isContiguous() || b != null && (b.dtype() != DType.FLOAT32 || !b.isContiguous())) {
            return false;
        }
        int in = w.size(1), outF = w.size(0), rows = in == 0 ? 0 : x.numel() / Math.max(1, in);
        if (x.dim() == 0) return false;
        Layout lx = x.layout();
        int xRs, xCs;
        if (x.dim() == 2) {
            xRs = lx.strides()[0];
            xCs = lx.strides()[1];
        } else if (x.isContiguous()) {
            xRs = in;
            xCs = 1;
        } else {
            return false;
        }
        Layout lw = w.layout();
        // Wᵀ as a [in, outF] view: rows stride = W's column stride
        if (!gemm(DType.FLOAT32, rows, outF, in, CudaBackend.pointer(x), xRs, xCs, CudaBackend.pointer(w), lw.strides()[1],
                lw.strides()[0], CudaBackend.pointer(out), false)) {
            return false;
        }
        if (b != null && (long) rows * outF > 0) {
            Gpu.Kernel f = gpu.function("rows", List.of(), "add_rows");
            long total = (long) rows * outF;
            try (KernelArgs a = new KernelArgs()) {
                gpu.launch(f, blocks(total), THREADS, 0, a.pointer(CudaBackend.pointer(out)).pointer(CudaBackend.pointer(b))
                        .pointer(CudaBackend.pointer(out)).i64(rows).i64(outF));
            }
        }
        return true;
    }

    // ---- rows ------------------------------------------------------------------------------------

    private static boolean rowsOf(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype() != DType.FLOAT32 || !t.isContiguous() || t.dim() == 0) return false;
        return true;
    }

    boolean logSoftmax(Tensor x, Tensor out) {
        if (!onThisDevice(x, out) || !rowsOf(x, out)) return false;
        int n = x.size(-1), rows = n == 0 ? 0 : x.numel() / n;
        if (rows == 0) return true;
        Gpu.Kernel f = gpu.function("rows", List.of(), "log_softmax");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, rows, THREADS, 0,
                    a.pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(out)).pointer(0).i32(n));
        }
        return true;
    }

    boolean logSoftmaxBackward(Tensor y, Tensor grad, Tensor dx) {
        if (!onThisDevice(y, grad, dx) || !rowsOf(y, grad, dx)) return false;
        int n = y.size(-1), rows = n == 0 ? 0 : y.numel() / n;
        if (rows == 0) return true;
        Gpu.Kernel f = gpu.function("rows", List.of(), "log_softmax_backward");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, rows, THREADS, 0, a.pointer(CudaBackend.pointer(y))
                    .pointer(CudaBackend.pointer(grad)).pointer(CudaBackend.pointer(dx)).i32(n));
        }
        return true;
    }

    /** The fused cross-entropy's forward; the count of rows not ignored, or −1 when the host should run it. */
    int crossEntropy(Tensor logits, Tensor target, long ignoreIndex, int reduction, Tensor out, Tensor logSumExp) {
        if (!onThisDevice(logits, target, out, logSumExp) || logits.dim() != 2 || !rowsOf(logits, logSumExp)
                || target.dtype() != DType.INT64 || !target.isContiguous() || !out.isContiguous() || out.dtype() != DType.FLOAT32) {
            return -1;
        }
        int rows = logits.size(0), c = logits.size(1);
        long[] t = new long[rows];
        if (rows > 0) backend.copyToHost(target, target.layout().offset(), t, 0, rows);
        int count = 0;
        for (long v : t) {
            if (v == ignoreIndex) continue;
            if (v < 0 || v >= c) throw new IllegalArgumentException("Target " + v + " is out of bounds (" + c + " classes).");
            count++;
        }
        if (rows == 0) return count;
        Gpu.Kernel lse = gpu.function("rows", List.of(), "log_softmax");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(lse, rows, THREADS, 0,
                    a.pointer(CudaBackend.pointer(logits)).pointer(0).pointer(CudaBackend.pointer(logSumExp)).i32(c));
        }
        Tensor loss = reduction == 0 ? out : backend.uninitialized(DType.FLOAT32, rows);
        Tensor counted = backend.uninitialized(DType.FLOAT32, rows);
        Gpu.Kernel nll = gpu.function("rows", List.of(), "nll_rows");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(nll, blocks(rows), THREADS, 0, a.pointer(CudaBackend.pointer(logits))
                    .pointer(CudaBackend.pointer(logSumExp)).pointer(CudaBackend.pointer(target)).pointer(CudaBackend.pointer(loss))
                    .pointer(CudaBackend.pointer(counted)).i32(rows).i32(c).i64(ignoreIndex));
        }
        if (reduction != 0) {
            Gpu.Kernel sum = gpu.function("rows", List.of(), "sum_inner");
            try (KernelArgs a = new KernelArgs()) {
                gpu.launch(sum, 1, THREADS, 0, a.pointer(CudaBackend.pointer(loss)).pointer(CudaBackend.pointer(out)).i64(rows));
            }
            if (reduction == 1) {
                Gpu.Kernel div = gpu.function("rows", List.of(), "divide_first");
                try (KernelArgs a = new KernelArgs()) {
                    gpu.launch(div, 1, 1, 0, a.pointer(CudaBackend.pointer(out)).f32(count));
                }
            }
        }
        return count;
    }

    boolean crossEntropyBackward(Tensor logits, Tensor target, long ignoreIndex, Tensor logSumExp, Tensor grad, int reduction,
                                 int counted, Tensor dx) {
        if (!onThisDevice(logits, target, logSumExp, grad, dx) || logits.dim() != 2 || !rowsOf(logits, logSumExp, dx)
                || target.dtype() != DType.INT64 || !target.isContiguous() || grad.dtype() != DType.FLOAT32
                || reduction == 0 && !grad.isContiguous()) {
            return false;
        }
        int rows = logits.size(0), c = logits.size(1);
        if (rows == 0) return true;
        Gpu.Kernel f = gpu.function("rows", List.of(), "cross_entropy_backward");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, rows, THREADS, 0, a.pointer(CudaBackend.pointer(logits))
                    .pointer(CudaBackend.pointer(logSumExp)).pointer(CudaBackend.pointer(target)).pointer(CudaBackend.pointer(grad))
                    .pointer(CudaBackend.pointer(dx)).i32(c).i64(ignoreIndex).i32(reduction == 0 ? 1 : 0)
                    .f32(reduction == 1 ? counted : 1));
        }
        return true;
    }

    // ---- convolution: im2col and cuBLAS ---------------------------------------------------------

    /** Most bytes of patch columns a convolution lays out at a time (the batch in chunks beyond it). */
    private static final long COLUMN_BYTES = 256L << 20;

    /** A convolution's sizes, read from its operands: x [n, c, h, w], w [o, c, kh, kw], out [n, o, oh, ow]. */
    private record ConvShape(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, ConvParams p) {
        long ckk() {
            return (long) c * kh * kw;
        }

        long ohw() {
            return (long) oh * ow;
        }

        /** Images per chunk: their columns fit {@link #COLUMN_BYTES}. */
        int chunk() {
            return (int) Math.max(1, Math.min(n, COLUMN_BYTES / Math.max(1, 4 * ckk() * ohw())));
        }
    }

    private static boolean convCase(ConvParams p, Tensor... ts) {
        if (p.groups() != 1) return false;
        for (Tensor t : ts) if (t != null && (t.dtype() != DType.FLOAT32 || !t.isContiguous() || t.dim() < 1)) return false;
        return true;
    }

    /** Runs im2col or col2im over images {@code [n0, n0 + nb)}. */
    private void lower(String kernel, Tensor image, int n0, int nb, Tensor col, ConvShape s) {
        long total = kernel.equals("im2col") ? nb * s.ckk() * s.ohw() : (long) nb * s.c() * s.h() * s.w();
        if (total == 0) return;
        long imageOffset = (long) n0 * s.c() * s.h() * s.w() * 4;
        Gpu.Kernel f = gpu.function("conv", List.of(), kernel);
        ConvParams p = s.p();
        try (KernelArgs a = new KernelArgs()) {
            KernelArgs args = kernel.equals("im2col")
                    ? a.pointer(CudaBackend.pointer(image) + imageOffset).pointer(CudaBackend.pointer(col))
                    : a.pointer(CudaBackend.pointer(col)).pointer(CudaBackend.pointer(image) + imageOffset);
            gpu.launch(f, blocks(total), THREADS, 0, args.i64(total).i32(s.c()).i32(s.h()).i32(s.w()).i32(s.oh()).i32(s.ow())
                    .i32(s.kh()).i32(s.kw()).i32(p.strideH()).i32(p.strideW()).i32(p.padH()).i32(p.padW()).i32(p.dilationH())
                    .i32(p.dilationW()));
        }
    }

    /** Row-major products {@code C[i] = A[i]·B[i]} for {@code batch} matrices {@code stride} elements apart (0: shared). */
    private boolean gemmBatched(int m, int n, int k, long a, int aRs, int aCs, long aStride, long b, int bRs, int bCs, long bStride,
                                long c, long cStride, int batch) {
        Operand oa = Operand.of(m, k, aRs, aCs), ob = Operand.of(k, n, bRs, bCs);
        if (oa == null || ob == null) return false;
        Gpu.Blas blas = gpu.blas();
        gpu.bind();
        blas.sgemmBatched(ob.op(), oa.op(), n, m, k, 1f, b, ob.ld(), bStride, a, oa.ld(), aStride, 0f, c, Math.max(1, n), cStride, batch);
        return true;
    }

    boolean conv2d(Tensor x, Tensor w, Tensor b, ConvParams p, Tensor out) {
        if (!onThisDevice(x, w, b, out) || !convCase(p, x, w, b, out) || x.dim() != 4 || w.dim() != 4) return false;
        ConvShape s = new ConvShape(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3), out.size(2),
                out.size(3), p);
        if (s.ckk() > Integer.MAX_VALUE || s.ohw() > Integer.MAX_VALUE) return false;
        int ckk = (int) s.ckk(), ohw = (int) s.ohw(), chunk = s.chunk();
        Tensor col = backend.uninitialized(DType.FLOAT32, chunk * ckk * ohw);
        for (int n0 = 0; n0 < s.n(); n0 += chunk) {
            int nb = Math.min(chunk, s.n() - n0);
            lower("im2col", x, n0, nb, col, s);
            long y0 = CudaBackend.pointer(out) + 4L * n0 * s.o() * ohw;
            // y[n] [o, ohw] = W [o, ckk] · col[n] [ckk, ohw]
            if (!gemmBatched(s.o(), ohw, ckk, CudaBackend.pointer(w), ckk, 1, 0, CudaBackend.pointer(col), ohw, 1, (long) ckk * ohw,
                    y0, (long) s.o() * ohw, nb)) {
                return false;
            }
        }
        if (b != null && out.numel() > 0) {
            Gpu.Kernel f = gpu.function("conv", List.of(), "add_channel_bias");
            try (KernelArgs a = new KernelArgs()) {
                gpu.launch(f, blocks(out.numel()), THREADS, 0, a.pointer(CudaBackend.pointer(out))
                        .pointer(CudaBackend.pointer(b)).i64(out.numel()).i32(s.o()).i64(ohw));
            }
        }
        return true;
    }

    boolean conv2dInputGrad(Tensor gradOut, Tensor w, ConvParams p, Tensor gradIn) {
        if (!onThisDevice(gradOut, w, gradIn) || !convCase(p, gradOut, w, gradIn) || gradIn.dim() != 4 || w.dim() != 4) return false;
        ConvShape s = new ConvShape(gradIn.size(0), gradIn.size(1), gradIn.size(2), gradIn.size(3), w.size(0), w.size(2), w.size(3),
                gradOut.size(2), gradOut.size(3), p);
        if (s.ckk() > Integer.MAX_VALUE || s.ohw() > Integer.MAX_VALUE) return false;
        int ckk = (int) s.ckk(), ohw = (int) s.ohw(), chunk = s.chunk();
        Tensor col = backend.uninitialized(DType.FLOAT32, chunk * ckk * ohw);
        for (int n0 = 0; n0 < s.n(); n0 += chunk) {
            int nb = Math.min(chunk, s.n() - n0);
            long g0 = CudaBackend.pointer(gradOut) + 4L * n0 * s.o() * ohw;
            // dcol[n] [ckk, ohw] = Wᵀ [ckk, o] · dy[n] [o, ohw]
            if (!gemmBatched(ckk, ohw, s.o(), CudaBackend.pointer(w), 1, ckk, 0, g0, ohw, 1, (long) s.o() * ohw,
                    CudaBackend.pointer(col), (long) ckk * ohw, nb)) {
                return false;
            }
            lower("col2im", gradIn, n0, nb, col, s);
        }
        return true;
    }

    boolean conv2dWeightGrad(Tensor gradOut, Tensor x, ConvParams p, Tensor gradW) {
        if (!onThisDevice(gradOut, x, gradW) || !convCase(p, gradOut, x, gradW) || x.dim() != 4 || gradW.dim() != 4) return false;
        ConvShape s = new ConvShape(x.size(0), x.size(1), x.size(2), x.size(3), gradW.size(0), gradW.size(2), gradW.size(3),
                gradOut.size(2), gradOut.size(3), p);
        if (s.ckk() > Integer.MAX_VALUE || s.ohw() > Integer.MAX_VALUE) return false;
        int ckk = (int) s.ckk(), ohw = (int) s.ohw(), chunk = s.chunk();
        if (s.n() == 0) return fill(gradW, 0);
        Tensor col = backend.uninitialized(DType.FLOAT32, chunk * ckk * ohw);
        for (int n0 = 0; n0 < s.n(); n0 += chunk) {
            int nb = Math.min(chunk, s.n() - n0);
            lower("im2col", x, n0, nb, col, s);
            for (int i = 0; i < nb; i++) {
                long g = CudaBackend.pointer(gradOut) + 4L * (n0 + i) * s.o() * ohw, c = CudaBackend.pointer(col) + 4L * i * ckk * ohw;
                // dW [o, ckk] (+)= dy[n] [o, ohw] · col[n]ᵀ [ohw, ckk]
                if (!gemm(DType.FLOAT32, s.o(), ckk, ohw, g, ohw, 1, c, 1, ohw, CudaBackend.pointer(gradW), n0 + i > 0)) return false;
            }
        }
        return true;
    }

    // ---- pooling -------------------------------------------------------------------------------

    boolean maxPool2d(Tensor x, Pool2d p, Tensor out, Tensor indices) {
        if (!onThisDevice(x, out, indices) || x.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32
                || indices.dtype() != DType.INT64 || !x.isContiguous() || !out.isContiguous() || !indices.isContiguous()) {
            return false;
        }
        long total = out.numel();
        if (total == 0) return true;
        Gpu.Kernel f = gpu.function("pool", List.of(), "max_pool2d");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(total), THREADS, 0, a.pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(out))
                    .pointer(CudaBackend.pointer(indices)).i64(total).i32(x.size(-2)).i32(x.size(-1)).i32(out.size(-2))
                    .i32(out.size(-1)).i32(p.kernelH()).i32(p.kernelW()).i32(p.strideH()).i32(p.strideW()).i32(p.padH())
                    .i32(p.padW()).i32(p.dilationH()).i32(p.dilationW()));
        }
        return true;
    }

    boolean maxPool2dBackward(Tensor grad, Tensor indices, Tensor dx) {
        if (!onThisDevice(grad, indices, dx) || grad.dtype() != DType.FLOAT32 || dx.dtype() != DType.FLOAT32
                || !grad.isContiguous() || !indices.isContiguous() || !dx.isContiguous()) {
            return false;
        }
        if (!fill(dx, 0)) return false;
        long total = grad.numel();
        if (total == 0) return true;
        Gpu.Kernel f = gpu.function("pool", List.of(), "max_pool2d_backward");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(total), THREADS, 0, a.pointer(CudaBackend.pointer(grad))
                    .pointer(CudaBackend.pointer(indices)).pointer(CudaBackend.pointer(dx)).i64(total)
                    .i32(dx.size(-2) * dx.size(-1)).i32(grad.size(-2) * grad.size(-1)));
        }
        return true;
    }

    /** Dropout's product: the mask's uniform draws become the scale or 0, and out = x · mask. */
    boolean dropout(Tensor x, Tensor mask, double p, Tensor out) {
        if (!onThisDevice(x, mask, out) || !dense(x, mask, out)) return false;
        long n = x.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("dropout", List.of(), "dropout");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(CudaBackend.pointer(x)).pointer(CudaBackend.pointer(mask))
                    .pointer(CudaBackend.pointer(out)).f32((float) p).f32((float) (1.0 / (1.0 - p))));
        }
        return true;
    }

    // ---- optimizer steps ---------------------------------------------------------------------

    private static boolean dense(Tensor... ts) {
        int n = -1;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (t.dtype() != DType.FLOAT32 || !t.isContiguous()) return false;
            if (n >= 0 && t.numel() != n) return false;
            n = t.numel();
        }
        return true;
    }

    private static long ptrOrNull(Tensor t) {
        return t == null ? 0 : CudaBackend.pointer(t);
    }

    boolean adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vmax, AdamStep s) {
        if (!onThisDevice(p, g, m, v, vmax) || !dense(p, g, m, v, vmax)) return false;
        long n = p.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("optim", List.of(), "adam");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(ptrOrNull(p)).pointer(ptrOrNull(g)).pointer(ptrOrNull(m))
                    .pointer(ptrOrNull(v)).pointer(ptrOrNull(vmax)).f32((float) s.decay()).f32((float) s.weightDecay())
                    .f32((float) s.beta1()).f32((float) s.oneMinusBeta1()).f32((float) s.beta2()).f32((float) s.oneMinusBeta2())
                    .f32((float) s.bc2Sqrt()).f32((float) s.eps()).f32((float) s.negStep()).i32(s.decoupled() ? 1 : 0)
                    .i32(s.l2() ? 1 : 0));
        }
        return true;
    }

    boolean adadelta(Tensor p, Tensor g, Tensor sa, Tensor ad, AdadeltaStep s) {
        if (!onThisDevice(p, g, sa, ad) || !dense(p, g, sa, ad)) return false;
        long n = p.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("optim", List.of(), "adadelta");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(ptrOrNull(p)).pointer(ptrOrNull(g))
                    .pointer(ptrOrNull(sa)).pointer(ptrOrNull(ad)).f32((float) s.rho()).f32((float) s.oneMinusRho())
                    .f32((float) s.eps()).f32((float) s.negLr()).f32((float) s.weightDecay()).i32(s.l2() ? 1 : 0));
        }
        return true;
    }

    boolean sgd(Tensor p, Tensor g, Tensor buf, SgdStep s) {
        if (!onThisDevice(p, g, buf) || !dense(p, g, buf)) return false;
        long n = p.numel();
        if (n == 0) return true;
        Gpu.Kernel f = gpu.function("optim", List.of(), "sgd");
        try (KernelArgs a = new KernelArgs()) {
            gpu.launch(f, blocks(n), THREADS, 0, a.i64(n).pointer(ptrOrNull(p)).pointer(ptrOrNull(g)).pointer(ptrOrNull(buf))
                    .f32((float) s.negLr()).f32((float) s.momentum()).f32((float) s.keep()).f32((float) s.weightDecay())
                    .i32(s.decay() ? 1 : 0).i32(s.nesterov() ? 1 : 0).i32(s.first() ? 1 : 0));
        }
        return true;
    }
}
