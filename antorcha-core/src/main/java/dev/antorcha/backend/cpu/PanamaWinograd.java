package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
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
    /** Whether the products run on 512-bit vectors ({@link PanamaWinogradWide}). */
    private static final boolean WIDE = PanamaWinogradWide.available();
    /** Tiles a chunk: three column panels, or four (two 512-bit vectors) where the products are wide. */
    private static final int CHUNK = (WIDE ? 4 : 3) * L;
    /**
     * Indices into two vectors for {@link FloatVector#selectFrom(jdk.incubator.vector.Vector,
     * jdk.incubator.vector.Vector)}, one permute of two sources (a two-vector {@code rearrange} is
     * two permutes, a mask and a blend): lanes 0–3 (and 4–7) of both interleaved, a row of outputs of
     * four tiles; the even (and odd) lanes of both.
     */
    private static final FloatVector LOW = indices(0, 8, 1, 9, 2, 10, 3, 11), HIGH = indices(4, 12, 5, 13, 6, 14, 7, 15);
    private static final FloatVector EVEN = indices(0, 2, 4, 6, 8, 10, 12, 14), ODD = indices(1, 3, 5, 7, 9, 11, 13, 15);

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);
    private static final ThreadLocal<float[][]> SCRATCH_W = ThreadLocal.withInitial(() -> new float[5][0]);

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
        // With 512-bit products a chunk is read as two vectors: the ring is whole chunks, so none wraps.
        int ringUnit = WIDE ? CHUNK : L, ring = (CHUNK + tilesW + ringUnit - 1) / ringUnit * ringUnit;
        int vs = ring + L, step = panels * channels * Gemm.MR;
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
                        // columns 2tx + j of the tiles: even, odd, even (one on), odd (one on)
                        int at = (rowsDone * tilesW + tx0) % ring, e = (c * hp + 2 * rowsDone) * wp + tx0;
                        transform(eo, e, 0, half, 1, half + 1, wp, v, c * vs + L + at, vx);
                        if (at + L > ring) transform(eo, e, 0, half, 1, half + 1, wp, v, c * vs + L + at - ring, vx);
                        if (tx0 == tilesW - L) break;
                    }
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                for (int ip = 0; ip < panels; ip++) {
                    int rows = Math.min(Gemm.MR, outs - ip * Gemm.MR);
                    if (WIDE) {
                        // a whole chunk, or a last one read whole (32 tiles, or 16 where it has at most 16):
                        // the lanes past n are tiles of the ring not in this chunk, computed and never read
                        int aAt = xi * step + ip * channels * Gemm.MR, bAt = xi * vx + L + t0 % ring;
                        int cAt = xi * mx + ip * Gemm.MR * CHUNK;
                        if (n <= 2 * L) {
                            if (rows > 8) PanamaWinogradWide.tile12x16(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                            else PanamaWinogradWide.tile8x16(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                        } else if (rows > 8) {
                            PanamaWinogradWide.tile12(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                        } else if (rows > 4) {
                            PanamaWinogradWide.tile8(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                        } else {
                            PanamaWinogradWide.tile4(up, aAt, v, bAt, vs, channels, m, cAt, CHUNK);
                        }
                        continue;
                    }
                    for (int jp = 0; jp * L < n; jp++) {
                        int aAt = xi * step + ip * channels * Gemm.MR, bAt = xi * vx + L + (t0 + jp * L) % ring;
                        int cAt = xi * mx + ip * Gemm.MR * CHUNK + jp * L;
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

    private static FloatVector indices(float... lanes) {
        return FloatVector.fromArray(S, lanes, 0);
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
                    EVEN.selectFrom(a, b).intoArray(eo, d + k0);
                    ODD.selectFrom(a, b).intoArray(eo, d + half + k0);
                    if (k0 == half - L) break;
                }
            }
        }
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
            FloatVector pick = g == 0 ? LOW : HIGH;
            pick.selectFrom(y00, y01).intoArray(y, at);
            pick.selectFrom(y10, y11).intoArray(y, at + outW);
        }
    }

    /**
     * See {@link FloatKernels#winogradWeightGradImage}. The image's padded input is laid out with its
     * channels innermost and the output gradient too, so that 8 channels (or outputs) of a tile are
     * one vector: {@code V_ξ[t][c]} as in the forward, {@code Gt_ξ[t][o] = ±(G g Gᵀ)_ξ} of each 2×2
     * block g of the output gradient, and each register tile sums 12 outputs × 8 channels over all
     * tiles of the image before adding to {@code m}.
     */
    static void weightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH,
                                int padW, float[] m) {
        int hp = h + 2 * padH, wp = w + 2 * padW, outH = hp - 2, outW = wp - 2, tilesW = outW / 2, tiles = outH / 2 * tilesW;
        int cp = (ins + L - 1) / L * L, op = (outs + L - 1) / L * L;
        // a cache line more than a multiple of 4 KB between the 16 transforms' streams
        int vx = tiles * cp + 2 * L, gx = tiles * op + 2 * L;
        float[][] s = SCRATCH_W.get();
        float[] xt = s[0] = ensure(s[0], hp * wp * cp);
        float[] gt = s[1] = ensure(s[1], outH * outW * op);
        float[] v = s[2] = ensure(s[2], 16 * vx);
        float[] u = s[3] = ensure(s[3], 16 * gx + Gemm.MR);
        float[] tile = s[4] = ensure(s[4], Gemm.MR * 32);
        // channels innermost, zero-padded (the channels past ins too), by 8×8 transposes
        if (padH > 0 || padW > 0 || cp != ins) java.util.Arrays.fill(xt, 0, hp * wp * cp, 0f);
        int c8 = ins / L * L, plane = h * w;
        for (int r = 0; r < h; r++) {
            int dRow = ((r + padH) * wp + padW) * cp, sRow = xo + r * w;
            for (int c0 = 0; c0 < c8; c0 += L) {
                for (int j0 = 0; ; j0 = Math.min(j0 + L, w - L)) {
                    PanamaPacking.transpose8(x, sRow + c0 * plane + j0, plane, xt, dRow + j0 * cp + c0, cp);
                    if (j0 == w - L) break;
                }
            }
            for (int c = c8; c < ins; c++) {
                for (int j = 0; j < w; j++) xt[dRow + j * cp + c] = x[sRow + c * plane + j];
            }
        }
        if (op != outs) java.util.Arrays.fill(gt, 0, outH * outW * op, 0f);
        int o8 = outs / L * L, pixels = outH * outW;
        for (int o0 = 0; o0 < o8; o0 += L) {
            for (int q0 = 0; ; q0 = Math.min(q0 + L, pixels - L)) {
                PanamaPacking.transpose8(gy, go + o0 * pixels + q0, pixels, gt, q0 * op + o0, op);
                if (q0 == pixels - L) break;
            }
        }
        for (int o = o8; o < outs; o++) {
            for (int q = 0; q < pixels; q++) gt[q * op + o] = gy[go + o * pixels + q];
        }
        for (int ty = 0; ty < outH / 2; ty++) {
            for (int tx = 0; tx < tilesW; tx++) {
                int t = ty * tilesW + tx;
                for (int c0 = 0; c0 < cp; c0 += L) {
                    transform(xt, (2 * ty * wp + 2 * tx) * cp + c0, 0, cp, 2 * cp, 3 * cp, wp * cp, v, t * cp + c0, vx);
                }
                for (int o0 = 0; o0 < op; o0 += L) {
                    gradientTiles(gt, (2 * ty * outW + 2 * tx) * op + o0, op, outW * op, u, t * op + o0, gx);
                }
            }
        }
        int panels = (outs + Gemm.MR - 1) / Gemm.MR, mx = Winograd.sumRows(outs) * cp;
        for (int xi = 0; xi < 16; xi++) {
            for (int ip = 0; ip < panels; ip++) {
                int rows = Math.min(Gemm.MR, outs - ip * Gemm.MR);
                for (int c0 = 0; c0 < cp; ) {
                    int aAt = xi * gx + ip * Gemm.MR, bAt = xi * vx + c0, cAt = xi * mx + ip * Gemm.MR * cp + c0;
                    if (WIDE && cp - c0 >= 32) {   // 32 channels by 512-bit vectors
                        if (rows > 4) PanamaWinogradWide.sum12(u, aAt, op, v, bAt, cp, tiles, m, cAt, cp, tile);
                        else PanamaWinogradWide.sum4(u, aAt, op, v, bAt, cp, tiles, m, cAt, cp, tile);
                        c0 += 32;
                        continue;
                    }
                    if (rows > 4) sum12(u, aAt, op, v, bAt, cp, tiles, m, cAt, cp);
                    else sum4(u, aAt, op, v, bAt, cp, tiles, m, cAt, cp);
                    c0 += L;
                }
            }
        }
    }

    /**
     * {@code V = Bᵀ d B} of 8 vectors (tiles, or channels), the 4×4 inputs' column j of row i at
     * {@code e + i·rs + dj}: along each row {@code d0 − d2, d1 + d2, d2 − d1, d1 − d3}, then the same
     * down the columns; V_ξ (ξ = 4i + j) stored at {@code v[vAt + ξ·stride ..]}.
     */
    private static void transform(float[] src, int e, int d0, int d1, int d2, int d3, int rs, float[] v, int vAt, int stride) {
        FloatVector t00, t01, t02, t03, t10, t11, t12, t13, t20, t21, t22, t23, t30, t31, t32, t33;
        FloatVector a0 = FloatVector.fromArray(S, src, e + d0), a1 = FloatVector.fromArray(S, src, e + d1);
        FloatVector a2 = FloatVector.fromArray(S, src, e + d2), a3 = FloatVector.fromArray(S, src, e + d3);
        t00 = a0.sub(a2); t10 = a1.add(a2); t20 = a2.sub(a1); t30 = a1.sub(a3);
        e += rs;
        a0 = FloatVector.fromArray(S, src, e + d0); a1 = FloatVector.fromArray(S, src, e + d1);
        a2 = FloatVector.fromArray(S, src, e + d2); a3 = FloatVector.fromArray(S, src, e + d3);
        t01 = a0.sub(a2); t11 = a1.add(a2); t21 = a2.sub(a1); t31 = a1.sub(a3);
        e += rs;
        a0 = FloatVector.fromArray(S, src, e + d0); a1 = FloatVector.fromArray(S, src, e + d1);
        a2 = FloatVector.fromArray(S, src, e + d2); a3 = FloatVector.fromArray(S, src, e + d3);
        t02 = a0.sub(a2); t12 = a1.add(a2); t22 = a2.sub(a1); t32 = a1.sub(a3);
        e += rs;
        a0 = FloatVector.fromArray(S, src, e + d0); a1 = FloatVector.fromArray(S, src, e + d1);
        a2 = FloatVector.fromArray(S, src, e + d2); a3 = FloatVector.fromArray(S, src, e + d3);
        t03 = a0.sub(a2); t13 = a1.add(a2); t23 = a2.sub(a1); t33 = a1.sub(a3);
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
     * {@code Gt = S (G g Gᵀ) S} for one 2×2 block g of the output gradient and 8 outputs, G's rows
     * {@code (1, 0), (½, ½), (½, −½), (0, 1)} and S = diag(1, 1, 1, −1): F(3×3, 2×2)'s data transform
     * is the forward's with its last row negated, which S moves onto this side.
     */
    private static void gradientTiles(float[] gt, int e, int os, int rs, float[] u, int uAt, int stride) {
        FloatVector g00 = FloatVector.fromArray(S, gt, e), g01 = FloatVector.fromArray(S, gt, e + os);
        FloatVector g10 = FloatVector.fromArray(S, gt, e + rs), g11 = FloatVector.fromArray(S, gt, e + rs + os);
        // down the columns: rows g0, (g0 + g1)/2, (g0 − g1)/2, −g1 (S's sign)
        FloatVector a0 = g00, a1 = g00.add(g10).mul(0.5f), a2 = g00.sub(g10).mul(0.5f), a3 = g10.neg();
        FloatVector b0 = g01, b1 = g01.add(g11).mul(0.5f), b2 = g01.sub(g11).mul(0.5f), b3 = g11.neg();
        // along the rows, the same
        a0.intoArray(u, uAt); a0.add(b0).mul(0.5f).intoArray(u, uAt + stride);
        a0.sub(b0).mul(0.5f).intoArray(u, uAt + 2 * stride); b0.neg().intoArray(u, uAt + 3 * stride);
        a1.intoArray(u, uAt + 4 * stride); a1.add(b1).mul(0.5f).intoArray(u, uAt + 5 * stride);
        a1.sub(b1).mul(0.5f).intoArray(u, uAt + 6 * stride); b1.neg().intoArray(u, uAt + 7 * stride);
        a2.intoArray(u, uAt + 8 * stride); a2.add(b2).mul(0.5f).intoArray(u, uAt + 9 * stride);
        a2.sub(b2).mul(0.5f).intoArray(u, uAt + 10 * stride); b2.neg().intoArray(u, uAt + 11 * stride);
        a3.intoArray(u, uAt + 12 * stride); a3.add(b3).mul(0.5f).intoArray(u, uAt + 13 * stride);
        a3.sub(b3).mul(0.5f).intoArray(u, uAt + 14 * stride); b3.neg().intoArray(u, uAt + 15 * stride);
    }

    /**
     * {@code c[cAt + i·ldc ..] += Σ_q a[aAt + q·lda + i] · b[bAt + q·ldb ..]} for 12 rows, one FMA chain
     * each from zero (A read in place, not packed). The forward's tiles are a separate copy: with
     * A's stride a parameter and a flag for adding to C, one tile for both made the forward 0.4–0.6 ms
     * slower (of 7, conv2 on two threads, 3 of 3 runs).
     */
    private static void sum12(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * lda;
            FloatVector bv = FloatVector.fromArray(S, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(S, a[at]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[at + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[at + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[at + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[at + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[at + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[at + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[at + 7]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, a[at + 8]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, a[at + 9]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, a[at + 10]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, a[at + 11]).fma(bv, c11);
        }
        add(c0, c, cAt); add(c1, c, cAt + ldc); add(c2, c, cAt + 2 * ldc); add(c3, c, cAt + 3 * ldc);
        add(c4, c, cAt + 4 * ldc); add(c5, c, cAt + 5 * ldc); add(c6, c, cAt + 6 * ldc); add(c7, c, cAt + 7 * ldc);
        add(c8, c, cAt + 8 * ldc); add(c9, c, cAt + 9 * ldc); add(c10, c, cAt + 10 * ldc); add(c11, c, cAt + 11 * ldc);
    }

    private static void add(FloatVector v, float[] c, int at) {
        FloatVector.fromArray(S, c, at).add(v).intoArray(c, at);
    }

    /** {@link #sum12} for 4 rows. */
    private static void sum4(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < kk; q++) {
            int at = aAt + q * lda;
            FloatVector bv = FloatVector.fromArray(S, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(S, a[at]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[at + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[at + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[at + 3]).fma(bv, c3);
        }
        add(c0, c, cAt); add(c1, c, cAt + ldc); add(c2, c, cAt + 2 * ldc); add(c3, c, cAt + 3 * ldc);
    }

    /**
     * {@code c[cAt + i·ldc ..] = Σ_q ap[aAt + q·MR + i] · b[bAt + q·ldb ..]} for 12 rows of a packed A,
     * one FMA chain each from zero: 12 chains keep both FMA units busy (a tile of 8 rows, 8 chains of
     * a 5-cycle latency, did not).
     */
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
