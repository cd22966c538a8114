package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One image of a 3×3 convolution by F(4×4, 3×3) ({@link Winograd#forward}, {@link Winograd#inputGrad})
 * on 512-bit vectors that hold 16 channels: each 4×4 block of outputs (a tile) from the 6×6 block of
 * the input under it, {@code Y = Aᵀ [Σ_c U_ξ[c][o] · V_ξ[tile][c]] A} with {@code V = Bᵀ d B} and the
 * weights {@code U = G g Gᵀ} ({@link Winograd#transformWeights4}): 36 products of 36 multiply-adds
 * a tile and channel pair where the direct sum does 144, four times fewer (F(2×2, 3×3): 2.25). The
 * transforms' constants are Lavin and Gray's (interpolation points 0, ±1, ±2):
 * <pre>
 *      | 4  0 −5  0  1  0 |        | 1  1  1  1  1  0 |
 *      | 0 −4 −4  1  1  0 |   Aᵀ = | 0  1 −1  2 −2  0 |
 * Bᵀ = | 0  4 −4 −1  1  0 |        | 0  1  1  4  4  0 |
 *      | 0 −2 −1  2  1  0 |        | 0  1 −1  8 −8  1 |
 *      | 0  2 −1 −2  1  0 |
 *      | 0  4  0 −5  0  1 |
 * </pre>
 * The image is laid out with its channels innermost (zero-padded to whole tiles: outputs need not
 * be a multiple of 4), so a vector is 16 channels of one pixel and the transforms need no shuffles;
 * tiles are taken {@link #CHUNK} at a time (their transformed inputs and products stay in L2), the
 * products are register tiles of 12 (or 6) tiles × 32 or 16 outputs over the channels in order from
 * zero, and the outputs, channels innermost too, are transposed back at the end. Each output is
 * computed in one order whatever the thread count. The rounding differs from F(2×2, 3×3)'s and the
 * direct sum's, with an error of the same order (the transforms' larger constants make it a few
 * times the direct sum's; {@code ConvKernelsTest} bounds it against float64).
 */
final class PanamaWinograd4 {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    private static final int L = 16;
    /** Tiles transformed and multiplied together: four register tiles of 6. */
    private static final int CHUNK = 24;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);
    private static final ThreadLocal<float[][]> SCRATCH_W = ThreadLocal.withInitial(() -> new float[5][0]);
    /** Tiles of the weight gradient transformed together: its products' sums run over them. */
    private static final int W_CHUNK = 48;
    private static final FloatVector MINUS4 = FloatVector.broadcast(W, -4f), MINUS5 = FloatVector.broadcast(W, -5f);
    private static final FloatVector TWO = FloatVector.broadcast(W, 2f), FOUR = FloatVector.broadcast(W, 4f);
    private static final FloatVector EIGHT = FloatVector.broadcast(W, 8f);
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

    private PanamaWinograd4() {
    }

    /** Whether the machine's vectors hold 16 floats (AVX-512): elsewhere 512-bit vectors are not intrinsics. */
    static boolean available() {
        return FloatVector.SPECIES_PREFERRED.length() >= L;
    }

    /** See {@link FloatKernels#winograd4Image}. */
    static void image(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] up, int outs,
                      float[] bias, int bo, float[] y, int yo) {
        int outH = h + 2 * padH - 2, outW = w + 2 * padW - 2, th = (outH + 3) / 4, tw = (outW + 3) / 4, tiles = th * tw;
        int hp = 4 * th + 2, wp = 4 * tw + 2, yw = 4 * tw;
        // a vector more than the chunk between the 36 streams of V (and of M): an odd number of cache
        // lines apart, so that they do not fall into a few sets of the L1 cache
        int vx = CHUNK * channels + L, mx = CHUNK * outs + L;
        float[][] s = SCRATCH.get();
        float[] xt = s[0] = ensure(s[0], hp * wp * channels);
        float[] v = s[1] = ensure(s[1], 36 * vx);
        float[] m = s[2] = ensure(s[2], 36 * mx);
        float[] yt = s[3] = ensure(s[3], 4 * th * yw * outs);
        float[] tmp = s[4] = ensure(s[4], 36 * L);
        channelsInnermost(x, xo, channels, h, w, padH, padW, xt, hp, wp);
        for (int t0 = 0; t0 < tiles; t0 += CHUNK) {
            int n = Math.min(CHUNK, tiles - t0), rows = (n + 5) / 6 * 6;
            for (int t = 0; t < n; t++) {
                int ty = (t0 + t) / tw, tx = (t0 + t) % tw, e = (4 * ty * wp + 4 * tx) * channels;
                for (int c0 = 0; c0 < channels; c0 += L) inputTile(xt, e + c0, channels, wp * channels, v, t * channels + c0, vx, tmp);
            }
            // the rows past n hold an earlier chunk's tiles (or zeros): computed, never read
            for (int xi = 0; xi < 36; xi++) {
                int uAt = xi * channels * outs;
                for (int r0 = 0; r0 < rows; ) {
                    int aAt = xi * vx + r0 * channels, cAt = xi * mx + r0 * outs, o0 = 0;
                    if (rows - r0 >= 12) {
                        for (; o0 + 32 <= outs; o0 += 32) rows12x32(v, aAt, channels, up, uAt + o0, outs, channels, m, cAt + o0, outs);
                        if (o0 < outs) {   // 16 more outputs: two tiles of 6 rows
                            rows6x16(v, aAt, channels, up, uAt + o0, outs, channels, m, cAt + o0, outs);
                            rows6x16(v, aAt + 6 * channels, channels, up, uAt + o0, outs, channels, m, cAt + 6 * outs + o0, outs);
                        }
                        r0 += 12;
                        continue;
                    }
                    for (; o0 + 32 <= outs; o0 += 32) rows6x32(v, aAt, channels, up, uAt + o0, outs, channels, m, cAt + o0, outs);
                    if (o0 < outs) rows6x16(v, aAt, channels, up, uAt + o0, outs, channels, m, cAt + o0, outs);
                    r0 += 6;
                }
            }
            for (int t = 0; t < n; t++) {
                int ty = (t0 + t) / tw, tx = (t0 + t) % tw, yAt = (4 * ty * yw + 4 * tx) * outs;
                for (int o0 = 0; o0 < outs; o0 += L) {
                    outputTile(m, t * outs + o0, mx, bias, bo + o0, yt, yAt + o0, yw * outs, outs, tmp);
                }
            }
        }
        // back to one plane a channel, the outputs past outH × outW (whole tiles) left out
        int plane = outH * outW;
        for (int o0 = 0; o0 < outs; o0 += L) {
            for (int r = 0; r < outH; r++) toPlanes(yt, r * yw * outs + o0, outs, y, yo + o0 * plane + r * outW, plane, outW);
        }
    }

    /**
     * See {@link FloatKernels#winograd4WeightGradImage}: F(3×3, 4×4), each 4×4 block h of the output
     * gradient a tile and the 6×6 block d of the padded input under it its data, so that
     * {@code dW = G' [Σ_tiles (A h Aᵀ) ⊙ (Bᵀ d B)] G'ᵀ} with this class's {@code Bᵀ} and {@code A} and
     * the forward's G (the transposition principle: {@code Σ_k A[k][p] G[k][a] Bᵀ[k][i] = δ(i = p + a)}
     * for both). Image and gradient are laid out with channels innermost; each register tile sums 8
     * outputs × 32 channels over a chunk's tiles in order and adds to {@code m}.
     */
    static void weightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH, int padW,
                                float[] m, int mo) {
        int outH = h + 2 * padH - 2, outW = w + 2 * padW - 2, th = (outH + 3) / 4, tw = (outW + 3) / 4, tiles = th * tw;
        int hp = 4 * th + 2, wp = 4 * tw + 2, gw = 4 * tw;
        int vx = W_CHUNK * ins + L, ux = W_CHUNK * outs + L;
        float[][] s = SCRATCH_W.get();
        float[] xt = s[0] = ensure(s[0], hp * wp * ins);
        float[] gt = s[1] = ensure(s[1], 4 * th * gw * outs);
        float[] v = s[2] = ensure(s[2], 36 * vx);
        float[] u = s[3] = ensure(s[3], 36 * ux);
        float[] tmp = s[4] = ensure(s[4], 36 * L);
        channelsInnermost(x, xo, ins, h, w, padH, padW, xt, hp, wp);
        channelsInnermost(gy, go, outs, outH, outW, 0, 0, gt, 4 * th, gw);   // zeros past outH × outW add nothing
        for (int t0 = 0; t0 < tiles; t0 += W_CHUNK) {
            int n = Math.min(W_CHUNK, tiles - t0);
            for (int t = 0; t < n; t++) {
                int ty = (t0 + t) / tw, tx = (t0 + t) % tw;
                int e = (4 * ty * wp + 4 * tx) * ins, g = (4 * ty * gw + 4 * tx) * outs;
                for (int c0 = 0; c0 < ins; c0 += L) inputTile(xt, e + c0, ins, wp * ins, v, t * ins + c0, vx, tmp);
                for (int o0 = 0; o0 < outs; o0 += L) gradientTile(gt, g + o0, outs, gw * outs, u, t * outs + o0, ux, tmp);
            }
            for (int xi = 0; xi < 36; xi++) {
                for (int o0 = 0; o0 < outs; o0 += 8) {
                    int aAt = xi * ux + o0, bAt = xi * vx, cAt = mo + (xi * outs + o0) * ins;
                    int c0 = 0;
                    for (; c0 + 32 <= ins; c0 += 32) sum8x32(u, aAt, outs, v, bAt + c0, ins, n, m, cAt + c0, ins, tmp);
                    if (c0 < ins) sum8x16(u, aAt, outs, v, bAt + c0, ins, n, m, cAt + c0, ins, tmp);
                }
            }
        }
    }

    /**
     * {@code U = A h Aᵀ} for 16 outputs of one 4×4 block h of the output gradient, {@code h[p][q]} at
     * {@code src[e + p·rs + q·cs]}, A's rows {@code (1, 0, 0, 0), (1, 1, 1, 1), (1, −1, 1, −1),
     * (1, 2, 4, 8), (1, −2, 4, −8), (0, 0, 0, 1)} (Aᵀ of the forward); {@code U_ξ} at {@code u[uAt + ξ·stride]}.
     */
    private static void gradientTile(float[] src, int e, int cs, int rs, float[] u, int uAt, int stride, float[] tmp) {
        for (int q = 0; q < 4; q++) a(src, e + q * cs, rs, tmp, q * L, 4 * L);
        for (int k = 0; k < 6; k++) a(tmp, 4 * k * L, L, u, uAt + 6 * k * stride, stride);
    }

    /**
     * The six rows of A applied to the four vectors {@code src[at + i·step]}, stored at
     * {@code dst[dAt + k·stride]}. (No method here takes vectors as arguments: one that C2 does not
     * inline, past its node budget, gets them boxed, an allocation a call.)
     */
    private static void a(float[] src, int at, int step, float[] dst, int dAt, int stride) {
        FloatVector h0 = FloatVector.fromArray(W, src, at), h1 = FloatVector.fromArray(W, src, at + step);
        FloatVector h2 = FloatVector.fromArray(W, src, at + 2 * step), h3 = FloatVector.fromArray(W, src, at + 3 * step);
        FloatVector e = h0.add(h2), f = h1.add(h3), e4 = h2.fma(FOUR, h0), f8 = h3.fma(FOUR, h1).mul(TWO);
        h0.intoArray(dst, dAt);
        e.add(f).intoArray(dst, dAt + stride);
        e.sub(f).intoArray(dst, dAt + 2 * stride);
        e4.add(f8).intoArray(dst, dAt + 3 * stride);
        e4.sub(f8).intoArray(dst, dAt + 4 * stride);
        h3.intoArray(dst, dAt + 5 * stride);
    }

    /**
     * {@code c[cAt + i·ldc + j] += Σ_q a[aAt + q·step + i] · b[bAt + q·ldb + j]} for 8 rows (outputs)
     * and 32 columns (channels): 16 accumulators, each a chain over q from zero, added to c at the end
     * through {@code tile} (256 floats).
     */
    private static void sum8x32(float[] a, int aAt, int step, float[] b, int bAt, int ldb, int kk, float[] c, int cAt,
                                int ldc, float[] tile) {
        FloatVector z = FloatVector.zero(W);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int q = 0; q < kk; q++) {
            int bq = bAt + q * ldb, aq = aAt + q * step;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, a[aq]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(W, a[aq + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(W, a[aq + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(W, a[aq + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(W, a[aq + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(W, a[aq + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(W, a[aq + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(W, a[aq + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, 16); c10.intoArray(tile, 32); c11.intoArray(tile, 48);
        c20.intoArray(tile, 64); c21.intoArray(tile, 80); c30.intoArray(tile, 96); c31.intoArray(tile, 112);
        c40.intoArray(tile, 128); c41.intoArray(tile, 144); c50.intoArray(tile, 160); c51.intoArray(tile, 176);
        c60.intoArray(tile, 192); c61.intoArray(tile, 208); c70.intoArray(tile, 224); c71.intoArray(tile, 240);
        addTile(tile, 2, c, cAt, ldc);
    }

    /** {@link #sum8x32} for 16 columns. */
    private static void sum8x16(float[] a, int aAt, int step, float[] b, int bAt, int ldb, int kk, float[] c, int cAt,
                                int ldc, float[] tile) {
        FloatVector c0 = FloatVector.zero(W), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int q = 0; q < kk; q++) {
            int aq = aAt + q * step;
            FloatVector b0 = FloatVector.fromArray(W, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(W, a[aq]).fma(b0, c0);
            c1 = FloatVector.broadcast(W, a[aq + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(W, a[aq + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(W, a[aq + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(W, a[aq + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(W, a[aq + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(W, a[aq + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(W, a[aq + 7]).fma(b0, c7);
        }
        c0.intoArray(tile, 0); c1.intoArray(tile, 16); c2.intoArray(tile, 32); c3.intoArray(tile, 48);
        c4.intoArray(tile, 64); c5.intoArray(tile, 80); c6.intoArray(tile, 96); c7.intoArray(tile, 112);
        addTile(tile, 1, c, cAt, ldc);
    }

    /**
     * {@code c[cAt + i·ldc + j·16 ..] += tile[(i·vectors + j)·16 ..]} for 8 rows of {@code vectors}
     * vectors: the sums' epilogue, a loop of its own (16 additions written out put the method past
     * C2's node budget for inlining, and the last ones' vectors were boxed).
     */
    private static void addTile(float[] tile, int vectors, float[] c, int cAt, int ldc) {
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < vectors; j++) {
                int at = cAt + i * ldc + j * L;
                FloatVector.fromArray(W, c, at).add(FloatVector.fromArray(W, tile, (i * vectors + j) * L)).intoArray(c, at);
            }
        }
    }

    private static float[] ensure(float[] a, int size) {
        return a.length >= size ? a : new float[size];
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
    private static void toPlanes(float[] src, int s, int ss, float[] dst, int d, int ds, int n) {
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

    /**
     * The image zero-padded to {@code hp × wp} pixels of {@code channels} floats each, pixel (r, j) at
     * {@code (r·wp + j)·channels}, by 8×8 transposes (rows at least 8 wide).
     */
    private static void channelsInnermost(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] xt,
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
     * {@code V = Bᵀ d B} for 16 channels of one tile, {@code d[i][j]} at {@code src[e + i·rs + j·cs]}:
     * {@code Bᵀ} down each column into {@code tmp}, then along each row; {@code V_ξ} (ξ = 6k + j) at
     * {@code v[vAt + ξ·stride]}.
     */
    private static void inputTile(float[] src, int e, int cs, int rs, float[] v, int vAt, int stride, float[] tmp) {
        for (int j = 0; j < 6; j++) bt(src, e + j * cs, rs, tmp, j * L, 6 * L);
        for (int k = 0; k < 6; k++) bt(tmp, 6 * k * L, L, v, vAt + 6 * k * stride, stride);
    }

    /** The six rows of {@code Bᵀ} applied to the six vectors {@code src[at + i·step]}, stored at {@code dst[dAt + k·stride]}. */
    private static void bt(float[] src, int at, int step, float[] dst, int dAt, int stride) {
        FloatVector d0 = FloatVector.fromArray(W, src, at), d1 = FloatVector.fromArray(W, src, at + step);
        FloatVector d2 = FloatVector.fromArray(W, src, at + 2 * step), d3 = FloatVector.fromArray(W, src, at + 3 * step);
        FloatVector d4 = FloatVector.fromArray(W, src, at + 4 * step), d5 = FloatVector.fromArray(W, src, at + 5 * step);
        FloatVector a = d2.fma(MINUS4, d4), b = d1.fma(MINUS4, d3), c = d4.sub(d2), e = d3.sub(d1).mul(TWO);
        d0.mul(FOUR).add(d2.fma(MINUS5, d4)).intoArray(dst, dAt);
        a.add(b).intoArray(dst, dAt + stride);
        a.sub(b).intoArray(dst, dAt + 2 * stride);
        c.add(e).intoArray(dst, dAt + 3 * stride);
        c.sub(e).intoArray(dst, dAt + 4 * stride);
        d1.mul(FOUR).add(d3.fma(MINUS5, d5)).intoArray(dst, dAt + 5 * stride);
    }

    /**
     * {@code Y = Aᵀ M A} + bias ({@code biases[bo ..]}, or none where biases is null) for 16 outputs of one tile, {@code M_ξ} at {@code m[mAt + ξ·stride]}:
     * {@code Aᵀ} down each column into {@code tmp}, then along each row; {@code Y[p][q]} at
     * {@code y[yAt + p·rs + q·cs]}.
     */
    private static void outputTile(float[] m, int mAt, int stride, float[] biases, int bo, float[] y, int yAt, int rs, int cs,
                                   float[] tmp) {
        FloatVector bias = biases == null ? FloatVector.zero(W) : FloatVector.fromArray(W, biases, bo);
        for (int j = 0; j < 6; j++) {
            int at = mAt + j * stride;
            FloatVector m0 = FloatVector.fromArray(W, m, at), m1 = FloatVector.fromArray(W, m, at + 6 * stride);
            FloatVector m2 = FloatVector.fromArray(W, m, at + 12 * stride), m3 = FloatVector.fromArray(W, m, at + 18 * stride);
            FloatVector m4 = FloatVector.fromArray(W, m, at + 24 * stride), m5 = FloatVector.fromArray(W, m, at + 30 * stride);
            FloatVector a = m1.add(m2), b = m1.sub(m2), c = m3.add(m4), d = m3.sub(m4);
            m0.add(a).add(c).intoArray(tmp, j * L);
            d.fma(TWO, b).intoArray(tmp, (6 + j) * L);
            c.fma(FOUR, a).intoArray(tmp, (12 + j) * L);
            d.fma(EIGHT, b).add(m5).intoArray(tmp, (18 + j) * L);
        }
        for (int p = 0; p < 4; p++) {
            int at = 6 * p * L, out = yAt + p * rs;
            FloatVector m0 = FloatVector.fromArray(W, tmp, at), m1 = FloatVector.fromArray(W, tmp, at + L);
            FloatVector m2 = FloatVector.fromArray(W, tmp, at + 2 * L), m3 = FloatVector.fromArray(W, tmp, at + 3 * L);
            FloatVector m4 = FloatVector.fromArray(W, tmp, at + 4 * L), m5 = FloatVector.fromArray(W, tmp, at + 5 * L);
            FloatVector a = m1.add(m2), b = m1.sub(m2), c = m3.add(m4), d = m3.sub(m4);
            m0.add(a).add(c).add(bias).intoArray(y, out);
            d.fma(TWO, b).add(bias).intoArray(y, out + cs);
            c.fma(FOUR, a).add(bias).intoArray(y, out + 2 * cs);
            d.fma(EIGHT, b).add(m5).add(bias).intoArray(y, out + 3 * cs);
        }
    }

    /**
     * {@code c[cAt + i·ldc + j] = Σ_q a[aAt + i·lda + q] · b[bAt + q·ldb + j]} for 12 rows (tiles, A read
     * in place) and 32 columns (outputs): 24 accumulators, each element one chain over q from zero.
     * In L1 it does 123 GFLOP/s at 32 channels where 6 rows do 106 (of this machine's 200 a core); six
     * rows by 64 columns, 24 accumulators too, made the MNIST CNN's forward twice as slow.
     */
    private static void rows12x32(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt,
                                  int ldc) {
        FloatVector z = FloatVector.zero(W);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z, c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z, c90 = z, c91 = z;
        FloatVector c100 = z, c101 = z, c110 = z, c111 = z;
        for (int q = 0; q < kk; q++) {
            int bq = bAt + q * ldb, aq = aAt + q;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, a[aq]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(W, a[aq + lda]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(W, a[aq + 2 * lda]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(W, a[aq + 3 * lda]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(W, a[aq + 4 * lda]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(W, a[aq + 5 * lda]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(W, a[aq + 6 * lda]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(W, a[aq + 7 * lda]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(W, a[aq + 8 * lda]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(W, a[aq + 9 * lda]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(W, a[aq + 10 * lda]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(W, a[aq + 11 * lda]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        c00.intoArray(c, cAt); c01.intoArray(c, cAt + 16);
        c10.intoArray(c, cAt + ldc); c11.intoArray(c, cAt + ldc + 16);
        c20.intoArray(c, cAt + 2 * ldc); c21.intoArray(c, cAt + 2 * ldc + 16);
        c30.intoArray(c, cAt + 3 * ldc); c31.intoArray(c, cAt + 3 * ldc + 16);
        c40.intoArray(c, cAt + 4 * ldc); c41.intoArray(c, cAt + 4 * ldc + 16);
        c50.intoArray(c, cAt + 5 * ldc); c51.intoArray(c, cAt + 5 * ldc + 16);
        c60.intoArray(c, cAt + 6 * ldc); c61.intoArray(c, cAt + 6 * ldc + 16);
        c70.intoArray(c, cAt + 7 * ldc); c71.intoArray(c, cAt + 7 * ldc + 16);
        c80.intoArray(c, cAt + 8 * ldc); c81.intoArray(c, cAt + 8 * ldc + 16);
        c90.intoArray(c, cAt + 9 * ldc); c91.intoArray(c, cAt + 9 * ldc + 16);
        c100.intoArray(c, cAt + 10 * ldc); c101.intoArray(c, cAt + 10 * ldc + 16);
        c110.intoArray(c, cAt + 11 * ldc); c111.intoArray(c, cAt + 11 * ldc + 16);
    }

    /** {@link #rows12x32} for 6 rows: a chunk's last tiles. */
    private static void rows6x32(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt,
                                 int ldc) {
        FloatVector z = FloatVector.zero(W);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int q = 0; q < kk; q++) {
            int bq = bAt + q * ldb, aq = aAt + q;
            FloatVector b0 = FloatVector.fromArray(W, b, bq), b1 = FloatVector.fromArray(W, b, bq + 16);
            FloatVector a0 = FloatVector.broadcast(W, a[aq]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(W, a[aq + lda]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(W, a[aq + 2 * lda]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(W, a[aq + 3 * lda]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(W, a[aq + 4 * lda]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(W, a[aq + 5 * lda]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, cAt); c01.intoArray(c, cAt + 16);
        c10.intoArray(c, cAt + ldc); c11.intoArray(c, cAt + ldc + 16);
        c20.intoArray(c, cAt + 2 * ldc); c21.intoArray(c, cAt + 2 * ldc + 16);
        c30.intoArray(c, cAt + 3 * ldc); c31.intoArray(c, cAt + 3 * ldc + 16);
        c40.intoArray(c, cAt + 4 * ldc); c41.intoArray(c, cAt + 4 * ldc + 16);
        c50.intoArray(c, cAt + 5 * ldc); c51.intoArray(c, cAt + 5 * ldc + 16);
    }

    /** {@link #rows6x32} for 16 columns. */
    private static void rows6x16(float[] a, int aAt, int lda, float[] b, int bAt, int ldb, int kk, float[] c, int cAt,
                                 int ldc) {
        FloatVector c0 = FloatVector.zero(W), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int q = 0; q < kk; q++) {
            int aq = aAt + q;
            FloatVector b0 = FloatVector.fromArray(W, b, bAt + q * ldb);
            c0 = FloatVector.broadcast(W, a[aq]).fma(b0, c0);
            c1 = FloatVector.broadcast(W, a[aq + lda]).fma(b0, c1);
            c2 = FloatVector.broadcast(W, a[aq + 2 * lda]).fma(b0, c2);
            c3 = FloatVector.broadcast(W, a[aq + 3 * lda]).fma(b0, c3);
            c4 = FloatVector.broadcast(W, a[aq + 4 * lda]).fma(b0, c4);
            c5 = FloatVector.broadcast(W, a[aq + 5 * lda]).fma(b0, c5);
        }
        c0.intoArray(c, cAt); c1.intoArray(c, cAt + ldc); c2.intoArray(c, cAt + 2 * ldc);
        c3.intoArray(c, cAt + 3 * ldc); c4.intoArray(c, cAt + 4 * ldc); c5.intoArray(c, cAt + 5 * ldc);
    }
}
