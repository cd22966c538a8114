package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DoubleGemmKernels} in SIMD: a register tile of {@link DoubleGemm#MR} rows by two vectors
 * (8 doubles with 256-bit vectors), twelve accumulators plus two B vectors and one broadcast A
 * value, which fit the sixteen vector registers of AVX2 without spilling; one fused
 * multiply-add per element and step.
 */
final class PanamaDoubleGemmKernels implements DoubleGemmKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, double[] tile) {
        final int mr = DoubleGemm.MR;
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        // Indices computed from the loop counter, so that C2 sees them as linear in p and hoists the range checks.
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b), b1 = DoubleVector.fromArray(S, bp, b + L);
            DoubleVector av = DoubleVector.broadcast(S, ap[a]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(S, ap[a + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(S, ap[a + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(S, ap[a + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(S, ap[a + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(S, ap[a + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (rows == mr && cols == NR && !accumulate) {
            // A whole tile, the first k-block: straight into C.
            c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
            c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
            return;
        }
        // Otherwise through the thread's scratch tile, as PanamaKernels.gemmTile does: six two-vector
        // adds to C written out here could exceed C2's inlining budget and box the last vectors.
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** C's {@code rows × cols} block {@code = tile} (or {@code += tile}): two vectors per row when the block is full width. */
    private static void storeTile(double[] tile, double[] c, int cOff, int ldc, int rows, int cols, boolean accumulate) {
        if (cols == NR) {
            for (int i = 0; i < rows; i++) {
                DoubleVector v0 = DoubleVector.fromArray(S, tile, i * NR), v1 = DoubleVector.fromArray(S, tile, i * NR + L);
                int off = cOff + i * ldc;
                if (accumulate) {
                    v0 = DoubleVector.fromArray(S, c, off).add(v0);
                    v1 = DoubleVector.fromArray(S, c, off + L).add(v1);
                }
                v0.intoArray(c, off);
                v1.intoArray(c, off + L);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
            }
        }
    }

    /** A full panel of a row-major operand, two vectors per step (a call of arraycopy per 8 doubles costs more). */
    @Override
    public void packB(double[] b, int off, int rs, int cs, int kc, int cols, double[] bp, int dst) {
        if (cols != NR || cs != 1) {
            DoubleGemmKernels.super.packB(b, off, rs, cs, kc, cols, bp, dst);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int src = off + p * rs, d = dst + p * NR;
            DoubleVector.fromArray(S, b, src).intoArray(bp, d);
            DoubleVector.fromArray(S, b, src + L).intoArray(bp, d + L);
        }
    }
}
