package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
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
 * results at 0, ±∞, NaN, overflow and underflow. Every element, the tail included (masked
 * lanes), is computed by the same formula, so a result does not depend on where it lies in the run.
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
        for (; i < bound; i += L) exp(DoubleVector.fromArray(D, a, off + i)).intoArray(a, off + i);
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            exp(DoubleVector.fromArray(D, a, off + i, m)).intoArray(a, off + i, m);
        }
    }

    /** {@code a[off..off+n) = 1 / (1 + exp(-a[..]))}. */
    static void sigmoid(double[] a, int off, int n) {
        int i = 0, bound = D.loopBound(n);
        for (; i < bound; i += L) sigmoid(DoubleVector.fromArray(D, a, off + i)).intoArray(a, off + i);
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            sigmoid(DoubleVector.fromArray(D, a, off + i, m)).intoArray(a, off + i, m);
        }
    }

    /** {@code a[off..off+n) = tanh(a[..])}. */
    static void tanh(double[] a, int off, int n) {
        int i = 0, bound = D.loopBound(n);
        for (; i < bound; i += L) tanh(DoubleVector.fromArray(D, a, off + i)).intoArray(a, off + i);
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            tanh(DoubleVector.fromArray(D, a, off + i, m)).intoArray(a, off + i, m);
        }
    }

    private static DoubleVector sigmoid(DoubleVector x) {
        return DoubleVector.broadcast(D, 1.0).div(exp(x.neg()).add(1.0));
    }

    static DoubleVector exp(DoubleVector x) {
        // below -746 the result rounds to 0, above 710 it overflows; clamping keeps n in range (NaN stays NaN)
        x = x.max(-746.0).min(710.0);
        DoubleVector n = x.mul(LOG2E).add(SHIFT).sub(SHIFT);
        DoubleVector r = x.sub(n.mul(C1)).sub(n.mul(C2));
        DoubleVector rr = r.mul(r);
        DoubleVector p = r.mul(rr.mul(P0).add(P1).mul(rr).add(P2));
        DoubleVector q = rr.mul(Q0).add(Q1).mul(rr).add(Q2).mul(rr).add(Q3);
        DoubleVector e = p.div(q.sub(p)).mul(2.0).add(1.0);
        // 2ⁿ as two factors, each a normal double, so that subnormal results and overflow come out right
        DoubleVector n1 = n.mul(0.5).add(SHIFT).sub(SHIFT), n2 = n.sub(n1);
        return e.mul(pow2(n1)).mul(pow2(n2));
    }

    /** 2ⁿ for an integral n in [-1022, 1023]: its biased exponent shifted into place. */
    private static DoubleVector pow2(DoubleVector n) {
        return n.add(MAGIC).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector ax = x.abs();
        DoubleVector t = exp(ax.mul(-2.0));
        DoubleVector large = t.neg().add(1.0).div(t.add(1.0));
        large = large.reinterpretAsLongs().or(x.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles();
        DoubleVector s = x.mul(x);
        DoubleVector small = x.add(x.mul(s).mul(s.mul(T0).add(T1).mul(s).add(T2)).div(s.add(U0).mul(s).add(U1).mul(s).add(U2)));
        // tanh(-0) = -0: the rational form would give +0
        return large.blend(small, ax.compare(VectorOperators.LT, 0.625)).blend(x, ax.compare(VectorOperators.EQ, 0.0));
    }
}
