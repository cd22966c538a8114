package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 matrix multiply's register tile two vectors wide, for
 * {@link PanamaDoubleGemmKernels#tile} where vectors hold 8 doubles (AVX-512, 32 registers):
 * {@link DoubleGemm#MR} rows × 16 doubles in 24 accumulators, each broadcast of A feeding two FMAs,
 * as {@link PanamaWideTiles} does for float32. Each element of C is the same chain of
 * multiply-adds as in the one-vector tile.
 */
final class PanamaDoubleWideTile {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of a tile: B's packed panels are this wide. */
    static final int NR = 2 * L;

    private PanamaDoubleWideTile() {
    }

    /**
     * {@link DoubleGemmKernels#tile} for panels {@link #NR} wide: a whole tile of the first k-block is
     * written straight into C, any other through {@code tile} (the thread's scratch); an A panel's
     * first 4 rows (the last panel of a product of 64 rows) by {@link #tile4}.
     */
    static void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, double[] tile) {
        final int mr = DoubleGemm.MR;
        if (rows <= 4) {
            tile4(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate, tile);
            return;
        }
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = z, d0 = z, c1 = z, d1 = z, c2 = z, d2 = z, c3 = z, d3 = z;
        DoubleVector c4 = z, d4 = z, c5 = z, d5 = z, c6 = z, d6 = z, c7 = z, d7 = z;
        DoubleVector c8 = z, d8 = z, c9 = z, d9 = z, c10 = z, d10 = z, c11 = z, d11 = z;
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b), b1 = DoubleVector.fromArray(S, bp, b + L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[a]);
            c0 = a0.fma(b0, c0);
            d0 = a0.fma(b1, d0);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[a + 1]);
            c1 = a1.fma(b0, c1);
            d1 = a1.fma(b1, d1);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[a + 2]);
            c2 = a2.fma(b0, c2);
            d2 = a2.fma(b1, d2);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[a + 3]);
            c3 = a3.fma(b0, c3);
            d3 = a3.fma(b1, d3);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[a + 4]);
            c4 = a4.fma(b0, c4);
            d4 = a4.fma(b1, d4);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[a + 5]);
            c5 = a5.fma(b0, c5);
            d5 = a5.fma(b1, d5);
            DoubleVector a6 = DoubleVector.broadcast(S, ap[a + 6]);
            c6 = a6.fma(b0, c6);
            d6 = a6.fma(b1, d6);
            DoubleVector a7 = DoubleVector.broadcast(S, ap[a + 7]);
            c7 = a7.fma(b0, c7);
            d7 = a7.fma(b1, d7);
            DoubleVector a8 = DoubleVector.broadcast(S, ap[a + 8]);
            c8 = a8.fma(b0, c8);
            d8 = a8.fma(b1, d8);
            DoubleVector a9 = DoubleVector.broadcast(S, ap[a + 9]);
            c9 = a9.fma(b0, c9);
            d9 = a9.fma(b1, d9);
            DoubleVector a10 = DoubleVector.broadcast(S, ap[a + 10]);
            c10 = a10.fma(b0, c10);
            d10 = a10.fma(b1, d10);
            DoubleVector a11 = DoubleVector.broadcast(S, ap[a + 11]);
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
    private static void tile4(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows,
                              int cols, boolean accumulate, double[] tile) {
        final int mr = DoubleGemm.MR;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = z, d0 = z, c1 = z, d1 = z, c2 = z, d2 = z, c3 = z, d3 = z;
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b), b1 = DoubleVector.fromArray(S, bp, b + L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[a]);
            c0 = a0.fma(b0, c0);
            d0 = a0.fma(b1, d0);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[a + 1]);
            c1 = a1.fma(b0, c1);
            d1 = a1.fma(b1, d1);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[a + 2]);
            c2 = a2.fma(b0, c2);
            d2 = a2.fma(b1, d2);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[a + 3]);
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
    private static void storeTile(double[] tile, double[] c, int cOff, int ldc, int rows, int cols, boolean accumulate) {
        if (cols == NR) {
            for (int i = 0; i < rows; i++) {
                int at = cOff + i * ldc;
                DoubleVector v = DoubleVector.fromArray(S, tile, i * NR), w = DoubleVector.fromArray(S, tile, i * NR + L);
                if (accumulate) {
                    v = DoubleVector.fromArray(S, c, at).add(v);
                    w = DoubleVector.fromArray(S, c, at + L).add(w);
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
