package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.SgdStep;
import dev.antorcha.backend.UnaryOp;

/**
 * The float64 kernels: every value is read, computed and written as a double, so a float64
 * program keeps its 53 bits from input to result (nothing is rounded to float32 on the way).
 * Plain loops with the semantics of {@link ScalarKernels}: float64 is for accuracy (gradient
 * checks, PyTorch's double-precision examples), not for speed, and the float32 kernels stay
 * exactly as they were.
 */
final class DoubleLoops {
    private DoubleLoops() {
    }

    static void unary(UnaryOp op, double[] x, int xo, int xs, double[] o, int oo, int os, int n, double p0, double p1) {
        if (op == UnaryOp.COPY && xs == 1 && os == 1) {
            System.arraycopy(x, xo, o, oo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            double v = x[xo + i * xs];
            o[oo + i * os] = switch (op) {
                case COPY -> v;
                case NEG -> -v;
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case SQRT -> Math.sqrt(v);
                case ABS -> Math.abs(v);
                case RELU -> Math.max(v, 0.0);
                case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                case CLAMP -> Math.min(Math.max(v, p0), p1);
                case POW_SCALAR -> p0 == 2 ? v * v : Math.pow(v, p0);
                case SIGN -> Math.signum(v);
                case ERF -> Erf.erf(v);
            };
        }
    }

    /** {@code o = a op b}; comparisons go through {@link #compare} (their output is a bool mask). */
    static void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs,
                       double[] o, int oo, int os, int n) {
        if (as == 1 && bs == 1 && os == 1 && unitStride(op, a, ao, b, bo, o, oo, n)) return;
        for (int i = 0; i < n; i++) {
            double x = a[ao + i * as], y = b[bo + i * bs];
            o[oo + i * os] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case POW -> Math.pow(x, y);
                case MAXIMUM -> Math.max(x, y);
                case MINIMUM -> Math.min(x, y);
                case MASK_POSITIVE -> y <= 0 ? 0.0 : x;
                default -> throw new IllegalArgumentException(op + " gives a mask, not float64 values");
            };
        }
    }

    /**
     * The four arithmetic ops on contiguous runs, one plain loop each, which the JIT compiles to
     * SIMD instructions (the general loop above, strided and with the op chosen per element, it
     * does not); the same IEEE operations element by element, so the same results.
     */
    private static boolean unitStride(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
            }
            case SUB -> {
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
            }
            case MUL -> {
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
            }
            case DIV -> {
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A comparison of doubles into a bool mask (stored as 0/1 floats). */
    static void compare(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs,
                        float[] o, int oo, int os, int n) {
        for (int i = 0; i < n; i++) {
            double x = a[ao + i * as], y = b[bo + i * bs];
            boolean r = switch (op) {
                case EQ -> x == y;
                case NE -> x != y;
                case LT -> x < y;
                case LE -> x <= y;
                case GT -> x > y;
                case GE -> x >= y;
                default -> throw new IllegalArgumentException(op + " is not a comparison");
            };
            o[oo + i * os] = r ? 1f : 0f;
        }
    }

    /** The sum of {@code x[off..off+n)} in double, four interleaved partial sums. */
    static double sum(double[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[off + i];
            s1 += x[off + i + 1];
            s2 += x[off + i + 2];
            s3 += x[off + i + 3];
        }
        double s = (s0 + s1) + (s2 + s3);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /**
     * The sums of the {@code cols} columns of a row-major {@code [len, cols]} block into
     * {@code o[oOff..]}: for each column, {@link #sum} of its run of {@code len} values (the same four
     * interleaved partial sums, so the same bits), without copying the columns out first.
     */
    static void sumLeading(double[] x, int off, int len, int cols, double[] o, int oOff) {
        double[] s = new double[4 * cols];   // s0, s1, s2, s3 of every column
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            int r0 = off + i * cols;
            for (int q = 0; q < 4; q++) {
                int r = r0 + q * cols, d = q * cols;
                for (int j = 0; j < cols; j++) s[d + j] += x[r + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            double v = (s[j] + s[cols + j]) + (s[2 * cols + j] + s[3 * cols + j]);
            for (int r = i; r < len; r++) v += x[off + r * cols + j];
            o[oOff + j] = v;
        }
    }

    /** {@link #sum} of the squares of {@code x[off..off+n)}, each computed in double: the same partial sums, so its bits. */
    static double sumOfSquares(float[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double a = x[off + i], b = x[off + i + 1], c = x[off + i + 2], d = x[off + i + 3];
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        double s = (s0 + s1) + (s2 + s3);
        for (; i < n; i++) {
            double a = x[off + i];
            s += a * a;
        }
        return s;
    }

    /** The max (or min) of a non-empty run; a NaN wins, as in PyTorch. */
    static double max(double[] x, int off, int n, boolean min) {
        double m = x[off];
        for (int i = 1; i < n; i++) {
            double v = x[off + i];
            if (v != v) return v;
            m = min ? Math.min(m, v) : Math.max(m, v);
        }
        return m;
    }

    /** PyTorch 1.13's single-tensor Adam over {@code p[from..to)}, every coefficient a double. */
    static void adam(double[] p, double[] g, double[] m, double[] v, double[] vmax, int from, int to, AdamStep s) {
        for (int i = from; i < to; i++) {
            double pi = s.decoupled() ? p[i] * s.decay() : p[i];
            double gi = s.l2() ? g[i] + pi * s.weightDecay() : g[i];
            double mi = m[i] * s.beta1() + gi * s.oneMinusBeta1();
            double vi = v[i] * s.beta2() + s.oneMinusBeta2() * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) vi = vmax[i] = Math.max(vmax[i], vi);
            double denom = Math.sqrt(vi) / s.bc2Sqrt() + s.eps();
            p[i] = pi + s.negStep() * mi / denom;
        }
    }

    /** One SGD step over {@code p[0..n)} in double (see {@link SgdStep}). */
    static void sgd(double[] p, double[] g, double[] buf, int n, SgdStep s) {
        for (int i = 0; i < n; i++) {
            double d = s.decay() ? g[i] + p[i] * s.weightDecay() : g[i];
            if (buf != null) {
                buf[i] = s.first() ? d : buf[i] * s.momentum() + d * s.keep();
                d = s.nesterov() ? d + buf[i] * s.momentum() : buf[i];
            }
            p[i] = p[i] + d * s.negLr();
        }
    }

    /** Cross-entropy rows of the dense {@code x [n, c]}; see {@code FusedKernels.rowLosses}. */
    static int rowLosses(double[] xv, long[] t, int n, int c, long ignoreIndex, double[] loss, double[] logSumExp) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, xv[row + j]);
            if (Double.isInfinite(m)) m = 0;
            double s = 0;
            for (int j = 0; j < c; j++) s += Math.exp(xv[row + j] - m);
            double log = Math.log(s);
            logSumExp[i] = m + log;
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= c) {
                throw new IllegalArgumentException("Target " + t[i] + " is out of bounds (" + c + " classes).");
            }
            loss[i] = -((xv[row + (int) t[i]] - m) - log);
            count++;
        }
        return count;
    }

    /** {@code dv = scale · (softmax - onehot)} per counted row; ignored rows stay 0. */
    static void rowGrads(double[] xv, long[] t, int n, int c, long ignoreIndex, double[] logSumExp, double[] gv, int go,
                         int reduction, int counted, double[] dv) {
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) continue;
            double scale = reduction == 0 ? gv[go + i] : reduction == 1 ? gv[go] / counted : gv[go];
            int row = i * c;
            for (int j = 0; j < c; j++) dv[row + j] = scale * Math.exp(xv[row + j] - logSumExp[i]);
            dv[row + (int) t[i]] -= scale;
        }
    }
}
