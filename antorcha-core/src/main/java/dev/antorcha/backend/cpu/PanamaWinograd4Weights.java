package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link PanamaWinograd4}'s weight gradient: F(3×3, 4×4) on 512-bit vectors. */
final class PanamaWinograd4Weights {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final FloatVector TWO = PanamaWinograd4.TWO, FOUR = PanamaWinograd4.FOUR;
    private static final ThreadLocal<float[][]> SCRATCH_W = ThreadLocal.withInitial(() -> new float[5][0]);
    /** Tiles of the weight gradient transformed together: its products' sums run over them. */
    private static final int W_CHUNK = 48;

    private PanamaWinograd4Weights() {
    }

    /**
     * See {@link FloatKernels#winograd4WeightGradImage}: F(3×3, 4×4), each 4×4 block h of the output
     * gradient a tile and the 6×6 block d of the padded input under it its data, so that
     * {@code dW = Gᵀ [Σ_tiles (A h Aᵀ) ⊙ (Bᵀ d B)] G} with {@link PanamaWinograd4}'s {@code Bᵀ}, its
     * {@code Aᵀ} transposed and the forward's G (the transposition principle:
     * {@code Σ_k A[k][p] G[k][a] Bᵀ[k][i] = δ(i = p + a)} for both). Image and gradient are laid out with channels innermost; each register tile sums 8
     * outputs × 32 channels over a chunk's tiles in order and adds to {@code m}.
     */
    static void weightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH, int padW,
                                float[] m, int mo) {
        int outH = h + 2 * padH - 2, outW = w + 2 * padW - 2, th = (outH + 3) / 4, tw = (outW + 3) / 4, tiles = th * tw;
        int hp = 4 * th + 2, wp = 4 * tw + 2, gw = 4 * tw;
        int vx = W_CHUNK * ins + L, ux = W_CHUNK * outs + L;
        float[][] s = SCRATCH_W.get();
        float[] xt = s[0] = PanamaWinograd4.ensure(s[0], hp * wp * ins);
        float[] gt = s[1] = PanamaWinograd4.ensure(s[1], 4 * th * gw * outs);
        float[] v = s[2] = PanamaWinograd4.ensure(s[2], 36 * vx);
        float[] u = s[3] = PanamaWinograd4.ensure(s[3], 36 * ux);
        float[] tmp = s[4] = PanamaWinograd4.ensure(s[4], 36 * L);
        PanamaChannelsInnermost.image(x, xo, ins, h, w, padH, padW, xt, hp, wp);
        PanamaChannelsInnermost.image(gy, go, outs, outH, outW, 0, 0, gt, 4 * th, gw);   // zeros past outH × outW add nothing
        for (int t0 = 0; t0 < tiles; t0 += W_CHUNK) {
            int n = Math.min(W_CHUNK, tiles - t0);
            for (int t = 0; t < n; t++) {
                int ty = (t0 + t) / tw, tx = (t0 + t) % tw;
                int e = (4 * ty * wp + 4 * tx) * ins, g = (4 * ty * gw + 4 * tx) * outs;
                for (int c0 = 0; c0 < ins; c0 += L) PanamaWinograd4.inputTile(xt, e + c0, ins, wp * ins, v, t * ins + c0, vx, tmp);
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
}
