package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DoubleGemmKernels} in SIMD: a register tile of {@link DoubleGemm#MR} rows by one vector
 * (4 doubles with 256-bit vectors), as the float32 tile ({@link PanamaKernels#gemmTile}): twelve
 * accumulators, one B vector and one broadcast A value per row and step, one fused multiply-add
 * per element and step. (A 6-row tile two vectors wide, the same twelve accumulators, ran at about
 * half the speed under C2: 21 against 40 GFLOP/s on one core at {@code kc = 256}.)
 */
final class PanamaDoubleGemmKernels implements DoubleGemmKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Two vectors where they hold 8 doubles (AVX-512, 32 registers: {@link PanamaDoubleWideTile}), else one. */
    private static final int NR = L >= 8 ? 2 * L : L;
    /** The packing's transposes and copies: 4 doubles whatever the preferred species. */
    private static final VectorSpecies<Double> S4 = DoubleVector.SPECIES_256;

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, double[] tile) {
        if (NR != L) {
            PanamaDoubleWideTile.tile(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate, tile);
            return;
        }
        final int mr = DoubleGemm.MR;
        DoubleVector c0 = DoubleVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        DoubleVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        // Indices computed from the loop counter, so that C2 sees them as linear in p and hoists the range checks.
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr;
            DoubleVector b = DoubleVector.fromArray(S, bp, bOff + p * NR);
            c0 = DoubleVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = DoubleVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = DoubleVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = DoubleVector.broadcast(S, ap[a + 3]).fma(b, c3);
            c4 = DoubleVector.broadcast(S, ap[a + 4]).fma(b, c4);
            c5 = DoubleVector.broadcast(S, ap[a + 5]).fma(b, c5);
            c6 = DoubleVector.broadcast(S, ap[a + 6]).fma(b, c6);
            c7 = DoubleVector.broadcast(S, ap[a + 7]).fma(b, c7);
            c8 = DoubleVector.broadcast(S, ap[a + 8]).fma(b, c8);
            c9 = DoubleVector.broadcast(S, ap[a + 9]).fma(b, c9);
            c10 = DoubleVector.broadcast(S, ap[a + 10]).fma(b, c10);
            c11 = DoubleVector.broadcast(S, ap[a + 11]).fma(b, c11);
        }
        if (rows == mr && cols == NR && !accumulate) {
            // A whole tile, the first k-block: straight into C.
            c0.intoArray(c, cOff); c1.intoArray(c, cOff + ldc); c2.intoArray(c, cOff + 2 * ldc); c3.intoArray(c, cOff + 3 * ldc);
            c4.intoArray(c, cOff + 4 * ldc); c5.intoArray(c, cOff + 5 * ldc); c6.intoArray(c, cOff + 6 * ldc);
            c7.intoArray(c, cOff + 7 * ldc); c8.intoArray(c, cOff + 8 * ldc); c9.intoArray(c, cOff + 9 * ldc);
            c10.intoArray(c, cOff + 10 * ldc); c11.intoArray(c, cOff + 11 * ldc);
            return;
        }
        // Otherwise through the thread's scratch tile, as PanamaKernels.gemmTile does: twelve adds to
        // C written out here could exceed C2's inlining budget and box the last vector.
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L); c5.intoArray(tile, 5 * L); c6.intoArray(tile, 6 * L); c7.intoArray(tile, 7 * L);
        c8.intoArray(tile, 8 * L); c9.intoArray(tile, 9 * L); c10.intoArray(tile, 10 * L); c11.intoArray(tile, 11 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** C's {@code rows × cols} block {@code = tile} (or {@code += tile}): a vector per row when the block is a vector wide. */
    private static void storeTile(double[] tile, double[] c, int cOff, int ldc, int rows, int cols, boolean accumulate) {
        if (cols == NR) {
            for (int i = 0; i < rows; i++) {
                DoubleVector v = DoubleVector.fromArray(S, tile, i * NR);
                if (accumulate) v = DoubleVector.fromArray(S, c, cOff + i * ldc).add(v);
                v.intoArray(c, cOff + i * ldc);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
            }
        }
    }

    /** A full panel of a row-major operand, one vector per step (a call of arraycopy per 4 doubles costs more). */
    @Override
    public void packB(double[] b, int off, int rs, int cs, int kc, int cols, double[] bp, int dst) {
        if (rs == 1 && cs != 1 && cols >= 4) {
            packTransposedB(b, off, cs, kc, cols, bp, dst);
            return;
        }
        if (cols != NR || cs != 1) {
            DoubleGemmKernels.super.packB(b, off, rs, cs, kc, cols, bp, dst);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int src = off + p * rs, d = dst + p * NR;
            for (int j = 0; j < NR; j += L) DoubleVector.fromArray(S, b, src + j).intoArray(bp, d + j);
        }
    }

    /**
     * A panel of a column-major operand ({@code rs == 1}: a linear layer's {@code Wᵀ}), {@code bp[dst + p*NR + j]
     * = b[off + j*cs + p]}: each group of four columns and four steps loaded as four vectors along
     * the steps and transposed in registers, as {@link #packA} does for a row-major A; the scalar
     * copy read the panel a value at a time and wrote it with a stride (a tenth of the time series'
     * job went to it). Columns past {@code cols} are zeros.
     */
    private static void packTransposedB(double[] b, int off, int cs, int kc, int cols, double[] bp, int dst) {
        if (cols < NR) java.util.Arrays.fill(bp, dst, dst + kc * NR, 0.0);
        int j4 = cols & ~3;
        for (int j0 = 0; j0 < j4; j0 += 4) {
            int p0 = 0;
            for (; p0 + 4 <= kc; p0 += 4) transpose4(b, off + j0 * cs + p0, cs, bp, dst + p0 * NR + j0, NR);
            for (; p0 < kc; p0++) {
                for (int j = j0; j < j0 + 4; j++) bp[dst + p0 * NR + j] = b[off + j * cs + p0];
            }
        }
        for (int j = j4; j < cols; j++) {
            for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = b[off + j * cs + p];
        }
    }

    /**
     * A full panel of twelve rows in SIMD code (on 256-bit vectors of 4 doubles, whatever the
     * preferred species): a
     * column-major operand ({@code rs == 1}, the weight gradient's {@code dGatesᵀ}) as three vector
     * copies per step; a row-major one ({@code cs == 1}) four steps at a time, each group of four
     * rows' runs of 4 loaded as vectors and transposed in registers (two rounds of lane shifts and
     * blends). The scalar copy reads the twelve rows a value at a time, about a fifth of the
     * time-series cells' products.
     */
    @Override
    public void packA(double[] a, int off, int rs, int cs, int kc, int rows, double[] ap, int dst) {
        final int mr = DoubleGemm.MR;
        if (rows != mr || L < 4 || (rs != 1 && cs != 1)) {
            DoubleGemmKernels.super.packA(a, off, rs, cs, kc, rows, ap, dst);
            return;
        }
        if (rs == 1) {
            for (int p = 0; p < kc; p++) {
                int src = off + p * cs, d = dst + p * mr;
                DoubleVector.fromArray(S4, a, src).intoArray(ap, d);
                DoubleVector.fromArray(S4, a, src + 4).intoArray(ap, d + 4);
                DoubleVector.fromArray(S4, a, src + 8).intoArray(ap, d + 8);
            }
            return;
        }
        int p0 = 0;
        for (; p0 + 4 <= kc; p0 += 4) {
            int s = off + p0, d = dst + p0 * mr;
            transpose4(a, s, rs, ap, d, mr);
            transpose4(a, s + 4 * rs, rs, ap, d + 4, mr);
            transpose4(a, s + 8 * rs, rs, ap, d + 8, mr);
        }
        for (; p0 < kc; p0++) {
            for (int i = 0; i < mr; i++) ap[dst + p0 * mr + i] = a[off + i * rs + p0];
        }
    }

    /** {@code dst[d + p*ds + i] = src[s + i*ss + p]} for {@code i, p < 4}: four runs loaded as vectors, transposed by lane shifts and blends. */
    private static void transpose4(double[] src, int s, int ss, double[] dst, int d, int ds) {
        final VectorShuffle<Double> RIGHT1 = Transpose.RIGHT1, LEFT1 = Transpose.LEFT1, RIGHT2 = Transpose.RIGHT2, LEFT2 = Transpose.LEFT2;
        final VectorMask<Double> BIT1 = Transpose.BIT1, BIT2 = Transpose.BIT2;
        DoubleVector v0 = DoubleVector.fromArray(S4, src, s), v1 = DoubleVector.fromArray(S4, src, s + ss);
        DoubleVector v2 = DoubleVector.fromArray(S4, src, s + 2 * ss), v3 = DoubleVector.fromArray(S4, src, s + 3 * ss);
        DoubleVector a0 = v0.blend(v1.rearrange(RIGHT1), BIT1), a1 = v0.rearrange(LEFT1).blend(v1, BIT1);
        DoubleVector a2 = v2.blend(v3.rearrange(RIGHT1), BIT1), a3 = v2.rearrange(LEFT1).blend(v3, BIT1);
        a0.blend(a2.rearrange(RIGHT2), BIT2).intoArray(dst, d);
        a1.blend(a3.rearrange(RIGHT2), BIT2).intoArray(dst, d + ds);
        a0.rearrange(LEFT2).blend(a2, BIT2).intoArray(dst, d + 2 * ds);
        a1.rearrange(LEFT2).blend(a3, BIT2).intoArray(dst, d + 3 * ds);
    }

    /** The lane shifts and masks of {@link #transpose4} (4 lanes), made when first used. */
    private static final class Transpose {
        static final VectorShuffle<Double> RIGHT1 = shift(1), LEFT1 = shift(-1), RIGHT2 = shift(2), LEFT2 = shift(-2);
        /** The lanes whose index has bit 1 or 2 set. */
        static final VectorMask<Double> BIT1 = VectorMask.fromLong(S4, 0xA), BIT2 = VectorMask.fromLong(S4, 0xC);

        /** Lane i takes lane i − s (right) or i + s (left), wrapping; the wrapped lanes are blended away. */
        private static VectorShuffle<Double> shift(int s) {
            return VectorShuffle.fromOp(S4, i -> (i - s + 4) % 4);
        }
    }
}
