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

    static void unary(UnaryOp op, long[] x, long[] o, int[] shape, int[][] st, int[] offs) {
        Strided.forEachRow(shape, st, offs, (p, in, n) -> {
            for (int i = 0; i < n; i++) {
                long v = x[p[0] + i * in[0]];
                o[p[1] + i * in[1]] = switch (op) {
                    case COPY -> v;
                    case NEG -> -v;
                    case ABS -> Math.abs(v);
                    case SIGN -> Long.signum(v);
                    case RELU -> Math.max(v, 0);
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
                    default -> throw new IllegalArgumentException(op + " is not defined for int64 tensors");
                };
            }
        });
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
