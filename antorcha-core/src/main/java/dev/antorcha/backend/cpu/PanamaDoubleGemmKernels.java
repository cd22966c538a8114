package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
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
    private static final int NR = L;

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, double[] tile) {
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
        if (cols != NR || cs != 1) {
            DoubleGemmKernels.super.packB(b, off, rs, cs, kc, cols, bp, dst);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int src = off + p * rs, d = dst + p * NR;
            DoubleVector.fromArray(S, b, src).intoArray(bp, d);
        }
    }
}
