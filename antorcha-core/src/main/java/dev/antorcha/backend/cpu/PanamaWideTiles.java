package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix multiply's register tiles two vectors wide, for {@link PanamaKernels#gemmTile} where
 * the machine has 32 vector registers (AVX-512): {@link Gemm#MR} rows × 2 vectors of C in 24
 * accumulators, each broadcast of A feeding two FMAs. On the 16-lane machine this was measured on
 * (the kernel alone, in L1, 256 steps) 200 GFLOP/s a core against 164 for {@link PanamaGemmTiles}'
 * 12 × 1 tile, whose twelve broadcasts and one load of B per twelve FMAs keep the load ports as busy
 * as the FMA units. Each element of C is the same chain of multiply-adds as in the narrow tile.
 */
final class PanamaWideTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of a tile: B's packed panels are this wide. */
    static final int NR = 2 * L;

    private PanamaWideTiles() {
    }

    /**
     * {@link FloatKernels#gemmTile} for panels {@link #NR} wide: a whole tile of the first k-block is
     * written straight into C, any other through {@code tile} (the thread's scratch); an A panel's
     * first 4 rows (the last panel of a product of 64 rows) by {@link #tile4}.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, float[] tile) {
        final int mr = Gemm.MR;
        if (rows <= 4) {
            tile4(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate, tile);
            return;
        }
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, d0 = z, c1 = z, d1 = z, c2 = z, d2 = z, c3 = z, d3 = z;
        FloatVector c4 = z, d4 = z, c5 = z, d5 = z, c6 = z, d6 = z, c7 = z, d7 = z;
        FloatVector c8 = z, d8 = z, c9 = z, d9 = z, c10 = z, d10 = z, c11 = z, d11 = z;
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b), b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[a]);
            c0 = a0.fma(b0, c0);
            d0 = a0.fma(b1, d0);
            FloatVector a1 = FloatVector.broadcast(S, ap[a + 1]);
            c1 = a1.fma(b0, c1);
            d1 = a1.fma(b1, d1);
            FloatVector a2 = FloatVector.broadcast(S, ap[a + 2]);
            c2 = a2.fma(b0, c2);
            d2 = a2.fma(b1, d2);
            FloatVector a3 = FloatVector.broadcast(S, ap[a + 3]);
            c3 = a3.fma(b0, c3);
            d3 = a3.fma(b1, d3);
            FloatVector a4 = FloatVector.broadcast(S, ap[a + 4]);
            c4 = a4.fma(b0, c4);
            d4 = a4.fma(b1, d4);
            FloatVector a5 = FloatVector.broadcast(S, ap[a + 5]);
            c5 = a5.fma(b0, c5);
            d5 = a5.fma(b1, d5);
            FloatVector a6 = FloatVector.broadcast(S, ap[a + 6]);
            c6 = a6.fma(b0, c6);
            d6 = a6.fma(b1, d6);
            FloatVector a7 = FloatVector.broadcast(S, ap[a + 7]);
            c7 = a7.fma(b0, c7);
            d7 = a7.fma(b1, d7);
            FloatVector a8 = FloatVector.broadcast(S, ap[a + 8]);
            c8 = a8.fma(b0, c8);
            d8 = a8.fma(b1, d8);
            FloatVector a9 = FloatVector.broadcast(S, ap[a + 9]);
            c9 = a9.fma(b0, c9);
            d9 = a9.fma(b1, d9);
            FloatVector a10 = FloatVector.broadcast(S, ap[a + 10]);
            c10 = a10.fma(b0, c10);
            d10 = a10.fma(b1, d10);
            FloatVector a11 = FloatVector.broadcast(S, ap[a + 11]);
            c11 = a11.fma(b0, c11);
            d11 = a11.fma(b1, d11);
        }
        if (rows == mr && cols == NR && !accumulate) {
            c0.intoArray(c, cOff); d0.intoArray(c, cOff + L);
            c1.intoArray(c, cOff + ldc); d1.intoArray(c, cOff + ldc + L);
            c2.intoArray(c, cOff + 2 * ldc); d2.intoArray(c, cOff + 2 * ldc + L);
            c3.intoArray(c, cOff + 3 * ldc); d3.intoArray(c, cOff + 3 * ldc + L);
            c4.intoArray(c, cOff + 4 * ldc); d4.intoArray(c, cOff + 4 * ldc + L);
            c5.intoArray(c, cOff + 5 * ldc); d5.intoArray(c, cOff + 5 * ldc + L);
            c6.intoArray(c, cOff + 6 * ldc); d6.intoArray(c, cOff + 6 * ldc + L);
            c7.intoArray(c, cOff + 7 * ldc); d7.intoArray(c, cOff + 7 * ldc + L);
            c8.intoArray(c, cOff + 8 * ldc); d8.intoArray(c, cOff + 8 * ldc + L);
            c9.intoArray(c, cOff + 9 * ldc); d9.intoArray(c, cOff + 9 * ldc + L);
            c10.intoArray(c, cOff + 10 * ldc); d10.intoArray(c, cOff + 10 * ldc + L);
            c11.intoArray(c, cOff + 11 * ldc); d11.intoArray(c, cOff + 11 * ldc + L);
            return;
        }
        c0.intoArray(tile, 0); d0.intoArray(tile, L);
        c1.intoArray(tile, 1 * NR); d1.intoArray(tile, 1 * NR + L);
        c2.intoArray(tile, 2 * NR); d2.intoArray(tile, 2 * NR + L);
        c3.intoArray(tile, 3 * NR); d3.intoArray(tile, 3 * NR + L);
        c4.intoArray(tile, 4 * NR); d4.intoArray(tile, 4 * NR + L);
        c5.intoArray(tile, 5 * NR); d5.intoArray(tile, 5 * NR + L);
        c6.intoArray(tile, 6 * NR); d6.intoArray(tile, 6 * NR + L);
        c7.intoArray(tile, 7 * NR); d7.intoArray(tile, 7 * NR + L);
        c8.intoArray(tile, 8 * NR); d8.intoArray(tile, 8 * NR + L);
        c9.intoArray(tile, 9 * NR); d9.intoArray(tile, 9 * NR + L);
        c10.intoArray(tile, 10 * NR); d10.intoArray(tile, 10 * NR + L);
        c11.intoArray(tile, 11 * NR); d11.intoArray(tile, 11 * NR + L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** {@link #tile} for at most 4 rows: eight accumulators. */
    private static void tile4(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows,
                              int cols, boolean accumulate, float[] tile) {
        final int mr = Gemm.MR;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, d0 = z, c1 = z, d1 = z, c2 = z, d2 = z, c3 = z, d3 = z;
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b), b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[a]);
            c0 = a0.fma(b0, c0);
            d0 = a0.fma(b1, d0);
            FloatVector a1 = FloatVector.broadcast(S, ap[a + 1]);
            c1 = a1.fma(b0, c1);
            d1 = a1.fma(b1, d1);
            FloatVector a2 = FloatVector.broadcast(S, ap[a + 2]);
            c2 = a2.fma(b0, c2);
            d2 = a2.fma(b1, d2);
            FloatVector a3 = FloatVector.broadcast(S, ap[a + 3]);
            c3 = a3.fma(b0, c3);
            d3 = a3.fma(b1, d3);
        }
        c0.intoArray(tile, 0); d0.intoArray(tile, L);
        c1.intoArray(tile, 1 * NR); d1.intoArray(tile, 1 * NR + L);
        c2.intoArray(tile, 2 * NR); d2.intoArray(tile, 2 * NR + L);
        c3.intoArray(tile, 3 * NR); d3.intoArray(tile, 3 * NR + L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** C's {@code rows × cols} block {@code = tile} (or {@code += tile}): two vectors a row when the block is whole. */
    private static void storeTile(float[] tile, float[] c, int cOff, int ldc, int rows, int cols, boolean accumulate) {
        if (cols == NR) {
            for (int i = 0; i < rows; i++) {
                int at = cOff + i * ldc;
                FloatVector v = FloatVector.fromArray(S, tile, i * NR), w = FloatVector.fromArray(S, tile, i * NR + L);
                if (accumulate) {
                    v = FloatVector.fromArray(S, c, at).add(v);
                    w = FloatVector.fromArray(S, c, at + L).add(w);
                }
                v.intoArray(c, at);
                w.intoArray(c, at + L);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
            }
        }
    }
}
