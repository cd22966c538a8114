package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix multiply's packing in SIMD code, for {@link PanamaKernels}: a full B panel of a
 * row-major operand, a transposed one, and a full A panel, the last two by 8×8 transposes in
 * registers (on 256-bit vectors, for any preferred species of 8 or more lanes, and at least 8
 * steps; the kernels check and fall back to the scalar copies otherwise). Loaded only with the
 * Vector API module, as {@link PanamaKernels} is.
 */
final class PanamaPacking {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The transposes' 8 lanes, whatever the preferred species (Winograd's weight gradient uses them with 16). */
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    private PanamaPacking() {
    }

    /**
     * A full panel of a row-major operand is copied a vector at a time: a call of
     * {@code System.arraycopy} per 8 floats cost about a fifth of a 128-row product. (Gathering a
     * transposed operand with an index map measured slower than the scalar loop, several times.)
     */
    static void packB(float[] b, int off, int rs, int cs, int kc, int nr, float[] bp, int dst) {
        if (cs == 1) {
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < nr; j += L) FloatVector.fromArray(S, b, off + p * rs + j).intoArray(bp, dst + p * nr + j);
            }
            return;
        }
        // A transposed operand (W.t()): L columns read side by side, one step at a time, and each
        // step's L values written as one run. Reading one column after the other (the default) ran
        // at about 5 cycles a value on a weight of 2,000 × 784; this unrolled form is 8 streams.
        for (int p = 0; p < kc; p++) {
            int src = off + p * rs, d = dst + p * nr;
            for (int j = 0; j < nr; j++) bp[d + j] = b[src + j * cs];
        }
    }

    /**
     * The lane shifts and masks of {@link #packA}'s transpose, made when it is first used (only
     * large products use it): creating them at start-up costs a short job class loading.
     */
    private static final class Transpose {
        static final VectorShuffle<Float> RIGHT1 = shift(1), LEFT1 = shift(-1), RIGHT2 = shift(2), LEFT2 = shift(-2);
        static final VectorShuffle<Float> RIGHT4 = shift(4), LEFT4 = shift(-4);
        /** The lanes whose index has bit 1, 2 or 4 set. */
        static final VectorMask<Float> BIT1 = VectorMask.fromLong(S8, 0xAA), BIT2 = VectorMask.fromLong(S8, 0xCC),
                BIT4 = VectorMask.fromLong(S8, 0xF0);

        /** Lane i takes lane i − s (right) or i + s (left), wrapping; the wrapped lanes are blended away. */
        private static VectorShuffle<Float> shift(int s) {
            return VectorShuffle.fromOp(S8, i -> (i - s + 8) % 8);
        }
    }

    /**
     * Eight steps at a time: the twelve rows' runs of 8 are loaded as vectors and transposed in
     * registers (three rounds of lane shifts and blends, as an 8×8 transpose does with unpacks),
     * and each step's twelve values stored as a run. The scalar copy cost about 2 cycles a value,
     * 15% of a product with 200 output columns. Rows 8–11 are transposed as four vectors, whose
     * results hold two steps each (low and high half); their stores spill four values into
     * slots that the stores of rows 0–7, made after them, overwrite, all within the 8 steps.
     */
    static void packA(float[] a, int off, int rs, int kc, float[] ap, int dst) {
        final int mr = Gemm.MR;
        final VectorShuffle<Float> RIGHT1 = Transpose.RIGHT1, LEFT1 = Transpose.LEFT1;
        final VectorShuffle<Float> RIGHT2 = Transpose.RIGHT2, LEFT2 = Transpose.LEFT2;
        final VectorMask<Float> BIT1 = Transpose.BIT1, BIT2 = Transpose.BIT2;
        int p0 = 0;
        for (; p0 + 8 <= kc; p0 += 8) {
            int s = off + p0, d = dst + p0 * mr;
            // rows 8..11: steps p and p + 4 in the low and high halves
            FloatVector e0 = FloatVector.fromArray(S8, a, s + 8 * rs), e1 = FloatVector.fromArray(S8, a, s + 9 * rs);
            FloatVector e2 = FloatVector.fromArray(S8, a, s + 10 * rs), e3 = FloatVector.fromArray(S8, a, s + 11 * rs);
            FloatVector f0 = e0.blend(e1.rearrange(RIGHT1), BIT1), f1 = e0.rearrange(LEFT1).blend(e1, BIT1);
            FloatVector f2 = e2.blend(e3.rearrange(RIGHT1), BIT1), f3 = e2.rearrange(LEFT1).blend(e3, BIT1);
            FloatVector g0 = f0.blend(f2.rearrange(RIGHT2), BIT2), g2 = f0.rearrange(LEFT2).blend(f2, BIT2);
            FloatVector g1 = f1.blend(f3.rearrange(RIGHT2), BIT2), g3 = f1.rearrange(LEFT2).blend(f3, BIT2);
            g0.intoArray(ap, d + 8);
            g1.intoArray(ap, d + mr + 8);
            g2.intoArray(ap, d + 2 * mr + 8);
            g3.intoArray(ap, d + 3 * mr + 8);
            g0.intoArray(ap, d + 4 * mr + 4);
            g1.intoArray(ap, d + 5 * mr + 4);
            g2.intoArray(ap, d + 6 * mr + 4);
            g3.intoArray(ap, d + 7 * mr + 4);
            // rows 0..7: a full 8×8 transpose
            transpose8(a, s, rs, ap, d, mr);
        }
        for (; p0 < kc; p0++) {
            for (int i = 0; i < mr; i++) ap[dst + p0 * mr + i] = a[off + i * rs + p0];
        }
    }

    /**
     * Eight steps at a time: the panel's eight columns (eight runs of {@code b}) are loaded as
     * vectors and transposed in registers, each step's eight values stored as one vector, where
     * {@link FloatKernels#gemmPackB} reads the eight streams a value at a time. The forward product of a
     * {@code Linear} packs its weight this way at every step: 128×784×2000 took 6.0–6.4 ms on one
     * thread against 6.8–9.3 ms before (fastest of 10 iterations, four alternating rounds).
     */
    static void packBColumns(float[] b, int off, int cs, int kc, int nr, float[] bp, int dst) {
        int p0 = 0;
        for (; p0 + 8 <= kc; p0 += 8) {
            for (int j0 = 0; j0 < nr; j0 += 8) transpose8(b, off + j0 * cs + p0, cs, bp, dst + p0 * nr + j0, nr);
        }
        for (; p0 < kc; p0++) {
            for (int j = 0; j < nr; j++) bp[dst + p0 * nr + j] = b[off + j * cs + p0];
        }
    }

    /**
     * {@code dst[d + p*ds + i] = src[s + i*ss + p]} for {@code i, p < 8}: eight runs of eight loaded
     * as vectors and transposed by three rounds of lane shifts and blends (as an 8×8 transpose does
     * with unpacks), on 256-bit vectors whatever the preferred species.
     */
    static void transpose8(float[] src, int s, int ss, float[] dst, int d, int ds) {
        transpose8(src, s, s + ss, s + 2 * ss, s + 3 * ss, s + 4 * ss, s + 5 * ss, s + 6 * ss, s + 7 * ss, dst, d, ds);
    }

    /**
     * {@code dst[d + p*nr + i] = src[base + offs[o + i] + p]} for {@code i < nr, p < 8}: {@link #transpose8}
     * of each eight of the nr runs, which start anywhere (a convolution's patch rows).
     */
    static void transposeRuns8(float[] src, int base, int[] offs, int o, int nr, float[] dst, int d) {
        for (int i = o; i < o + nr; i += 8) {
            transpose8(src, base + offs[i], base + offs[i + 1], base + offs[i + 2], base + offs[i + 3], base + offs[i + 4],
                    base + offs[i + 5], base + offs[i + 6], base + offs[i + 7], dst, d + i - o, nr);
        }
    }

    /** {@code dst[d + p*ds + i] = src[s_i + p]} for {@code i, p < 8} (the vectors stay in this method, unboxed). */
    private static void transpose8(float[] src, int s0, int s1, int s2, int s3, int s4, int s5, int s6, int s7,
                                   float[] dst, int d, int ds) {
        final VectorShuffle<Float> RIGHT1 = Transpose.RIGHT1, LEFT1 = Transpose.LEFT1, RIGHT2 = Transpose.RIGHT2;
        final VectorShuffle<Float> LEFT2 = Transpose.LEFT2, RIGHT4 = Transpose.RIGHT4, LEFT4 = Transpose.LEFT4;
        final VectorMask<Float> BIT1 = Transpose.BIT1, BIT2 = Transpose.BIT2, BIT4 = Transpose.BIT4;
        FloatVector v0 = FloatVector.fromArray(S8, src, s0), v1 = FloatVector.fromArray(S8, src, s1);
        FloatVector v2 = FloatVector.fromArray(S8, src, s2), v3 = FloatVector.fromArray(S8, src, s3);
        FloatVector v4 = FloatVector.fromArray(S8, src, s4), v5 = FloatVector.fromArray(S8, src, s5);
        FloatVector v6 = FloatVector.fromArray(S8, src, s6), v7 = FloatVector.fromArray(S8, src, s7);
        FloatVector a0 = v0.blend(v1.rearrange(RIGHT1), BIT1), a1 = v0.rearrange(LEFT1).blend(v1, BIT1);
        FloatVector a2 = v2.blend(v3.rearrange(RIGHT1), BIT1), a3 = v2.rearrange(LEFT1).blend(v3, BIT1);
        FloatVector a4 = v4.blend(v5.rearrange(RIGHT1), BIT1), a5 = v4.rearrange(LEFT1).blend(v5, BIT1);
        FloatVector a6 = v6.blend(v7.rearrange(RIGHT1), BIT1), a7 = v6.rearrange(LEFT1).blend(v7, BIT1);
        FloatVector b0 = a0.blend(a2.rearrange(RIGHT2), BIT2), b2 = a0.rearrange(LEFT2).blend(a2, BIT2);
        FloatVector b1 = a1.blend(a3.rearrange(RIGHT2), BIT2), b3 = a1.rearrange(LEFT2).blend(a3, BIT2);
        FloatVector b4 = a4.blend(a6.rearrange(RIGHT2), BIT2), b6 = a4.rearrange(LEFT2).blend(a6, BIT2);
        FloatVector b5 = a5.blend(a7.rearrange(RIGHT2), BIT2), b7 = a5.rearrange(LEFT2).blend(a7, BIT2);
        b0.blend(b4.rearrange(RIGHT4), BIT4).intoArray(dst, d);
        b1.blend(b5.rearrange(RIGHT4), BIT4).intoArray(dst, d + ds);
        b2.blend(b6.rearrange(RIGHT4), BIT4).intoArray(dst, d + 2 * ds);
        b3.blend(b7.rearrange(RIGHT4), BIT4).intoArray(dst, d + 3 * ds);
        b0.rearrange(LEFT4).blend(b4, BIT4).intoArray(dst, d + 4 * ds);
        b1.rearrange(LEFT4).blend(b5, BIT4).intoArray(dst, d + 5 * ds);
        b2.rearrange(LEFT4).blend(b6, BIT4).intoArray(dst, d + 6 * ds);
        b3.rearrange(LEFT4).blend(b7, BIT4).intoArray(dst, d + 7 * ds);
    }
}
