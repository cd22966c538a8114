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
 * The image is laid out with its channels innermost ({@link PanamaChannelsInnermost}; zero-padded to
 * whole tiles: outputs need not be a multiple of 4), so a vector is 16 channels of one pixel and the
 * transforms need no shuffles;
 * tiles are taken {@link #CHUNK} at a time (their transformed inputs and products stay in L2), the
 * products are register tiles of 12 (or 6) tiles × 32 or 16 outputs over the channels in order from
 * zero, and the outputs, channels innermost too, are transposed back at the end. Each output is
 * computed in one order whatever the thread count. The rounding differs from F(2×2, 3×3)'s and the
 * direct sum's: the transforms' larger constants make its error about ten times the direct sum's
 * ({@code ConvKernelsTest} bounds it against float64). The weight gradient is
 * {@link PanamaWinograd4Weights}'s.
 */
final class PanamaWinograd4 {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    private static final int L = 16;
    /** Tiles transformed and multiplied together: two register tiles of 12. */
    private static final int CHUNK = 24;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);
    static final FloatVector MINUS4 = FloatVector.broadcast(W, -4f), MINUS5 = FloatVector.broadcast(W, -5f);
    static final FloatVector TWO = FloatVector.broadcast(W, 2f), FOUR = FloatVector.broadcast(W, 4f);
    static final FloatVector EIGHT = FloatVector.broadcast(W, 8f);

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
        PanamaChannelsInnermost.image(x, xo, channels, h, w, padH, padW, xt, hp, wp);
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
            for (int r = 0; r < outH; r++) PanamaChannelsInnermost.toPlanes(yt, r * yw * outs + o0, outs, y, yo + o0 * plane + r * outW, plane, outW);
        }
    }

    static float[] ensure(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /**
     * {@code V = Bᵀ d B} for 16 channels of one tile, {@code d[i][j]} at {@code src[e + i·rs + j·cs]}:
     * {@code Bᵀ} down each column into {@code tmp}, then along each row; {@code V_ξ} (ξ = 6k + j) at
     * {@code v[vAt + ξ·stride]}.
     */
    static void inputTile(float[] src, int e, int cs, int rs, float[] v, int vAt, int stride, float[] tmp) {
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
