package dev.antorcha.cuda;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.ReduceOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.util.List;

/**
 * The CUDA backend's element-wise kernels, copies, fills, sums and row kernels (log-softmax, the
 * fused cross-entropy, arg max); {@link CudaProducts} has the products, {@link CudaSteps} pooling,
 * dropout, an LSTM step and the optimizers' steps, {@link CudaIndexing} the gathers and scatters.
 * Each method returns {@code false} (or −1) when its kernels do not cover the case (a dtype, a
 * layout, more than 8 dimensions), and the backend then runs the op on the host. Kernels read operands through their strides (see
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

    static boolean floating(DType d) {
        return d == DType.FLOAT32 || d == DType.FLOAT64;
    }

    static long base(Tensor t) {
        return ((CudaStorage) t.storage()).pointer;
    }

    static boolean onThisDevice(Tensor... ts) {
        for (Tensor t : ts) if (t != null && !(t.storage() instanceof CudaStorage)) return false;
        return true;
    }

    static int blocks(long n) {
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

    /** Sums of float32 or float64 over {@code dims} into a contiguous {@code out}: kept dims first, summed ones innermost. */
    boolean sum(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        DType type = x.dtype();
        if (op != ReduceOp.SUM || !onThisDevice(x, out) || !floating(type) || out.dtype() != type || !out.isContiguous()) return false;
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
            Tensor tmp = backend.uninitialized(type, permuted.shape());
            if (!convert(x.viewOf(permuted), tmp)) return false;
            src = tmp;
        } else {
            src = x.viewOf(permuted);
        }
        if (outer > Integer.MAX_VALUE) return false;
        Gpu.Kernel f = type == DType.FLOAT32 ? gpu.function("rows", List.of(), "sum_inner")
                : gpu.function("index", List.of(), "sum_inner_double");
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

    // ---- rows ------------------------------------------------------------------------------------

    static boolean rowsOf(Tensor... ts) {
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

}
