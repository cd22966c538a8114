package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link dev.antorcha.tensor.Generator#fillUniformAt} in SIMD code, eight draws at a time: the
 * same SplitMix64 counters, the same mix13, the same double arithmetic and rounding to float,
 * so the same bits (dropout's mask draws 590,000 values a step of the MNIST CNN, and the scalar
 * loop took about 3 ns a value). Only where vectors hold eight longs (AVX-512, whose 64-bit
 * multiply is one instruction; AVX2 has none and the scalar loop stays). The 53-bit integer of
 * a draw becomes a double in two exact halves (no 64-bit integer conversion is needed).
 */
final class PanamaFills {
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int L = LS.length();
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_256;
    /** SplitMix64's increment ({@code Generator}'s): the counter of draw i is {@code at + (i + 1)·γ}. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** The bits of 2^52: {@code (2^52 | y) − 2^52} is y, exactly, for an integer y below 2^52. */
    private static final long TWO52_BITS = 0x4330000000000000L;
    private static final double TWO52 = 0x1.0p52;

    private PanamaFills() {
    }

    /** Whether this machine's vectors take the SIMD path: eight longs (512 bits) and doubles of the same shape. */
    static boolean available() {
        return L == 8 && DS.length() == 8 && LS.vectorShape() == VectorShape.S_512_BIT;
    }

    /** Draws {@code first … first+n-1} after position {@code at}, uniform in [lo, hi), into {@code out[off …]}. */
    static void uniformAt(long at, long first, float[] out, int off, int n, double lo, double hi) {
        long z0 = at + first * GOLDEN_GAMMA;
        double width = hi - lo;
        float top = Math.nextDown((float) hi);
        // For a float v, v < hi (compared in double, as the scalar loop does) exactly when v is below
        // the least float >= hi.
        float bound = (double) (float) hi >= hi ? (float) hi : Math.nextUp((float) hi);
        LongVector lanes = LongVector.zero(LS).addIndex(1).add(1L).mul(GOLDEN_GAMMA);   // (j + 1)·γ
        int i = 0;
        for (; i + L <= n; i += L) {
            LongVector z = lanes.add(z0 + i * GOLDEN_GAMMA);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            LongVector x = z.lanewise(VectorOperators.LSHR, 11);                    // 53 random bits
            DoubleVector high = x.lanewise(VectorOperators.LSHR, 21).or(TWO52_BITS).reinterpretAsDoubles().sub(TWO52);
            DoubleVector low = x.and((1L << 21) - 1).or(TWO52_BITS).reinterpretAsDoubles().sub(TWO52);
            // x·2^-53 = high·2^-32 + low·2^-53: both products and their sum are exact
            DoubleVector u = high.mul(0x1.0p-32).add(low.mul(0x1.0p-53));
            DoubleVector d = u.mul(width).add(lo);                                   // as the scalar: two roundings, no fma
            FloatVector v = (FloatVector) d.convertShape(VectorOperators.D2F, FS, 0);
            VectorMask<Float> below = v.compare(VectorOperators.LT, bound);
            v.blend(top, below.not()).intoArray(out, off + i);
        }
        if (i < n) dev.antorcha.tensor.Generator.fillUniformAt(at, first + i, out, off + i, n - i, lo, hi);
    }
}
