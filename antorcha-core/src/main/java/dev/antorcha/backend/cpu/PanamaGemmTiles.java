package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix multiply's register tiles in SIMD code, for {@link PanamaKernels#gemmTile}: a tile of
 * {@link Gemm#MR} rows × one vector of C, and a narrower one for an A panel's first 4 rows (the
 * last, zero-padded panel of a product of 64 rows); the direct convolution's tiles. Loaded only
 * with the Vector API module, as {@link PanamaKernels} is.
 */
final class PanamaGemmTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private PanamaGemmTiles() {
    }

    /**
     * 12 rows × 1 vector of C held in twelve accumulators for the whole {@code kc} loop: per step,
     * one load of B and twelve broadcasts of A, each feeding one FMA. Fourteen vector registers in
     * all, so C2 keeps everything in registers on a 16-register (AVX2) machine; the 6 × 2-vector
     * tile, which needs fifteen and reuses each broadcast twice, reached only about half of the
     * FMA peak there (measured on the kernel alone, in L1). An edge tile of 5 to 11 rows or fewer
     * than L columns is computed whole (the panels are zero-padded) and only its valid part is
     * written to C; one of at most 4 rows by a tile of four. (A tile of eight for 5 to 8 rows made
     * the tutorial's 3-second job 0.3 s slower, 8 of 8 alternating runs: one more method for C2 to
     * compile while its batches of 128 rows, whose last panel has 8, wait for it.)
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, float[] tile) {
        final int mr = Gemm.MR;
        // An edge panel of at most 4 rows (a product of 64 rows ends in one) by a narrower kernel:
        // the same products summed in the same order, so the same bits, without the multiply-adds
        // of the zero-padded rows.
        if (rows <= 4) {
            gemmTile4(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate, tile);
            return;
        }
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        // Indices computed from the loop counter (not induction variables of their own), so that
        // C2 sees them as linear in p and hoists the range checks out of the loop.
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr;
            FloatVector b = FloatVector.fromArray(S, bp, bOff + p * L);
            c0 = FloatVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, ap[a + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, ap[a + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, ap[a + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, ap[a + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(S, ap[a + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(S, ap[a + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(S, ap[a + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(S, ap[a + 11]).fma(b, c11);
        }
        if (rows == mr && cols == L && !accumulate) {
            // A whole tile, the first k-block: straight into C.
            c0.intoArray(c, cOff); c1.intoArray(c, cOff + ldc); c2.intoArray(c, cOff + 2 * ldc); c3.intoArray(c, cOff + 3 * ldc);
            c4.intoArray(c, cOff + 4 * ldc); c5.intoArray(c, cOff + 5 * ldc); c6.intoArray(c, cOff + 6 * ldc);
            c7.intoArray(c, cOff + 7 * ldc); c8.intoArray(c, cOff + 8 * ldc); c9.intoArray(c, cOff + 9 * ldc);
            c10.intoArray(c, cOff + 10 * ldc); c11.intoArray(c, cOff + 11 * ldc);
            return;
        }
        // Otherwise the accumulators go through the thread's scratch tile and a loop writes C: twelve
        // adds to C written out here (one inlined call per row) exceeded C2's inlining budget for
        // this method, so the last was a real call with its vector boxed (an allocation per tile).
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L); c5.intoArray(tile, 5 * L); c6.intoArray(tile, 6 * L); c7.intoArray(tile, 7 * L);
        c8.intoArray(tile, 8 * L); c9.intoArray(tile, 9 * L); c10.intoArray(tile, 10 * L); c11.intoArray(tile, 11 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** {@link #gemmTile} for the first {@code rows <= 4} rows of an A panel: four accumulators. */
    private static void gemmTile4(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows,
                                  int cols, boolean accumulate, float[] tile) {
        final int mr = Gemm.MR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr;
            FloatVector b = FloatVector.fromArray(S, bp, bOff + p * L);
            c0 = FloatVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(b, c3);
        }
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** C's {@code rows × cols} block {@code = tile} (or {@code += tile}): a vector per row when the block is a vector wide. */
    private static void storeTile(float[] tile, float[] c, int cOff, int ldc, int rows, int cols, boolean accumulate) {
        if (cols == L) {
            for (int i = 0; i < rows; i++) {
                FloatVector v = FloatVector.fromArray(S, tile, i * L);
                if (accumulate) v = FloatVector.fromArray(S, c, cOff + i * ldc).add(v);
                v.intoArray(c, cOff + i * ldc);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + tile[i * L + j] : tile[i * L + j];
            }
        }
    }

    /**
     * {@link FloatKernels#convTile}: 12 rows (8 or 4 where there are at most that many) × one vector of
     * pixels in accumulators for all the channels and taps; per step one load of the image and a
     * broadcast of the weight per row.
     */
    static void convTile(float[] ap, int aOff, float[] x, int xOff, int[] taps, int kk, float[] c, int cOff, int ldc, int rows,
                         int cols, float[] tile) {
        final int mr = Gemm.MR;
        if (rows <= 4) {
            convTile4(ap, aOff, x, xOff, taps, kk, c, cOff, ldc, rows, cols, tile);
            return;
        }
        if (rows <= 8) {
            convTile8(ap, aOff, x, xOff, taps, kk, c, cOff, ldc, rows, cols, tile);
            return;
        }
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        // One loop over the steps (nested loops over channels and taps kept the accumulators in
        // memory: three times slower), indices computed from its counter as in the GEMM's tile.
        for (int q = 0; q < kk; q++) {
            int a = aOff + q * mr;
            FloatVector b = FloatVector.fromArray(S, x, xOff + taps[q]);
            c0 = FloatVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, ap[a + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, ap[a + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, ap[a + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, ap[a + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(S, ap[a + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(S, ap[a + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(S, ap[a + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(S, ap[a + 11]).fma(b, c11);
        }
        if (rows == mr && cols == L) {
            c0.intoArray(c, cOff); c1.intoArray(c, cOff + ldc); c2.intoArray(c, cOff + 2 * ldc); c3.intoArray(c, cOff + 3 * ldc);
            c4.intoArray(c, cOff + 4 * ldc); c5.intoArray(c, cOff + 5 * ldc); c6.intoArray(c, cOff + 6 * ldc);
            c7.intoArray(c, cOff + 7 * ldc); c8.intoArray(c, cOff + 8 * ldc); c9.intoArray(c, cOff + 9 * ldc);
            c10.intoArray(c, cOff + 10 * ldc); c11.intoArray(c, cOff + 11 * ldc);
            return;
        }
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L); c5.intoArray(tile, 5 * L); c6.intoArray(tile, 6 * L); c7.intoArray(tile, 7 * L);
        c8.intoArray(tile, 8 * L); c9.intoArray(tile, 9 * L); c10.intoArray(tile, 10 * L); c11.intoArray(tile, 11 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, false);
    }

    /** {@link #convTile} for at most 8 rows: eight accumulators. */
    private static void convTile8(float[] ap, int aOff, float[] x, int xOff, int[] taps, int kk, float[] c, int cOff, int ldc,
                                  int rows, int cols, float[] tile) {
        final int mr = Gemm.MR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int q = 0; q < kk; q++) {
            int a = aOff + q * mr;
            FloatVector b = FloatVector.fromArray(S, x, xOff + taps[q]);
            c0 = FloatVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, ap[a + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, ap[a + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, ap[a + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, ap[a + 7]).fma(b, c7);
        }
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L); c5.intoArray(tile, 5 * L); c6.intoArray(tile, 6 * L); c7.intoArray(tile, 7 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, false);
    }

    /** {@link #convTile} for at most 4 rows: four accumulators. */
    private static void convTile4(float[] ap, int aOff, float[] x, int xOff, int[] taps, int kk, float[] c, int cOff, int ldc,
                                  int rows, int cols, float[] tile) {
        final int mr = Gemm.MR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < kk; q++) {
            int a = aOff + q * mr;
            FloatVector b = FloatVector.fromArray(S, x, xOff + taps[q]);
            c0 = FloatVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(b, c3);
        }
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, false);
    }
}
