package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * One image of a {@link Winograd} convolution in SIMD code (loaded only with the Vector API module).
 * Tiles are numbered row by row, {@code t = ty·tilesW + tx}, and computed in chunks of
 * {@link #CHUNK} (three panels of 8): the rows of input tiles the chunk needs transformed into
 * {@code V[ξ][c][tile]} (once each: a ring of tiles), its 16 products into {@code M[ξ][o][tile]} by
 * register tiles of {@link Gemm#MR} outputs × 8 tiles, and its outputs transformed back, all in L2.
 */
final class PanamaWinograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Tiles a chunk: three column panels. */
    private static final int CHUNK = 3 * L;
    /** Interleaves lanes 0–3 (and 4–7) of two vectors: a row of outputs of four tiles. */
    private static final VectorShuffle<Float> LOW = VectorShuffle.fromValues(S, 0, 8, 1, 9, 2, 10, 3, 11);
    private static final VectorShuffle<Float> HIGH = VectorShuffle.fromValues(S, 4, 12, 5, 13, 6, 14, 7, 15);
    /** The even (and odd) lanes of two vectors. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromValues(S, 0, 2, 4, 6, 8, 10, 12, 14);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromValues(S, 1, 3, 5, 7, 9, 11, 13, 15);

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

    private PanamaWinograd() {
    }

    /** Whether this machine's vectors are the 8 floats the kernel is written for. */
    static boolean supported() {
        return FloatVector.SPECIES_PREFERRED.length() >= L;
    }

    /** See {@link FloatKernels#winogradImage}. */
    static void image(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] up, int outs, float[] bias,
                      int bo, float[] y, int yo) {
        int hp = h + 2 * padH, wp = w + 2 * padW, outH = hp - 2, outW = wp - 2, tilesW = outW / 2;
        int tiles = outH / 2 * tilesW, half = wp / 2, panels = (outs + Gemm.MR - 1) / Gemm.MR;
        // V holds the transformed tiles in a ring, tile t at t mod ring: a chunk's tiles and the rest of
        // the row of its last one, each row transformed once. A row of V is 8 floats of slack and the
        // ring: a vector of tiles that runs past the ring's end is stored once more, 'ring' earlier,
        // where its first lanes fall into the slack and the others at the ring's start.
        int ring = (CHUNK + tilesW + L - 1) / L * L, vs = ring + L, step = panels * channels * Gemm.MR;
        // V_ξ and M_ξ a cache line more apart than their size: the transforms' 16 streams, a multiple of
        // 4 KB apart, fell into one set of the L1 cache (a quarter of the speed with 64 channels)
        int vx = channels * vs + 2 * L, mx = outs * CHUNK + 2 * L;
        float[][] s = SCRATCH.get();
        float[] eo = s[0] = ensure(s[0], channels * hp * wp);
        float[] v = s[1] = ensure(s[1], 16 * vx + L);
        float[] m = s[2] = ensure(s[2], 16 * mx + Gemm.MR * CHUNK);   // a last panel's rows past outs spill into the slack
        float[] ys = s[3] = ensure(s[3], 4 * L);
        float[] row = s[4] = ensure(s[4], wp + L);
        split(x, xo, channels, h, w, padH, padW, eo, row);
        int rowsDone = 0;
        for (int t0 = 0; t0 < tiles; t0 += CHUNK) {
            int n = Math.min(CHUNK, tiles - t0), lastRow = (t0 + n - 1) / tilesW;
            for (; rowsDone <= lastRow; rowsDone++) {
                for (int c = 0; c < channels; c++) {
                    for (int tx0 = 0; ; tx0 = Math.min(tx0 + L, tilesW - L)) {
                        int at = (rowsDone * tilesW + tx0) % ring, e = (c * hp + 2 * rowsDone) * wp + tx0;
                        inputTiles(eo, e, wp, half, v, c * vs + L + at, vx);
                        if (at + L > ring) inputTiles(eo, e, wp, half, v, c * vs + L + at - ring, vx);
                        if (tx0 == tilesW - L) break;
                    }
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                for (int ip = 0; ip < panels; ip++) {
                    int rows = Math.min(Gemm.MR, outs - ip * Gemm.MR);
                    for (int jp = 0; jp * L < n; jp++) {
                        int aAt = xi * step + ip * channels * Gemm.MR, bAt = xi * vx + L + (t0 + jp * L) % ring;
                        int cAt = xi * mx + ip * Gemm.MR * CHUNK + jp * L;
                        // 12 chains of FMAs keep both FMA units busy; 8 (a tile of 8 rows) did not
                        if (rows > 4) tile12(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                        else tile4(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                    }
                }
            }
            for (int o = 0; o < outs; o++) {
                float b = bias == null ? 0f : bias[bo + o];
                for (int l0 = 0; l0 < n; l0 += L) {
                    outputTiles(m, o * CHUNK + l0, mx, b, y, yo + o * outH * outW, outW, tilesW, t0 + l0,
                            Math.min(L, n - l0), ys);
                }
            }
        }
    }

    private static float[] ensure(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /**
     * The zero-padded image de-interleaved: row r of channel c at {@code (c·hp + r)·wp}, its even
     * columns first ({@code wp/2} of them), then its odd ones, so that the columns {@code 2tx + j} of
     * 8 consecutive tiles are 8 consecutive floats.
     */
    private static void split(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] eo, float[] row) {
        int hp = h + 2 * padH, wp = w + 2 * padW, half = wp / 2;
        java.util.Arrays.fill(row, 0f);   // the padding columns stay zero
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < hp; r++) {
                int d = (c * hp + r) * wp, sr = r - padH;
                if (sr < 0 || sr >= h) {
                    java.util.Arrays.fill(eo, d, d + wp, 0f);
                    continue;
                }
                System.arraycopy(x, xo + (c * h + sr) * w, row, padW, w);
                // 8 even and 8 odd columns from 16; the last group overlaps the one before
                for (int k0 = 0; ; k0 = Math.min(k0 + L, half - L)) {
                    FloatVector a = FloatVector.fromArray(S, row, 2 * k0), b = FloatVector.fromArray(S, row, 2 * k0 + L);
                    a.rearrange(EVEN, b).intoArray(eo, d + k0);
                    a.rearrange(ODD, b).intoArray(eo, d + half + k0);
                    if (k0 == half - L) break;
                }
            }
        }
    }

    /**
     * {@code V = Bᵀ d B} for 8 tiles of a row, {@code d} their 4×4 inputs from de-interleaved rows at
     * {@code e..}: along each row {@code d0 − d2, d1 + d2, d2 − d1, d1 − d3}, then the same down the
     * columns; V_ξ (ξ = 4i + j) stored at {@code v[vAt + ξ·stride ..]}.
     */
    private static void inputTiles(float[] eo, int e, int wp, int half, float[] v, int vAt, int stride) {
        FloatVector t00, t01, t02, t03, t10, t11, t12, t13, t20, t21, t22, t23, t30, t31, t32, t33;
        FloatVector e0 = FloatVector.fromArray(S, eo, e), e1 = FloatVector.fromArray(S, eo, e + 1);
        FloatVector o0 = FloatVector.fromArray(S, eo, e + half), o1 = FloatVector.fromArray(S, eo, e + half + 1);
        t00 = e0.sub(e1); t10 = o0.add(e1); t20 = e1.sub(o0); t30 = o0.sub(o1);
        e += wp;
        e0 = FloatVector.fromArray(S, eo, e); e1 = FloatVector.fromArray(S, eo, e + 1);
        o0 = FloatVector.fromArray(S, eo, e + half); o1 = FloatVector.fromArray(S, eo, e + half + 1);
        t01 = e0.sub(e1); t11 = o0.add(e1); t21 = e1.sub(o0); t31 = o0.sub(o1);
        e += wp;
        e0 = FloatVector.fromArray(S, eo, e); e1 = FloatVector.fromArray(S, eo, e + 1);
        o0 = FloatVector.fromArray(S, eo, e + half); o1 = FloatVector.fromArray(S, eo, e + half + 1);
        t02 = e0.sub(e1); t12 = o0.add(e1); t22 = e1.sub(o0); t32 = o0.sub(o1);
        e += wp;
        e0 = FloatVector.fromArray(S, eo, e); e1 = FloatVector.fromArray(S, eo, e + 1);
        o0 = FloatVector.fromArray(S, eo, e + half); o1 = FloatVector.fromArray(S, eo, e + half + 1);
        t03 = e0.sub(e1); t13 = o0.add(e1); t23 = e1.sub(o0); t33 = o0.sub(o1);
        // t_ji: column combination j of input row i; now down the rows i
        t00.sub(t02).intoArray(v, vAt); t01.add(t02).intoArray(v, vAt + 4 * stride);
        t02.sub(t01).intoArray(v, vAt + 8 * stride); t01.sub(t03).intoArray(v, vAt + 12 * stride);
        t10.sub(t12).intoArray(v, vAt + stride); t11.add(t12).intoArray(v, vAt + 5 * stride);
        t12.sub(t11).intoArray(v, vAt + 9 * stride); t11.sub(t13).intoArray(v, vAt + 13 * stride);
        t20.sub(t22).intoArray(v, vAt + 2 * stride); t21.add(t22).intoArray(v, vAt + 6 * stride);
        t22.sub(t21).intoArray(v, vAt + 10 * stride); t21.sub(t23).intoArray(v, vAt + 14 * stride);
        t30.sub(t32).intoArray(v, vAt + 3 * stride); t31.add(t32).intoArray(v, vAt + 7 * stride);
        t32.sub(t31).intoArray(v, vAt + 11 * stride); t31.sub(t33).intoArray(v, vAt + 15 * stride);
    }

    /**
     * {@code Y = Aᵀ M A} (+ bias) for {@code count} tiles from {@code t}: rows of A are
     * {@code (1, 1, 1, 0)} and {@code (0, 1, −1, −1)}. Four tiles of one row are written as two rows
     * of 8 outputs; the others (a group that wraps to the next row, or the last) one value at a time.
     */
    private static void outputTiles(float[] m, int mAt, int stride, float bias, float[] y, int yAt, int outW, int tilesW,
                                    int t, int count, float[] ys) {
        FloatVector s00, s01, s02, s03, s10, s11, s12, s13;
        FloatVector m0 = FloatVector.fromArray(S, m, mAt), m1 = FloatVector.fromArray(S, m, mAt + 4 * stride);
        FloatVector m2 = FloatVector.fromArray(S, m, mAt + 8 * stride), m3 = FloatVector.fromArray(S, m, mAt + 12 * stride);
        s00 = m0.add(m1).add(m2); s10 = m1.sub(m2).sub(m3);
        m0 = FloatVector.fromArray(S, m, mAt + stride); m1 = FloatVector.fromArray(S, m, mAt + 5 * stride);
        m2 = FloatVector.fromArray(S, m, mAt + 9 * stride); m3 = FloatVector.fromArray(S, m, mAt + 13 * stride);
        s01 = m0.add(m1).add(m2); s11 = m1.sub(m2).sub(m3);
        m0 = FloatVector.fromArray(S, m, mAt + 2 * stride); m1 = FloatVector.fromArray(S, m, mAt + 6 * stride);
        m2 = FloatVector.fromArray(S, m, mAt + 10 * stride); m3 = FloatVector.fromArray(S, m, mAt + 14 * stride);
        s02 = m0.add(m1).add(m2); s12 = m1.sub(m2).sub(m3);
        m0 = FloatVector.fromArray(S, m, mAt + 3 * stride); m1 = FloatVector.fromArray(S, m, mAt + 7 * stride);
        m2 = FloatVector.fromArray(S, m, mAt + 11 * stride); m3 = FloatVector.fromArray(S, m, mAt + 15 * stride);
        s03 = m0.add(m1).add(m2); s13 = m1.sub(m2).sub(m3);
        FloatVector y00 = s00.add(s01).add(s02).add(bias), y01 = s01.sub(s02).sub(s03).add(bias);
        FloatVector y10 = s10.add(s11).add(s12).add(bias), y11 = s11.sub(s12).sub(s13).add(bias);
        boolean stored = false;
        for (int g = 0; g < 2; g++) {
            int first = t + 4 * g, ty = first / tilesW, tx = first % tilesW;
            if (count < 4 * g + 4 || tx + 4 > tilesW) {
                if (!stored) {
                    y00.intoArray(ys, 0); y01.intoArray(ys, L); y10.intoArray(ys, 2 * L); y11.intoArray(ys, 3 * L);
                    stored = true;
                }
                for (int l = 4 * g; l < Math.min(count, 4 * g + 4); l++) {
                    int tl = t + l, at = yAt + (tl / tilesW) * 2 * outW + tl % tilesW * 2;
                    y[at] = ys[l]; y[at + 1] = ys[L + l]; y[at + outW] = ys[2 * L + l]; y[at + outW + 1] = ys[3 * L + l];
                }
                continue;
            }
            int at = yAt + ty * 2 * outW + tx * 2;
            VectorShuffle<Float> pick = g == 0 ? LOW : HIGH;
            y00.rearrange(pick, y01).intoArray(y, at);
            y10.rearrange(pick, y11).intoArray(y, at + outW);
        }
    }

    /** {@code c[cAt + i·ldc ..] = Σ_q ap[aAt + q·MR + i] · b[bAt + q·ldb ..]} for 12 rows, one FMA chain each. */
    private static void tile12(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int q = 0; q < kk; q++) {
            int a = aAt + q * mr;
            FloatVector bv = FloatVector.fromArray(S, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(S, ap[a]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, ap[a + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, ap[a + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, ap[a + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, ap[a + 7]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, ap[a + 8]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, ap[a + 9]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, ap[a + 10]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, ap[a + 11]).fma(bv, c11);
        }
        c0.intoArray(c, cAt); c1.intoArray(c, cAt + ldc); c2.intoArray(c, cAt + 2 * ldc); c3.intoArray(c, cAt + 3 * ldc);
        c4.intoArray(c, cAt + 4 * ldc); c5.intoArray(c, cAt + 5 * ldc); c6.intoArray(c, cAt + 6 * ldc);
        c7.intoArray(c, cAt + 7 * ldc); c8.intoArray(c, cAt + 8 * ldc); c9.intoArray(c, cAt + 9 * ldc);
        c10.intoArray(c, cAt + 10 * ldc); c11.intoArray(c, cAt + 11 * ldc);
    }

    /** {@link #tile12} for 4 rows. */
    private static void tile4(float[] ap, int aAt, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        final int mr = Gemm.MR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < kk; q++) {
            int a = aAt + q * mr;
            FloatVector bv = FloatVector.fromArray(S, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(S, ap[a]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(bv, c3);
        }
        c0.intoArray(c, cAt); c1.intoArray(c, cAt + ldc); c2.intoArray(c, cAt + 2 * ldc); c3.intoArray(c, cAt + 3 * ldc);
    }
}
