package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanamaWinograd}'s products on 512-bit vectors, where they are the machine's (AVX-512):
 * the transforms keep their 8-float layout and these tiles read 32 tiles (a whole chunk) or 32
 * channels at a time, twelve outputs a tile (eight or four for a last panel). Each element is still one chain of
 * multiply-adds over the channels (or tiles) in order from zero, so the bits are those of the
 * 8-float tiles. On AVX2 machines the class is not used (512-bit vectors would not be intrinsics).
 */
final class PanamaWinogradWide {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;

    private PanamaWinogradWide() {
    }

    /** Whether the machine's vectors hold 16 floats. */
    static boolean available() {
        return FloatVector.SPECIES_PREFERRED.length() >= 16;
    }

    /**
     * {@code c[cAt + i·ldc + j] = Σ_q ap[aAt + q·MR + i] · b[bAt + q·ldb + j]} for 12 rows of a packed A
     * and 32 columns (a chunk of tiles): two accumulators a row, each broadcast feeding both.
     */
    static void tile12(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, e4 = z, e5 = z;
        FloatVector e6 = z, e7 = z, e8 = z, e9 = z, e10 = z, e11 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * mr, bq = bAt + q * ldb;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, ap[at]);
            c0 = a0.fma(b0, c0);
            e0 = a0.fma(b1, e0);
            FloatVector a1 = FloatVector.broadcast(W, ap[at + 1]);
            c1 = a1.fma(b0, c1);
            e1 = a1.fma(b1, e1);
            FloatVector a2 = FloatVector.broadcast(W, ap[at + 2]);
            c2 = a2.fma(b0, c2);
            e2 = a2.fma(b1, e2);
            FloatVector a3 = FloatVector.broadcast(W, ap[at + 3]);
            c3 = a3.fma(b0, c3);
            e3 = a3.fma(b1, e3);
            FloatVector a4 = FloatVector.broadcast(W, ap[at + 4]);
            c4 = a4.fma(b0, c4);
            e4 = a4.fma(b1, e4);
            FloatVector a5 = FloatVector.broadcast(W, ap[at + 5]);
            c5 = a5.fma(b0, c5);
            e5 = a5.fma(b1, e5);
            FloatVector a6 = FloatVector.broadcast(W, ap[at + 6]);
            c6 = a6.fma(b0, c6);
            e6 = a6.fma(b1, e6);
            FloatVector a7 = FloatVector.broadcast(W, ap[at + 7]);
            c7 = a7.fma(b0, c7);
            e7 = a7.fma(b1, e7);
            FloatVector a8 = FloatVector.broadcast(W, ap[at + 8]);
            c8 = a8.fma(b0, c8);
            e8 = a8.fma(b1, e8);
            FloatVector a9 = FloatVector.broadcast(W, ap[at + 9]);
            c9 = a9.fma(b0, c9);
            e9 = a9.fma(b1, e9);
            FloatVector a10 = FloatVector.broadcast(W, ap[at + 10]);
            c10 = a10.fma(b0, c10);
            e10 = a10.fma(b1, e10);
            FloatVector a11 = FloatVector.broadcast(W, ap[at + 11]);
            c11 = a11.fma(b0, c11);
            e11 = a11.fma(b1, e11);
        }
        c0.intoArray(c, cAt); e0.intoArray(c, cAt + 16);
        c1.intoArray(c, cAt + ldc); e1.intoArray(c, cAt + ldc + 16);
        c2.intoArray(c, cAt + 2 * ldc); e2.intoArray(c, cAt + 2 * ldc + 16);
        c3.intoArray(c, cAt + 3 * ldc); e3.intoArray(c, cAt + 3 * ldc + 16);
        c4.intoArray(c, cAt + 4 * ldc); e4.intoArray(c, cAt + 4 * ldc + 16);
        c5.intoArray(c, cAt + 5 * ldc); e5.intoArray(c, cAt + 5 * ldc + 16);
        c6.intoArray(c, cAt + 6 * ldc); e6.intoArray(c, cAt + 6 * ldc + 16);
        c7.intoArray(c, cAt + 7 * ldc); e7.intoArray(c, cAt + 7 * ldc + 16);
        c8.intoArray(c, cAt + 8 * ldc); e8.intoArray(c, cAt + 8 * ldc + 16);
        c9.intoArray(c, cAt + 9 * ldc); e9.intoArray(c, cAt + 9 * ldc + 16);
        c10.intoArray(c, cAt + 10 * ldc); e10.intoArray(c, cAt + 10 * ldc + 16);
        c11.intoArray(c, cAt + 11 * ldc); e11.intoArray(c, cAt + 11 * ldc + 16);
    }

    /**
     * {@link #tile12} for 5 to 8 rows (a last panel of 8, as the input gradient of a layer with 32
     * input channels has): sixteen accumulators, enough chains to keep both FMA units busy with
     * 512-bit vectors, where twelve rows would compute four of zeros.
     */
    static void tile8(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, e4 = z, e5 = z;
        FloatVector e6 = z, e7 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * mr, bq = bAt + q * ldb;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, ap[at]);
            c0 = a0.fma(b0, c0);
            e0 = a0.fma(b1, e0);
            FloatVector a1 = FloatVector.broadcast(W, ap[at + 1]);
            c1 = a1.fma(b0, c1);
            e1 = a1.fma(b1, e1);
            FloatVector a2 = FloatVector.broadcast(W, ap[at + 2]);
            c2 = a2.fma(b0, c2);
            e2 = a2.fma(b1, e2);
            FloatVector a3 = FloatVector.broadcast(W, ap[at + 3]);
            c3 = a3.fma(b0, c3);
            e3 = a3.fma(b1, e3);
            FloatVector a4 = FloatVector.broadcast(W, ap[at + 4]);
            c4 = a4.fma(b0, c4);
            e4 = a4.fma(b1, e4);
            FloatVector a5 = FloatVector.broadcast(W, ap[at + 5]);
            c5 = a5.fma(b0, c5);
            e5 = a5.fma(b1, e5);
            FloatVector a6 = FloatVector.broadcast(W, ap[at + 6]);
            c6 = a6.fma(b0, c6);
            e6 = a6.fma(b1, e6);
            FloatVector a7 = FloatVector.broadcast(W, ap[at + 7]);
            c7 = a7.fma(b0, c7);
            e7 = a7.fma(b1, e7);
        }
        c0.intoArray(c, cAt); e0.intoArray(c, cAt + 16);
        c1.intoArray(c, cAt + ldc); e1.intoArray(c, cAt + ldc + 16);
        c2.intoArray(c, cAt + 2 * ldc); e2.intoArray(c, cAt + 2 * ldc + 16);
        c3.intoArray(c, cAt + 3 * ldc); e3.intoArray(c, cAt + 3 * ldc + 16);
        c4.intoArray(c, cAt + 4 * ldc); e4.intoArray(c, cAt + 4 * ldc + 16);
        c5.intoArray(c, cAt + 5 * ldc); e5.intoArray(c, cAt + 5 * ldc + 16);
        c6.intoArray(c, cAt + 6 * ldc); e6.intoArray(c, cAt + 6 * ldc + 16);
        c7.intoArray(c, cAt + 7 * ldc); e7.intoArray(c, cAt + 7 * ldc + 16);
    }

    /** {@link #tile12} for 4 rows. */
    static void tile4(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * mr, bq = bAt + q * ldb;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, ap[at]);
            c0 = a0.fma(b0, c0);
            e0 = a0.fma(b1, e0);
            FloatVector a1 = FloatVector.broadcast(W, ap[at + 1]);
            c1 = a1.fma(b0, c1);
            e1 = a1.fma(b1, e1);
            FloatVector a2 = FloatVector.broadcast(W, ap[at + 2]);
            c2 = a2.fma(b0, c2);
            e2 = a2.fma(b1, e2);
            FloatVector a3 = FloatVector.broadcast(W, ap[at + 3]);
            c3 = a3.fma(b0, c3);
            e3 = a3.fma(b1, e3);
        }
        c0.intoArray(c, cAt); e0.intoArray(c, cAt + 16);
        c1.intoArray(c, cAt + ldc); e1.intoArray(c, cAt + ldc + 16);
        c2.intoArray(c, cAt + 2 * ldc); e2.intoArray(c, cAt + 2 * ldc + 16);
        c3.intoArray(c, cAt + 3 * ldc); e3.intoArray(c, cAt + 3 * ldc + 16);
    }

    /** {@link #tile12} for 16 columns (one 512-bit vector; a last chunk of at most 16 tiles): twelve chains, enough for both FMA units. */
    static void tile12x16(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * mr;
            FloatVector b0 = FloatVector.fromArray(W, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(W, ap[at]).fma(b0, c0);
            c1 = FloatVector.broadcast(W, ap[at + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(W, ap[at + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(W, ap[at + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(W, ap[at + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(W, ap[at + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(W, ap[at + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(W, ap[at + 7]).fma(b0, c7);
            c8 = FloatVector.broadcast(W, ap[at + 8]).fma(b0, c8);
            c9 = FloatVector.broadcast(W, ap[at + 9]).fma(b0, c9);
            c10 = FloatVector.broadcast(W, ap[at + 10]).fma(b0, c10);
            c11 = FloatVector.broadcast(W, ap[at + 11]).fma(b0, c11);
        }
        c0.intoArray(c, cAt);
        c1.intoArray(c, cAt + ldc);
        c2.intoArray(c, cAt + 2 * ldc);
        c3.intoArray(c, cAt + 3 * ldc);
        c4.intoArray(c, cAt + 4 * ldc);
        c5.intoArray(c, cAt + 5 * ldc);
        c6.intoArray(c, cAt + 6 * ldc);
        c7.intoArray(c, cAt + 7 * ldc);
        c8.intoArray(c, cAt + 8 * ldc);
        c9.intoArray(c, cAt + 9 * ldc);
        c10.intoArray(c, cAt + 10 * ldc);
        c11.intoArray(c, cAt + 11 * ldc);
    }

    /** {@link #tile12x16} for at most 8 rows. */
    static void tile8x16(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * mr;
            FloatVector b0 = FloatVector.fromArray(W, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(W, ap[at]).fma(b0, c0);
            c1 = FloatVector.broadcast(W, ap[at + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(W, ap[at + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(W, ap[at + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(W, ap[at + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(W, ap[at + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(W, ap[at + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(W, ap[at + 7]).fma(b0, c7);
        }
        c0.intoArray(c, cAt);
        c1.intoArray(c, cAt + ldc);
        c2.intoArray(c, cAt + 2 * ldc);
        c3.intoArray(c, cAt + 3 * ldc);
        c4.intoArray(c, cAt + 4 * ldc);
        c5.intoArray(c, cAt + 5 * ldc);
        c6.intoArray(c, cAt + 6 * ldc);
        c7.intoArray(c, cAt + 7 * ldc);
    }

    /**
     * {@code c[cAt + i·ldc + j] += Σ_q a[aAt + q·lda + i] · b[bAt + q·ldb + j]} for 12 rows and 32
     * columns (A read in place): two 512-bit accumulators a row, each broadcast feeding both.
     */
    static void sum12(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc,
                     float[] tile) {
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, e4 = z, e5 = z;
        FloatVector e6 = z, e7 = z, e8 = z, e9 = z, e10 = z, e11 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * lda, bq = bAt + q * ldb;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, a[at]);
            c0 = a0.fma(b0, c0);
            e0 = a0.fma(b1, e0);
            FloatVector a1 = FloatVector.broadcast(W, a[at + 1]);
            c1 = a1.fma(b0, c1);
            e1 = a1.fma(b1, e1);
            FloatVector a2 = FloatVector.broadcast(W, a[at + 2]);
            c2 = a2.fma(b0, c2);
            e2 = a2.fma(b1, e2);
            FloatVector a3 = FloatVector.broadcast(W, a[at + 3]);
            c3 = a3.fma(b0, c3);
            e3 = a3.fma(b1, e3);
            FloatVector a4 = FloatVector.broadcast(W, a[at + 4]);
            c4 = a4.fma(b0, c4);
            e4 = a4.fma(b1, e4);
            FloatVector a5 = FloatVector.broadcast(W, a[at + 5]);
            c5 = a5.fma(b0, c5);
            e5 = a5.fma(b1, e5);
            FloatVector a6 = FloatVector.broadcast(W, a[at + 6]);
            c6 = a6.fma(b0, c6);
            e6 = a6.fma(b1, e6);
            FloatVector a7 = FloatVector.broadcast(W, a[at + 7]);
            c7 = a7.fma(b0, c7);
            e7 = a7.fma(b1, e7);
            FloatVector a8 = FloatVector.broadcast(W, a[at + 8]);
            c8 = a8.fma(b0, c8);
            e8 = a8.fma(b1, e8);
            FloatVector a9 = FloatVector.broadcast(W, a[at + 9]);
            c9 = a9.fma(b0, c9);
            e9 = a9.fma(b1, e9);
            FloatVector a10 = FloatVector.broadcast(W, a[at + 10]);
            c10 = a10.fma(b0, c10);
            e10 = a10.fma(b1, e10);
            FloatVector a11 = FloatVector.broadcast(W, a[at + 11]);
            c11 = a11.fma(b0, c11);
            e11 = a11.fma(b1, e11);
        }
        c0.intoArray(tile, 0); e0.intoArray(tile, 16);
        c1.intoArray(tile, 32); e1.intoArray(tile, 48);
        c2.intoArray(tile, 2 * 32); e2.intoArray(tile, 2 * 32 + 16);
        c3.intoArray(tile, 3 * 32); e3.intoArray(tile, 3 * 32 + 16);
        c4.intoArray(tile, 4 * 32); e4.intoArray(tile, 4 * 32 + 16);
        c5.intoArray(tile, 5 * 32); e5.intoArray(tile, 5 * 32 + 16);
        c6.intoArray(tile, 6 * 32); e6.intoArray(tile, 6 * 32 + 16);
        c7.intoArray(tile, 7 * 32); e7.intoArray(tile, 7 * 32 + 16);
        c8.intoArray(tile, 8 * 32); e8.intoArray(tile, 8 * 32 + 16);
        c9.intoArray(tile, 9 * 32); e9.intoArray(tile, 9 * 32 + 16);
        c10.intoArray(tile, 10 * 32); e10.intoArray(tile, 10 * 32 + 16);
        c11.intoArray(tile, 11 * 32); e11.intoArray(tile, 11 * 32 + 16);
        addTile(tile, 12, c, cAt, ldc);
    }

    /** {@link #sum12} for 4 rows. */
    static void sum4(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc,
                     float[] tile) {
        FloatVector z = FloatVector.zero(W);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * lda, bq = bAt + q * ldb;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, a[at]);
            c0 = a0.fma(b0, c0);
            e0 = a0.fma(b1, e0);
            FloatVector a1 = FloatVector.broadcast(W, a[at + 1]);
            c1 = a1.fma(b0, c1);
            e1 = a1.fma(b1, e1);
            FloatVector a2 = FloatVector.broadcast(W, a[at + 2]);
            c2 = a2.fma(b0, c2);
            e2 = a2.fma(b1, e2);
            FloatVector a3 = FloatVector.broadcast(W, a[at + 3]);
            c3 = a3.fma(b0, c3);
            e3 = a3.fma(b1, e3);
        }
        c0.intoArray(tile, 0); e0.intoArray(tile, 16);
        c1.intoArray(tile, 32); e1.intoArray(tile, 48);
        c2.intoArray(tile, 2 * 32); e2.intoArray(tile, 2 * 32 + 16);
        c3.intoArray(tile, 3 * 32); e3.intoArray(tile, 3 * 32 + 16);
        addTile(tile, 4, c, cAt, ldc);
    }

    /**
     * {@code c[cAt + i·ldc + j] += tile[i·32 + j]}: the accumulators go through the thread's scratch
     * tile, as in {@link PanamaGemmTiles#tile}; 24 adds to C written out in the tile's method
     * exceeded C2's inlining budget, and the vectors of the calls left were boxed (an allocation
     * per call, a twentieth of the MNIST CNN's allocation by JFR's samples).
     */
    private static void addTile(float[] tile, int rows, float[] c, int cAt, int ldc) {
        for (int i = 0; i < rows; i++) {
            int at = cAt + i * ldc;
            FloatVector.fromArray(W, c, at).add(FloatVector.fromArray(W, tile, i * 32)).intoArray(c, at);
            FloatVector.fromArray(W, c, at + 16).add(FloatVector.fromArray(W, tile, i * 32 + 16)).intoArray(c, at + 16);
        }
    }
}
