package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp}, the sigmoid and {@code tanh} of floats, several lanes at a time, from additions,
 * multiplications and divisions only. The Vector API's own {@code EXP} and {@code TANH} give one
 * result before the JIT has compiled the calling loop (each lane through {@link Math}) and another
 * after (the compiled SIMD routine, within an ulp or so but not the same bits), so a kernel using
 * them gave different numbers depending on when it got compiled: the same seed did not give the
 * same training run. These are Cephes' single-precision algorithms (S. L. Moshier), whose IEEE
 * operations give the same bits interpreted or compiled: {@code exp} reduces the argument by a
 * multiple of ln 2 and evaluates a polynomial on [-ln2/2, ln2/2]; {@code tanh} takes an odd
 * polynomial below 0.625 and {@code (1 - e^-2|x|) / (1 + e^-2|x|)} above. Within 2 ulps of the
 * correctly rounded results (measured in {@code PanamaFloatMathTest}), with their values at 0, ±∞,
 * NaN, overflow and underflow; the sigmoid is {@code 1 / (1 + exp(-x))} in float, as PyTorch's
 * vectorized one, so it is 0 below -88.7 where {@code exp(-x)} overflows. The tail of a run is computed in masked lanes by the same formula.
 *
 * <p>Only reached when {@link VectorizationProvider} chose the SIMD kernels.
 */
final class PanamaFloatMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts: C1 has few bits, so {@code n·C1} is exact for the n that occur. */
    private static final float C1 = 0.693359375f, C2 = -2.12194440e-4f;
    private static final float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f, P3 = 4.1665795894E-2f,
            P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;
    /** Adding and subtracting 1.5·2²³ rounds a float below 2²² to an integer (nearest, ties to even). */
    private static final float SHIFT = 0x1.8p23f;
    /** {@code n + MAGIC} has {@code n + 127}, the biased exponent of 2ⁿ, in its low bits. */
    private static final float MAGIC = 0x1.8p23f + 127;
    private static final float T0 = -5.70498872745E-3f, T1 = 2.06390887954E-2f, T2 = -5.37397155531E-2f, T3 = 1.33314422036E-1f,
            T4 = -3.33332819422E-1f;

    private PanamaFloatMath() {
    }

    /** {@code a[off..off+n) = exp(a[..])}. */
    static void exp(float[] a, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector xe = FloatVector.fromArray(S, a, off + i).max(-104f).min(88.8f);
            FloatVector nv = xe.mul(LOG2E).add(SHIFT).sub(SHIFT);
            FloatVector r = xe.sub(nv.mul(C1)).sub(nv.mul(C2));
            FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
            FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
            FloatVector n1 = nv.mul(0.5f).add(SHIFT).sub(SHIFT), n2 = nv.sub(n1);
            FloatVector y = e.mul(n1.add(MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(n2.add(MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            y.intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = exp(a[off + i]);
    }

    /** {@code a[off..off+n) = 1 / (1 + exp(-a[..]))}. */
    static void sigmoid(float[] a, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector xe = FloatVector.fromArray(S, a, off + i).neg().max(-104f).min(88.8f);
            FloatVector nv = xe.mul(LOG2E).add(SHIFT).sub(SHIFT);
            FloatVector r = xe.sub(nv.mul(C1)).sub(nv.mul(C2));
            FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
            FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
            FloatVector n1 = nv.mul(0.5f).add(SHIFT).sub(SHIFT), n2 = nv.sub(n1);
            FloatVector ex = e.mul(n1.add(MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(n2.add(MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector.broadcast(S, 1f).div(ex.add(1f)).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = sigmoid(a[off + i]);
    }

    /** {@code a[off..off+n) = tanh(a[..])}. */
    static void tanh(float[] a, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, off + i), ax = x.abs();
            FloatVector xe = ax.mul(-2f).max(-104f).min(88.8f);
            FloatVector nv = xe.mul(LOG2E).add(SHIFT).sub(SHIFT);
            FloatVector r = xe.sub(nv.mul(C1)).sub(nv.mul(C2));
            FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
            FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
            FloatVector n1 = nv.mul(0.5f).add(SHIFT).sub(SHIFT), n2 = nv.sub(n1);
            FloatVector t = e.mul(n1.add(MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(n2.add(MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector large = t.neg().add(1f).div(t.add(1f));
            large = large.reinterpretAsInts().or(x.reinterpretAsInts().and(Integer.MIN_VALUE)).reinterpretAsFloats();
            FloatVector z = x.mul(x);
            FloatVector small = z.mul(T0).add(T1).mul(z).add(T2).mul(z).add(T3).mul(z).add(T4).mul(z).mul(x).add(x);
            // tanh(-0) = -0: the rational form would give +0
            large.blend(small, ax.compare(VectorOperators.LT, 0.625f)).blend(x, ax.compare(VectorOperators.EQ, 0f)).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = tanh(a[off + i]);
    }

    /** The same operations on one float, for a run's tail (the same bits as a lane). */
    static float exp(float x) {
        x = Math.min(Math.max(x, -104f), 88.8f);
        float n = x * LOG2E + SHIFT - SHIFT;
        float r = x - n * C1 - n * C2;
        float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        float e = p * (r * r) + r + 1f;
        float n1 = n * 0.5f + SHIFT - SHIFT, n2 = n - n1;
        return e * pow2(n1) * pow2(n2);
    }

    private static float pow2(float n) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(n + MAGIC) << 23);
    }

    static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    static float tanh(float x) {
        float ax = Math.abs(x);
        if (ax == 0f || x != x) return x;
        if (ax < 0.625f) {
            float z = x * x;
            return (((((T0 * z + T1) * z + T2) * z + T3) * z + T4) * z) * x + x;
        }
        float t = exp(ax * -2f);
        float large = (1f - t) / (t + 1f);
        return x < 0 ? -large : large;
    }
}
