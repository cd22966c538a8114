package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Images between planes (NCHW: a plane a channel) and pixels of 16 channels (channels innermost), the
 * layout {@link PanamaWinograd4}'s transforms read and write: 16×16 transposes on 512-bit vectors
 * (8×8 ones where a row is shorter than 16).
 */
final class PanamaChannelsInnermost {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    private static final int L = 16;
    /** {@link #transpose16}'s two-source permutes: stage s pairs lane l of one vector with lane l ± s of another. */
    private static final FloatVector[] LOW = new FloatVector[4], HIGH = new FloatVector[4];

    static {
        for (int k = 0; k < 4; k++) {
            int step = 1 << k;
            float[] lo = new float[L], hi = new float[L];
            for (int l = 0; l < L; l++) {
                boolean first = (l & step) == 0;
                lo[l] = first ? l : L + l - step;
                hi[l] = first ? l + step : L + l;
            }
            LOW[k] = FloatVector.fromArray(W, lo, 0);
            HIGH[k] = FloatVector.fromArray(W, hi, 0);
        }
    }

    /**
     * The image zero-padded to {@code hp × wp} pixels of {@code channels} floats each, pixel (r, j) at
     * {@code (r·wp + j)·channels}, by 8×8 transposes (rows at least 8 wide).
     */
    static void image(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] xt,
                                          int hp, int wp) {
        int rowLen = wp * channels, plane = h * w;
        java.util.Arrays.fill(xt, 0, padH * rowLen, 0f);
        java.util.Arrays.fill(xt, (padH + h) * rowLen, hp * rowLen, 0f);
        for (int r = 0; r < h; r++) {
            int d = (r + padH) * rowLen;
            java.util.Arrays.fill(xt, d, d + padW * channels, 0f);
            java.util.Arrays.fill(xt, d + (padW + w) * channels, d + rowLen, 0f);
        }
        // 16 planes at a time from their first row to their last: 16 streams for the prefetcher (all
        // the planes a row at a time were 64 for a gradient of 64 channels)
        for (int c0 = 0; c0 < channels; c0 += L) {
            for (int r = 0; r < h; r++) {
                toPixels(x, xo + c0 * plane + r * w, plane, xt, ((r + padH) * wp + padW) * channels + c0, channels, w);
            }
        }
    }

    /**
     * {@code dst[d + j·ds + i] = src[s + i·ss + j]} for 16 channels {@code i} and {@code n ≥ 8} pixels
     * {@code j}, a row of planes to pixels of 16 channels: 16×16 transposes (the last overlapping the one
     * before), or 8×8 ones where the row is shorter than 16.
     */
    private static void toPixels(float[] src, int s, int ss, float[] dst, int d, int ds, int n) {
        if (n < L) {
            for (int j0 = 0; ; j0 = Math.min(j0 + 8, n - 8)) {
                PanamaPacking.transpose8(src, s + j0, ss, dst, d + j0 * ds, ds);
                PanamaPacking.transpose8(src, s + 8 * ss + j0, ss, dst, d + j0 * ds + 8, ds);
                if (j0 == n - 8) break;
            }
            return;
        }
        for (int j0 = 0; ; j0 = Math.min(j0 + L, n - L)) {
            transpose16(src, s + j0, ss, dst, d + j0 * ds, ds);
            if (j0 == n - L) break;
        }
    }

    /** The inverse of {@link #toPixels}: {@code dst[d + i·ds + j] = src[s + j·ss + i]}, pixels of 16 channels to planes. */
    static void toPlanes(float[] src, int s, int ss, float[] dst, int d, int ds, int n) {
        if (n < L) {
            for (int j0 = 0; ; j0 = Math.min(j0 + 8, n - 8)) {
                PanamaPacking.transpose8(src, s + j0 * ss, ss, dst, d + j0, ds);
                PanamaPacking.transpose8(src, s + j0 * ss + 8, ss, dst, d + 8 * ds + j0, ds);
                if (j0 == n - 8) break;
            }
            return;
        }
        for (int j0 = 0; ; j0 = Math.min(j0 + L, n - L)) {
            transpose16(src, s + j0 * ss, ss, dst, d + j0, ds);
            if (j0 == n - L) break;
        }
    }

    /**
     * {@code dst[d + p·ds + i] = src[s + i·ss + p]} for {@code i, p < 16}: 16 vectors through four
     * stages of two-source permutes (stage k exchanges blocks of 2ᵏ lanes between vectors 2ᵏ apart),
     * 64 permutes for 256 floats where {@link PanamaPacking#transpose8} spends 48 shuffles and blends on 64.
     * Written out stage by stage: vectors kept in an array, or handed to a helper, would be boxed.
     */
    static void transpose16(float[] src, int s, int ss, float[] dst, int d, int ds) {
        FloatVector v0 = FloatVector.fromArray(W, src, s), v1 = FloatVector.fromArray(W, src, s + ss);
        FloatVector v2 = FloatVector.fromArray(W, src, s + 2 * ss), v3 = FloatVector.fromArray(W, src, s + 3 * ss);
        FloatVector v4 = FloatVector.fromArray(W, src, s + 4 * ss), v5 = FloatVector.fromArray(W, src, s + 5 * ss);
        FloatVector v6 = FloatVector.fromArray(W, src, s + 6 * ss), v7 = FloatVector.fromArray(W, src, s + 7 * ss);
        FloatVector v8 = FloatVector.fromArray(W, src, s + 8 * ss), v9 = FloatVector.fromArray(W, src, s + 9 * ss);
        FloatVector v10 = FloatVector.fromArray(W, src, s + 10 * ss), v11 = FloatVector.fromArray(W, src, s + 11 * ss);
        FloatVector v12 = FloatVector.fromArray(W, src, s + 12 * ss), v13 = FloatVector.fromArray(W, src, s + 13 * ss);
        FloatVector v14 = FloatVector.fromArray(W, src, s + 14 * ss), v15 = FloatVector.fromArray(W, src, s + 15 * ss);
        FloatVector lo = LOW[0], hi = HIGH[0];
        FloatVector a0 = lo.selectFrom(v0, v1), a1 = hi.selectFrom(v0, v1);
        FloatVector a2 = lo.selectFrom(v2, v3), a3 = hi.selectFrom(v2, v3);
        FloatVector a4 = lo.selectFrom(v4, v5), a5 = hi.selectFrom(v4, v5);
        FloatVector a6 = lo.selectFrom(v6, v7), a7 = hi.selectFrom(v6, v7);
        FloatVector a8 = lo.selectFrom(v8, v9), a9 = hi.selectFrom(v8, v9);
        FloatVector a10 = lo.selectFrom(v10, v11), a11 = hi.selectFrom(v10, v11);
        FloatVector a12 = lo.selectFrom(v12, v13), a13 = hi.selectFrom(v12, v13);
        FloatVector a14 = lo.selectFrom(v14, v15), a15 = hi.selectFrom(v14, v15);
        lo = LOW[1]; hi = HIGH[1];
        FloatVector b0 = lo.selectFrom(a0, a2), b2 = hi.selectFrom(a0, a2);
        FloatVector b1 = lo.selectFrom(a1, a3), b3 = hi.selectFrom(a1, a3);
        FloatVector b4 = lo.selectFrom(a4, a6), b6 = hi.selectFrom(a4, a6);
        FloatVector b5 = lo.selectFrom(a5, a7), b7 = hi.selectFrom(a5, a7);
        FloatVector b8 = lo.selectFrom(a8, a10), b10 = hi.selectFrom(a8, a10);
        FloatVector b9 = lo.selectFrom(a9, a11), b11 = hi.selectFrom(a9, a11);
        FloatVector b12 = lo.selectFrom(a12, a14), b14 = hi.selectFrom(a12, a14);
        FloatVector b13 = lo.selectFrom(a13, a15), b15 = hi.selectFrom(a13, a15);
        lo = LOW[2]; hi = HIGH[2];
        FloatVector c0 = lo.selectFrom(b0, b4), c4 = hi.selectFrom(b0, b4);
        FloatVector c1 = lo.selectFrom(b1, b5), c5 = hi.selectFrom(b1, b5);
        FloatVector c2 = lo.selectFrom(b2, b6), c6 = hi.selectFrom(b2, b6);
        FloatVector c3 = lo.selectFrom(b3, b7), c7 = hi.selectFrom(b3, b7);
        FloatVector c8 = lo.selectFrom(b8, b12), c12 = hi.selectFrom(b8, b12);
        FloatVector c9 = lo.selectFrom(b9, b13), c13 = hi.selectFrom(b9, b13);
        FloatVector c10 = lo.selectFrom(b10, b14), c14 = hi.selectFrom(b10, b14);
        FloatVector c11 = lo.selectFrom(b11, b15), c15 = hi.selectFrom(b11, b15);
        lo = LOW[3]; hi = HIGH[3];
        FloatVector d0 = lo.selectFrom(c0, c8), d8 = hi.selectFrom(c0, c8);
        FloatVector d1 = lo.selectFrom(c1, c9), d9 = hi.selectFrom(c1, c9);
        FloatVector d2 = lo.selectFrom(c2, c10), d10 = hi.selectFrom(c2, c10);
        FloatVector d3 = lo.selectFrom(c3, c11), d11 = hi.selectFrom(c3, c11);
        FloatVector d4 = lo.selectFrom(c4, c12), d12 = hi.selectFrom(c4, c12);
        FloatVector d5 = lo.selectFrom(c5, c13), d13 = hi.selectFrom(c5, c13);
        FloatVector d6 = lo.selectFrom(c6, c14), d14 = hi.selectFrom(c6, c14);
        FloatVector d7 = lo.selectFrom(c7, c15), d15 = hi.selectFrom(c7, c15);
        d0.intoArray(dst, d);
        d1.intoArray(dst, d + ds);
        d2.intoArray(dst, d + 2 * ds);
        d3.intoArray(dst, d + 3 * ds);
        d4.intoArray(dst, d + 4 * ds);
        d5.intoArray(dst, d + 5 * ds);
        d6.intoArray(dst, d + 6 * ds);
        d7.intoArray(dst, d + 7 * ds);
        d8.intoArray(dst, d + 8 * ds);
        d9.intoArray(dst, d + 9 * ds);
        d10.intoArray(dst, d + 10 * ds);
        d11.intoArray(dst, d + 11 * ds);
        d12.intoArray(dst, d + 12 * ds);
        d13.intoArray(dst, d + 13 * ds);
        d14.intoArray(dst, d + 14 * ds);
        d15.intoArray(dst, d + 15 * ds);
    }
}
