package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 rows of {@link LayerNormKernels} (and of {@link SoftmaxKernels}' forward) through
 * {@code jdk.incubator.vector}. Layer norm: the floats are
 * widened to doubles lane by lane and every sum and product is taken in double, as the scalar
 * loops do (a group offset by a large constant keeps its variance), a double vector's worth of
 * floats at a time. Only called when the backend runs {@link PanamaKernels}, so a JVM without the
 * vector module never loads this class.
 */
final class PanamaNormKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** As many float lanes as {@link #D} has double lanes. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * Float.SIZE));
    private static final int L = D.length();

    private PanamaNormKernels() {
    }

    private static DoubleVector load(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void store(DoubleVector v, float[] a, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(a, i);
    }

    static void forwardRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo, int n, double eps,
                           double[] mean, int mi, double[] rstd, int ri) {
        int bound = D.loopBound(n), j = 0;
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        for (; j + L < bound; j += 2 * L) {
            s0 = s0.add(load(x, xo + j));
            s1 = s1.add(load(x, xo + j + L));
        }
        if (j < bound) {
            s0 = s0.add(load(x, xo + j));
            j += L;
        }
        double s = laneSum(s0.add(s1));
        for (; j < n; j++) s += x[xo + j];
        double m = s / n;
        DoubleVector mv = DoubleVector.broadcast(D, m);
        s0 = DoubleVector.zero(D);
        s1 = DoubleVector.zero(D);
        for (j = 0; j + L < bound; j += 2 * L) {
            DoubleVector d0 = load(x, xo + j).sub(mv), d1 = load(x, xo + j + L).sub(mv);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
        }
        if (j < bound) {
            DoubleVector d0 = load(x, xo + j).sub(mv);
            s0 = d0.fma(d0, s0);
            j += L;
        }
        double v = laneSum(s0.add(s1));
        for (; j < n; j++) v += (x[xo + j] - m) * (x[xo + j] - m);
        double rs = 1 / Math.sqrt(v / n + eps);
        mean[mi] = m;
        rstd[ri] = rs;
        DoubleVector rv = DoubleVector.broadcast(D, rs);
        for (j = 0; j < bound; j += L) {
            DoubleVector t = load(x, xo + j).sub(mv).mul(rv);
            if (w != null) t = t.mul(load(w, wo + j));
            if (b != null) t = t.add(load(b, bo + j));
            store(t, y, yo + j);
        }
        for (; j < n; j++) {
            double t = (x[xo + j] - m) * rs;
            if (w != null) t *= w[wo + j];
            if (b != null) t += b[bo + j];
            y[yo + j] = (float) t;
        }
    }

    static void backwardRow(float[] g, int go, float[] x, int xo, double m, double rs, float[] w, int wo,
                            float[] dx, int dxo, double[] pw, double[] pb, int po, int n) {
        int bound = D.loopBound(n), j = 0;
        DoubleVector mv = DoubleVector.broadcast(D, m), rv = DoubleVector.broadcast(D, rs);
        DoubleVector sg = DoubleVector.zero(D), sgx = DoubleVector.zero(D);
        for (; j < bound; j += L) {
            DoubleVector gj = load(g, go + j), xh = load(x, xo + j).sub(mv).mul(rv);
            DoubleVector gw = w == null ? gj : gj.mul(load(w, wo + j));
            sg = sg.add(gw);
            sgx = gw.fma(xh, sgx);
            if (pw != null) gj.fma(xh, DoubleVector.fromArray(D, pw, po + j)).intoArray(pw, po + j);
            if (pb != null) gj.add(DoubleVector.fromArray(D, pb, po + j)).intoArray(pb, po + j);
        }
        double a = laneSum(sg), c = laneSum(sgx);
        for (; j < n; j++) {
            double gj = g[go + j], xh = (x[xo + j] - m) * rs, gw = w == null ? gj : gj * w[wo + j];
            a += gw;
            c += gw * xh;
            if (pw != null) pw[po + j] += gj * xh;
            if (pb != null) pb[po + j] += gj;
        }
        if (dx == null) return;
        a /= n;
        c /= n;
        DoubleVector av = DoubleVector.broadcast(D, a), cv = DoubleVector.broadcast(D, c);
        for (j = 0; j < bound; j += L) {
            DoubleVector gj = load(g, go + j), xh = load(x, xo + j).sub(mv).mul(rv);
            DoubleVector gw = w == null ? gj : gj.mul(load(w, wo + j));
            store(gw.sub(av).sub(xh.mul(cv)).mul(rv), dx, dxo + j);
        }
        for (; j < n; j++) {
            double gj = g[go + j], xh = (x[xo + j] - m) * rs, gw = w == null ? gj : gj * w[wo + j];
            dx[dxo + j] = (float) (rs * (gw - a - xh * c));
        }
    }

    /** Floats per vector for {@link #softmaxRow}, which works in float lanes throughout. */
    private static final VectorSpecies<Float> FP = FloatVector.SPECIES_PREFERRED;

    /**
     * One row of {@link SoftmaxKernels}' float32 forward: {@code exp} on whole vectors
     * ({@link PanamaFloatMath}, within 2 ulps; a scalar {@code Math.exp} costs most of a row),
     * the sum over float lanes as torch's CPU kernel sums.
     */
    static void softmaxRow(float[] x, int xo, float[] y, int yo, int n) {
        int lanes = FP.length(), bound = FP.loopBound(n), j;
        float s = expShiftedSum(x, xo, y, yo, n, rowMax(x, xo, n));
        FloatVector sv = FloatVector.broadcast(FP, s);
        for (j = 0; j < bound; j += lanes) FloatVector.fromArray(FP, y, yo + j).div(sv).intoArray(y, yo + j);
        for (; j < n; j++) y[yo + j] /= s;
    }

    /** {@code y = exp(x − m)} over a row, and its sum: vector lanes, then the lanes left to right, then the tail. */
    private static float expShiftedSum(float[] x, int xo, float[] y, int yo, int n, float m) {
        int lanes = FP.length(), bound = FP.loopBound(n), j;
        FloatVector shift = FloatVector.broadcast(FP, m), acc = FloatVector.zero(FP);
        for (j = 0; j < bound; j += lanes) FloatVector.fromArray(FP, x, xo + j).sub(shift).intoArray(y, yo + j);
        for (; j < n; j++) y[yo + j] = x[xo + j] - m;
        PanamaFloatMath.exp(y, yo, n);
        for (j = 0; j < bound; j += lanes) acc = acc.add(FloatVector.fromArray(FP, y, yo + j));
        float s = laneSum(acc);
        for (; j < n; j++) s += y[yo + j];
        return s;
    }

    /**
     * The lanes summed left to right: {@code reduceLanes(ADD)} leaves the order open, and C2's
     * intrinsic adds in another order than the interpreter, so a row's sum changed when the
     * kernel got compiled and a seeded run was not repeatable.
     */
    private static float laneSum(FloatVector acc) {
        float s = acc.lane(0);
        for (int l = 1; l < FP.length(); l++) s += acc.lane(l);
        return s;
    }

    /** The same for the double accumulators of the LayerNorm rows. */
    private static double laneSum(DoubleVector acc) {
        double s = acc.lane(0);
        for (int l = 1; l < L; l++) s += acc.lane(l);
        return s;
    }

    /** A row's maximum, 0 when it is infinite (as torch, so that a row of -inf gives NaN). */
    private static float rowMax(float[] x, int xo, int n) {
        int lanes = FP.length(), bound = FP.loopBound(n), j = 0;
        FloatVector mv = FloatVector.broadcast(FP, Float.NEGATIVE_INFINITY);
        for (; j < bound; j += lanes) mv = mv.max(FloatVector.fromArray(FP, x, xo + j));
        float m = mv.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) m = Math.max(m, x[xo + j]);
        return Float.isInfinite(m) ? 0 : m;
    }

    /** One row of {@link SoftmaxKernels}' float32 log-softmax: the sum of {@code exp(x − m)} on whole vectors, then one subtraction. */
    static void logSoftmaxRow(float[] x, int xo, float[] y, int yo, int n) {
        int lanes = FP.length(), bound = FP.loopBound(n), j;
        float m = rowMax(x, xo, n);
        FloatVector shiftV = FloatVector.broadcast(FP, m);
        // exp(x − m) goes into y first (y is written again below from x, so y must not overlap x)
        float s = expShiftedSum(x, xo, y, yo, n, m);
        float logSum = (float) Math.log(s);   // y = (x − m) − log Σ, two roundings as torch's kernel
        FloatVector lv = FloatVector.broadcast(FP, logSum);
        for (j = 0; j < bound; j += lanes) FloatVector.fromArray(FP, x, xo + j).sub(shiftV).sub(lv).intoArray(y, yo + j);
        for (; j < n; j++) y[yo + j] = (x[xo + j] - m) - logSum;
    }

    /** One row of the float32 log-softmax backward: {@code dx = g − exp(y)·Σ g}, {@code exp} on whole vectors. */
    static void logSoftmaxBackwardRow(float[] y, int yo, float[] g, int go, float[] dx, int dxo, int n) {
        int lanes = FP.length(), bound = FP.loopBound(n), j;
        double sum = 0;   // in double: Σ g cancels (a loss's gradient sums to about 0 per row)
        for (j = 0; j < n; j++) sum += g[go + j];
        float s = (float) sum;
        FloatVector sv = FloatVector.broadcast(FP, s);
        System.arraycopy(y, yo, dx, dxo, n);
        PanamaFloatMath.exp(dx, dxo, n);
        for (j = 0; j < bound; j += lanes) {
            FloatVector.fromArray(FP, g, go + j).sub(FloatVector.fromArray(FP, dx, dxo + j).mul(sv)).intoArray(dx, dxo + j);
        }
        for (; j < n; j++) dx[dxo + j] = g[go + j] - dx[dxo + j] * s;
    }

    /**
     * {@link #logSoftmaxBackwardRow} at a gradient row that is zero but for {@code v} at column
     * {@code c}: the same exponentials and products, subtracted from 0 and, at {@code c}, from {@code v}.
     */
    static void logSoftmaxBackwardOneHotRow(float[] y, int yo, int c, float v, float[] dx, int dxo, int n) {
        int lanes = FP.length(), bound = FP.loopBound(n), j;
        float s = (float) (0.0 + v);
        FloatVector sv = FloatVector.broadcast(FP, s), zero = FloatVector.zero(FP);
        System.arraycopy(y, yo, dx, dxo, n);
        PanamaFloatMath.exp(dx, dxo, n);
        float ec = dx[dxo + c];
        for (j = 0; j < bound; j += lanes) {
            zero.sub(FloatVector.fromArray(FP, dx, dxo + j).mul(sv)).intoArray(dx, dxo + j);
        }
        for (; j < n; j++) dx[dxo + j] = 0f - dx[dxo + j] * s;
        dx[dxo + c] = v - ec * s;
    }
}
