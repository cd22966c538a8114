package dev.antorcha.backend.cpu;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Loops for int64 tensors (labels, indices) and dtype conversions. Not a hot path: class
 * labels are counted and compared, not multiplied by matrices, so there is no SIMD form.
 */
final class LongLoops {
    private LongLoops() {
    }

    static void unary(UnaryOp op, long[] x, long[] o, int[] shape, int[][] st, int[] offs, double p0, double p1) {
        // Java's (long) of an infinite bound saturates, so clampMin's +inf max means no upper bound
        long lo = (long) p0, hi = (long) p1;
        Strided.forEachRow(shape, st, offs, (p, in, n) -> {
            for (int i = 0; i < n; i++) {
                long v = x[p[0] + i * in[0]];
                o[p[1] + i * in[1]] = switch (op) {
                    case COPY -> v;
                    case NEG -> -v;
                    case ABS -> Math.abs(v);
                    case SIGN -> Long.signum(v);
                    case RELU -> Math.max(v, 0);
                    case CLAMP -> Math.min(Math.max(v, lo), hi);   // min > max gives max, as torch.clamp
                    case POW_SCALAR -> powi(v, lo);
                    default -> throw new IllegalArgumentException(op + " is not defined for int64 tensors");
                };
            }
        });
    }

    static void binary(BinaryOp op, long[] a, long[] b, Tensor out, int[] shape, int[][] st, int[] offs) {
        if (op.isComparison()) {
            float[] o = CpuStorage.floats(out);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) {
                    long x = a[p[0] + i * in[0]], y = b[p[1] + i * in[1]];
                    boolean r = switch (op) {
                        case EQ -> x == y;
                        case NE -> x != y;
                        case LT -> x < y;
                        case LE -> x <= y;
                        case GT -> x > y;
                        default -> x >= y;
                    };
                    o[p[2] + i * in[2]] = r ? 1f : 0f;
                }
            });
            return;
        }
        long[] o = CpuStorage.longs(out);
        Strided.forEachRow(shape, st, offs, (p, in, n) -> {
            for (int i = 0; i < n; i++) {
                long x = a[p[0] + i * in[0]], y = b[p[1] + i * in[1]];
                o[p[2] + i * in[2]] = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case MAXIMUM -> Math.max(x, y);
                    case MINIMUM -> Math.min(x, y);
                    case POW -> powi(x, y);
                    default -> throw new IllegalArgumentException(op + " is not defined for int64 tensors");
                };
            }
        });
    }

    /**
     * PyTorch's integer power (ATen's {@code powi}): squaring with two's-complement wrap-around; a
     * negative exponent gives 1 for a base of 1, ±1 for -1 and 0 otherwise (the ops refuse a
     * negative scalar exponent before it gets here, as PyTorch does).
     */
    static long powi(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            return 0;
        }
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) result *= base;
            exp >>= 1;
            base *= base;
        }
        return result;
    }

    /** {@code out[pos] = x[pos with dim := index[pos]]} for an int64 {@code x}, bounds as {@link Indexing#gather}. */
    static void gather(Tensor x, int dim, Tensor index, Tensor out) {
        dev.antorcha.tensor.Layout li = index.layout(), lx = x.layout(), lo = out.layout();
        int size = lx.shape()[dim];
        long[] idx = CpuStorage.longs(index), xs = CpuStorage.longs(x), os = CpuStorage.longs(out);
        int rank = li.rank(), n = li.numel();
        int[] pos = new int[rank];
        for (int e = 0; e < n; e++) {
            int io = li.offset(), xo = lx.offset(), oo = lo.offset();
            for (int d = 0; d < rank; d++) {
                io += pos[d] * li.strides()[d];
                oo += pos[d] * lo.strides()[d];
                if (d != dim) xo += pos[d] * lx.strides()[d];
            }
            long j = idx[io];
            if (j < 0 || j >= size) {
                throw new IndexOutOfBoundsException("index " + j + " is out of bounds for dimension "
                        + dim + " with size " + size);
            }
            os[oo] = xs[xo + (int) j * lx.strides()[dim]];
            for (int d = rank - 1; d >= 0 && ++pos[d] == li.shape()[d]; d--) pos[d] = 0;
        }
    }

    /** Copies with conversion: float→int64 truncates toward zero (like {@code .long()}), →bool is {@code != 0}. */
    static void convert(Tensor src, Tensor dst, int[] shape, int[][] st, int[] offs) {
        DType to = dst.dtype();
        if (src.dtype() == DType.INT64) {
            long[] s = CpuStorage.longs(src);
            float[] d = CpuStorage.floats(dst);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) {
                    long v = s[p[0] + i * in[0]];
                    d[p[1] + i * in[1]] = to == DType.BOOL ? (v != 0 ? 1f : 0f) : (float) v;
                }
            });
        } else if (to == DType.INT64) {
            float[] s = CpuStorage.floats(src);
            long[] d = CpuStorage.longs(dst);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = (long) s[p[0] + i * in[0]];
            });
        } else {
            float[] s = CpuStorage.floats(src), d = CpuStorage.floats(dst);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]] != 0 ? 1f : 0f;
            });
        }
    }
}
