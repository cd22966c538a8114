package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp}, the sigmoid and {@code tanh} of doubles, several lanes at a time, in place over a
 * run of an array. The Vector API's own {@code EXP} and {@code TANH} are compiled to SIMD code for
 * floats only: on doubles they fall back to one lane at a time and take longer than {@link Math}.
 * These are Cephes' double-precision algorithms (S. L. Moshier): {@code exp} reduces the argument
 * by a multiple of ln 2 and evaluates a Padé form on [-ln2/2, ln2/2]; {@code tanh} takes a rational
 * function of x² below 0.625 and {@code (1 - e^-2|x|) / (1 + e^-2|x|)} above. Within 3 ulps of
 * {@link StrictMath} over the whole range (measured in {@code PanamaDoubleMathTest}), with its
 * results at 0, ±∞, NaN, overflow and underflow. Only IEEE additions, multiplications and
 * divisions: the same bits interpreted or compiled. A run's tail is computed by the same operations
 * on single doubles, so an element's result does not depend on its place. Each loop has the
 * formulas written out, with no call that takes or returns a vector (see {@link PanamaFloatMath}).
 *
 * <p>Only reached when {@link VectorizationProvider} chose the SIMD kernels.
 */
final class PanamaDoubleMath {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = D.length();

    private static final double LOG2E = 1.4426950408889634073599;
    /** ln 2 in two parts: C1 has few bits, so {@code n·C1} is exact for the n that occur. */
    private static final double C1 = 6.93145751953125E-1, C2 = 1.42860682030941723212E-6;
    private static final double P0 = 1.26177193074810590878E-4, P1 = 3.02994407707441961300E-2, P2 = 9.99999999999999999910E-1;
    private static final double Q0 = 3.00198505138664455042E-6, Q1 = 2.52448340349684104192E-3,
            Q2 = 2.27265548208155028766E-1, Q3 = 2.00000000000000000009E0;
    /** Adding and subtracting 1.5·2⁵² rounds a double below 2⁵¹ to an integer (nearest, ties to even). */
    private static final double SHIFT = 0x1.8p52;
    /** {@code n + MAGIC} has {@code n + 1023}, the biased exponent of 2ⁿ, in its low bits. */
    private static final double MAGIC = 0x1.8p52 + 1023;
    private static final double T0 = -9.64399179425052238628E-1, T1 = -9.92877231001918586564E1, T2 = -1.61468768441708447952E3;
    private static final double U0 = 1.12811678491632931402E2, U1 = 2.23548839060100448583E3, U2 = 4.84406305325125486048E3;

    private PanamaDoubleMath() {
    }

    /** {@code a[off..off+n) = exp(a[..])}. */
    static void exp(double[] a, int off, int n) {
        int i = 0, bound = D.loopBound(n);
        for (; i < bound; i += L) {
            DoubleVector xe = DoubleVector.fromArray(D, a, off + i).max(-746.0).min(710.0);
            DoubleVector nv = xe.mul(LOG2E).add(SHIFT).sub(SHIFT);
            DoubleVector r = xe.sub(nv.mul(C1)).sub(nv.mul(C2));
            DoubleVector rr = r.mul(r);
            DoubleVector p = r.mul(rr.mul(P0).add(P1).mul(rr).add(P2));
            DoubleVector q = rr.mul(Q0).add(Q1).mul(rr).add(Q2).mul(rr).add(Q3);
            DoubleVector e = p.div(q.sub(p)).mul(2.0).add(1.0);
            DoubleVector n1 = nv.mul(0.5).add(SHIFT).sub(SHIFT), n2 = nv.sub(n1);
            DoubleVector y = e.mul(n1.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(n2.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            y.intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = exp(a[off + i]);
    }

    /** {@code a[off..off+n) = 1 / (1 + exp(-a[..]))}. */
    static void sigmoid(double[] a, int off, int n) {
        int i = 0, bound = D.loopBound(n);
        for (; i < bound; i += L) {
            DoubleVector xe = DoubleVector.fromArray(D, a, off + i).neg().max(-746.0).min(710.0);
            DoubleVector nv = xe.mul(LOG2E).add(SHIFT).sub(SHIFT);
            DoubleVector r = xe.sub(nv.mul(C1)).sub(nv.mul(C2));
            DoubleVector rr = r.mul(r);
            DoubleVector p = r.mul(rr.mul(P0).add(P1).mul(rr).add(P2));
            DoubleVector q = rr.mul(Q0).add(Q1).mul(rr).add(Q2).mul(rr).add(Q3);
            DoubleVector e = p.div(q.sub(p)).mul(2.0).add(1.0);
            DoubleVector n1 = nv.mul(0.5).add(SHIFT).sub(SHIFT), n2 = nv.sub(n1);
            DoubleVector ex = e.mul(n1.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(n2.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            DoubleVector.broadcast(D, 1.0).div(ex.add(1.0)).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = sigmoid(a[off + i]);
    }

    /** {@code a[off..off+n) = tanh(a[..])}. */
    static void tanh(double[] a, int off, int n) {
        int i = 0, bound = D.loopBound(n);
        for (; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(D, a, off + i), ax = x.abs();
            DoubleVector xe = ax.mul(-2.0).max(-746.0).min(710.0);
            DoubleVector nv = xe.mul(LOG2E).add(SHIFT).sub(SHIFT);
            DoubleVector r = xe.sub(nv.mul(C1)).sub(nv.mul(C2));
            DoubleVector rr = r.mul(r);
            DoubleVector p = r.mul(rr.mul(P0).add(P1).mul(rr).add(P2));
            DoubleVector q = rr.mul(Q0).add(Q1).mul(rr).add(Q2).mul(rr).add(Q3);
            DoubleVector e = p.div(q.sub(p)).mul(2.0).add(1.0);
            DoubleVector n1 = nv.mul(0.5).add(SHIFT).sub(SHIFT), n2 = nv.sub(n1);
            DoubleVector t = e.mul(n1.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(n2.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            DoubleVector large = t.neg().add(1.0).div(t.add(1.0));
            large = large.reinterpretAsLongs().or(x.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles();
            DoubleVector s = x.mul(x);
            DoubleVector small = x.add(x.mul(s).mul(s.mul(T0).add(T1).mul(s).add(T2)).div(s.add(U0).mul(s).add(U1).mul(s).add(U2)));
            // tanh(-0) = -0: the rational form would give +0
            large.blend(small, ax.compare(VectorOperators.LT, 0.625)).blend(x, ax.compare(VectorOperators.EQ, 0.0)).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = tanh(a[off + i]);
    }

    /** The same operations on one double, for a run's tail (the same bits as a lane). */
    static double exp(double x) {
        x = Math.min(Math.max(x, -746.0), 710.0);
        double n = x * LOG2E + SHIFT - SHIFT;
        double r = x - n * C1 - n * C2;
        double rr = r * r;
        double p = r * ((P0 * rr + P1) * rr + P2);
        double q = ((Q0 * rr + Q1) * rr + Q2) * rr + Q3;
        double e = p / (q - p) * 2.0 + 1.0;
        double n1 = n * 0.5 + SHIFT - SHIFT, n2 = n - n1;
        return e * pow2(n1) * pow2(n2);
    }

    private static double pow2(double n) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(n + MAGIC) << 52);
    }

    static double sigmoid(double x) {
        return 1.0 / (exp(-x) + 1.0);
    }

    static double tanh(double x) {
        double ax = Math.abs(x);
        if (ax == 0.0 || x != x) return x;
        if (ax < 0.625) {
            double s = x * x;
            return x + x * s * ((T0 * s + T1) * s + T2) / (((s + U0) * s + U1) * s + U2);
        }
        double t = exp(ax * -2.0);
        double large = (1.0 - t) / (t + 1.0);
        return x < 0 ? -large : large;
    }
}
