package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanamaWinograd}'s products on 512-bit vectors, where they are the machine's (AVX-512):
 * the transforms keep their 8-float layout and these tiles read 32 tiles (a whole chunk) or 32
 * channels at a time, twelve outputs a tile. Each element is still one chain of
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

    /**
     * {@code c[cAt + i·ldc + j] += Σ_q a[aAt + q·lda + i] · b[bAt + q·ldb + j]} for 12 rows and 32
     * columns (A read in place): two 512-bit accumulators a row, each broadcast feeding both.
     */
    static void sum12(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
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
        addW(c0, c, cAt); addW(e0, c, cAt + 16);
        addW(c1, c, cAt + ldc); addW(e1, c, cAt + ldc + 16);
        addW(c2, c, cAt + 2 * ldc); addW(e2, c, cAt + 2 * ldc + 16);
        addW(c3, c, cAt + 3 * ldc); addW(e3, c, cAt + 3 * ldc + 16);
        addW(c4, c, cAt + 4 * ldc); addW(e4, c, cAt + 4 * ldc + 16);
        addW(c5, c, cAt + 5 * ldc); addW(e5, c, cAt + 5 * ldc + 16);
        addW(c6, c, cAt + 6 * ldc); addW(e6, c, cAt + 6 * ldc + 16);
        addW(c7, c, cAt + 7 * ldc); addW(e7, c, cAt + 7 * ldc + 16);
        addW(c8, c, cAt + 8 * ldc); addW(e8, c, cAt + 8 * ldc + 16);
        addW(c9, c, cAt + 9 * ldc); addW(e9, c, cAt + 9 * ldc + 16);
        addW(c10, c, cAt + 10 * ldc); addW(e10, c, cAt + 10 * ldc + 16);
        addW(c11, c, cAt + 11 * ldc); addW(e11, c, cAt + 11 * ldc + 16);
    }

    /** {@link #sum12} for 4 rows. */
    static void sum4(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
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
        addW(c0, c, cAt); addW(e0, c, cAt + 16);
        addW(c1, c, cAt + ldc); addW(e1, c, cAt + ldc + 16);
        addW(c2, c, cAt + 2 * ldc); addW(e2, c, cAt + 2 * ldc + 16);
        addW(c3, c, cAt + 3 * ldc); addW(e3, c, cAt + 3 * ldc + 16);
    }

    private static void addW(FloatVector v, float[] c, int at) {
        FloatVector.fromArray(W, c, at).add(v).intoArray(c, at);
    }
}
