package dev.antorcha.backend.cpu;

import dev.antorcha.backend.ConvParams;

/**
 * Float32 3×3 stride-1 convolutions by Winograd's minimal filtering (Lavin and Gray, 2015): the
 * forward and the input gradient by F(2×2, 3×3), the weight gradient by F(3×3, 2×2) (see
 * {@link #weightGrad}). Forward: each 2×2 block of output pixels (a tile) is computed from the 4×4
 * block of the input under it as {@code Y = Aᵀ [Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B)] A}, so the sum over
 * channels becomes 16 independent matrix products, one per position ξ of the 4×4 transformed tile,
 * {@code M_ξ[o, tile] = Σ_c U_ξ[o, c] · V_ξ[c, tile]}: 16 multiply-adds per tile and channel pair
 * instead of the direct convolution's 36, 2.25 times fewer. The transforms are additions (and the
 * weight's halvings, once per call). Each image is a task ({@link FloatKernels#winogradImage});
 * each output value is computed in one order whatever the thread count. The rounding differs from
 * the direct sum's (the transforms' additions are rounded too), with an error of the same order
 * (against float64 in {@code ConvKernelsTest}).
 *
 * <p>Where vectors hold 16 floats and the channels and outputs are whole vectors of them, the
 * forward and the input gradient take F(4×4, 3×3) instead ({@link FloatKernels#winograd4Image}) and
 * the weight gradient F(3×3, 4×4) ({@link FloatKernels#winograd4WeightGradImage}): 36 products, 4
 * times fewer multiply-adds than the direct sum (MNIST CNN's conv2 at batch 64, two threads: forward
 * 5.8 → 4.4 ms, input gradient 6.8 → 4.5 ms, weight gradient 4.9 → 3.6 ms), at the price of a
 * rounding error about ten times the direct sum's (their transforms multiply by up to 25 and 64).
 *
 * <p>The input gradient of a convolution with padding {@code p} is the convolution of the output
 * gradient, padded by {@code 2 − p}, with the weight turned by 180° and its channel axes swapped.
 */
final class Winograd {
    /** Partial weight gradients: a fixed count, so the sum's order does not follow the threads. */
    private static final int CHUNKS = 8;
    /** {@link #CHUNKS} of F(3×3, 4×4), whose 36 sums of {@code outs × ins} are 2.25 times larger: fewer to zero and add. */
    private static final int CHUNKS_4 = 4;
    /**
     * F(4×4, 3×3)'s transformed weights [0] and F(3×3, 4×4)'s partial sums [1], kept by the calling
     * thread from call to call: made fresh (295 KB and 2.4 MB a step for the MNIST CNN's conv2) they
     * overflowed the CNN's young generation of 2 MB, whose collections then copied them, and the
     * epoch took 6 s longer.
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[2][0]);
    /** Below this many channels summed over, the transforms cost more than the products save. */
    static final int MIN_CHANNELS = 16;
    /** Most floats of one image's scratch copies a thread keeps (16 MiB); larger images take the other paths. */
    private static final long MAX_IMAGE = 1L << 22;
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 20;
    /** Outputs per parallel task of F(3×3, 4×4)'s last step (dW = Gᵀ M G). */
    private static final int TAIL_OUTS = 8;
    /** Input channels per parallel task of F(4×4, 3×3)'s weight transform. */
    private static final int TAIL_INS = 4;
    /** From this many kernels (times chunks, for the weight gradient's step) those run in parallel. */
    private static final long TAIL_PARALLEL = 1024;

    private Winograd() {
    }

    /** Whether the forward of {@code d} under {@code p} takes this path. */
    static boolean appliesForward(FloatKernels k, ConvKernels.Dims d, ConvParams p) {
        if (!k.winograd() || !threeByThree(d, p) || d.c() < MIN_CHANNELS) return false;
        if (four(k, d.c(), d.o(), d.w(), d.wo())) return fourFits(d.c(), d.o(), d.ho(), d.wo());
        return fits(d.ho(), d.wo()) && (long) d.c() * (d.ho() + 2) * (d.wo() + 2) <= MAX_IMAGE;
    }

    /** Whether the input gradient of {@code d} under {@code p} takes this path. */
    static boolean appliesInputGrad(FloatKernels k, ConvKernels.Dims d, ConvParams p) {
        if (!k.winograd() || !threeByThree(d, p) || d.o() < MIN_CHANNELS || p.padH() > 2 || p.padW() > 2) return false;
        if (four(k, d.o(), d.c(), d.wo(), d.w())) return fourFits(d.o(), d.c(), d.h(), d.w());
        return fits(d.h(), d.w()) && (long) d.o() * (d.h() + 2) * (d.w() + 2) <= MAX_IMAGE;
    }

    /**
     * Whether a convolution of {@code channels} into {@code outs}, of images {@code w} wide into
     * outputs {@code outW} wide, takes F(4×4, 3×3) ({@link FloatKernels#winograd4Image}): where vectors
     * hold 16 floats, of channels and outputs in whole vectors. It does 1.8 times fewer multiply-adds
     * than F(2×2, 3×3) and its transforms move fewer floats (36 a tile of 16 outputs, not 16 a tile of 4).
     */
    private static boolean four(FloatKernels k, int channels, int outs, int w, int outW) {
        return k.winograd4() && channels % 16 == 0 && outs % 16 == 0 && w >= 8 && outW >= 8;
    }

    /** Whether one image's scratch copies of F(4×4, 3×3) stay within {@link #MAX_IMAGE}. */
    private static boolean fourFits(int channels, int outs, int outH, int outW) {
        return (long) channels * (outH + 5) * (outW + 5) <= MAX_IMAGE && (long) outs * (outH + 3) * (outW + 3) <= MAX_IMAGE;
    }

    /** Whether the weight gradient of {@code d} under {@code p} takes this path. */
    static boolean appliesWeightGrad(FloatKernels k, ConvKernels.Dims d, ConvParams p) {
        if (!k.winograd() || !threeByThree(d, p) || d.c() < MIN_CHANNELS) return false;
        if (four(k, d.c(), d.o(), d.w(), d.wo())) return fourFits(d.c(), d.o(), d.ho(), d.wo());
        return fits(d.ho(), d.wo()) && 4L * d.ho() * d.wo() * Math.max(d.c(), d.o()) <= MAX_IMAGE;
    }

    private static boolean threeByThree(ConvKernels.Dims d, ConvParams p) {
        return d.kh() == 3 && d.kw() == 3 && p.strideH() == 1 && p.strideW() == 1 && p.dilationH() == 1
                && p.dilationW() == 1 && p.groups() == 1;
    }

    /** Outputs of even height and width, at least 16 wide (a vector of 8 tiles a row). */
    private static boolean fits(int outH, int outW) {
        return outH > 0 && outH % 2 == 0 && outW % 2 == 0 && outW >= 16;
    }

    /** {@code y = conv(x, w) + b} ({@code b} may be null); NCHW, contiguous. */
    static void forward(FloatKernels k, float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                        ConvKernels.Dims d, ConvParams p) {
        int in = d.c() * d.h() * d.w(), out = d.o() * d.ho() * d.wo();
        if (four(k, d.c(), d.o(), d.w(), d.wo())) {
            float[] u4 = transformWeights4(w, wo, d.o(), d.c(), false);
            Parallel.forEach(d.n(), work(d) >= PARALLEL_WORK, n -> k.winograd4Image(x, xo + n * in, d.c(), d.h(), d.w(),
                    p.padH(), p.padW(), u4, d.o(), b, bo, y, yo + n * out));
            return;
        }
        float[] up = transformWeights(w, wo, d.o(), d.c(), false);
        Parallel.forEach(d.n(), work(d) >= PARALLEL_WORK, n -> k.winogradImage(x, xo + n * in, d.c(), d.h(), d.w(),
                p.padH(), p.padW(), up, d.o(), b, bo, y, yo + n * out));
    }

    /** {@code dx} of a convolution from its output gradient {@code gy}; NCHW, contiguous. */
    static void inputGrad(FloatKernels k, float[] gy, int go, float[] w, int wo, float[] dx, int dxo, ConvKernels.Dims d,
                          ConvParams p) {
        int in = d.o() * d.ho() * d.wo(), out = d.c() * d.h() * d.w();
        if (four(k, d.o(), d.c(), d.wo(), d.w())) {
            float[] u4 = transformWeights4(w, wo, d.c(), d.o(), true);
            Parallel.forEach(d.n(), work(d) >= PARALLEL_WORK, n -> k.winograd4Image(gy, go + n * in, d.o(), d.ho(), d.wo(),
                    2 - p.padH(), 2 - p.padW(), u4, d.c(), null, 0, dx, dxo + n * out));
            return;
        }
        float[] up = transformWeights(w, wo, d.c(), d.o(), true);
        Parallel.forEach(d.n(), work(d) >= PARALLEL_WORK, n -> k.winogradImage(gy, go + n * in, d.o(), d.ho(), d.wo(),
                2 - p.padH(), 2 - p.padW(), up, d.c(), null, 0, dx, dxo + n * out));
    }

    /**
     * {@code dW} of a convolution from its output gradient {@code gy} and input {@code x}, by
     * F(3×3, 2×2): each 2×2 block of gy is a tile, the 4×4 block of x under it its data, and the 16
     * sums {@code M_ξ[o][c]} over all tiles of all images are transformed once into the 3×3 kernels,
     * {@code dW = Aᵀ M A} with A's rows {@code (1, 1, 1, 0), (0, 1, −1, 0), (0, 1, 1, 1)}. The batch is
     * summed in {@link #CHUNKS} fixed chunks (parallel tasks) added in order.
     */
    static void weightGrad(FloatKernels k, float[] gy, int go, float[] x, int xo, float[] dw, int dwo, ConvKernels.Dims d,
                           ConvParams p) {
        if (four(k, d.c(), d.o(), d.w(), d.wo())) {
            weightGrad4(k, gy, go, x, xo, dw, dwo, d, p);
            return;
        }
        int chunks = Math.min(d.n(), CHUNKS), outs = d.o(), ins = d.c(), rows = sumRows(outs), cp = sumColumns(ins);
        int in = ins * d.h() * d.w(), out = outs * d.ho() * d.wo();
        float[][] partial = new float[chunks][];
        Parallel.forEach(chunks, work(d) >= PARALLEL_WORK, ch -> {
            float[] m = partial[ch] = new float[16 * rows * cp];
            int n0 = (int) ((long) d.n() * ch / chunks), n1 = (int) ((long) d.n() * (ch + 1) / chunks);
            for (int n = n0; n < n1; n++) {
                k.winogradWeightGradImage(gy, go + n * out, x, xo + n * in, outs, ins, d.h(), d.w(), p.padH(), p.padW(), m);
            }
        });
        float[] m = partial[0];
        for (int ch = 1; ch < chunks; ch++) {
            for (int i = 0; i < m.length; i++) m[i] += partial[ch][i];
        }
        float[] t = new float[12];
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                for (int j = 0; j < 4; j++) {   // Aᵀ M down each column j
                    float m0 = m[((j) * rows + o) * cp + c], m1 = m[((4 + j) * rows + o) * cp + c];
                    float m2 = m[((8 + j) * rows + o) * cp + c], m3 = m[((12 + j) * rows + o) * cp + c];
                    t[j] = m0 + m1 + m2;
                    t[4 + j] = m1 - m2;
                    t[8 + j] = m1 + m2 + m3;
                }
                int at = dwo + (o * ins + c) * 9;
                for (int u = 0; u < 3; u++) {   // then · A along each row
                    float a0 = t[4 * u], a1 = t[4 * u + 1], a2 = t[4 * u + 2], a3 = t[4 * u + 3];
                    dw[at + 3 * u] = a0 + a1 + a2;
                    dw[at + 3 * u + 1] = a1 - a2;
                    dw[at + 3 * u + 2] = a1 + a2 + a3;
                }
            }
        }
    }

    /**
     * {@link #weightGrad} by F(3×3, 4×4) ({@link FloatKernels#winograd4WeightGradImage}): the 36 sums
     * {@code M_ξ[o][c]} over all tiles of all images, in {@link #CHUNKS_4} fixed chunks added in order,
     * then {@code dW = Gᵀ M G} with the forward's G (in float64, rounded once).
     */
    private static void weightGrad4(FloatKernels k, float[] gy, int go, float[] x, int xo, float[] dw, int dwo,
                                    ConvKernels.Dims d, ConvParams p) {
        int chunks = Math.min(d.n(), CHUNKS_4), outs = d.o(), ins = d.c();
        int in = ins * d.h() * d.w(), out = outs * d.ho() * d.wo();
        int size = 36 * outs * ins;
        float[][] buffers = BUFFERS.get();
        if (buffers[1].length < chunks * size) buffers[1] = new float[chunks * size];
        float[] sums = buffers[1];
        java.util.Arrays.fill(sums, 0, chunks * size, 0f);
        Parallel.forEach(chunks, work(d) >= PARALLEL_WORK, ch -> {
            int n0 = (int) ((long) d.n() * ch / chunks), n1 = (int) ((long) d.n() * (ch + 1) / chunks);
            for (int n = n0; n < n1; n++) {
                k.winograd4WeightGradImage(gy, go + n * out, x, xo + n * in, outs, ins, d.h(), d.w(), p.padH(), p.padW(),
                        sums, ch * size);
            }
        });
        // the chunks added in order, then dW = Gᵀ M G, for blocks of outputs in parallel (on the calling
        // thread alone this tail was 2% of the MNIST CNN's epoch, with the other core idle)
        int plane = outs * ins;
        Parallel.forEach((outs + TAIL_OUTS - 1) / TAIL_OUTS, (long) plane * chunks >= TAIL_PARALLEL, blk -> {
            int o0 = blk * TAIL_OUTS, o1 = Math.min(outs, o0 + TAIL_OUTS);
            for (int xi = 0; xi < 36; xi++) {
                int from = xi * plane + o0 * ins, to = xi * plane + o1 * ins;
                for (int ch = 1; ch < chunks; ch++) {
                    for (int i = from, at = ch * size; i < to; i++) sums[i] += sums[at + i];
                }
            }
            // c innermost: t[kk][v][c] = Σ_l M_{6kk+l}[o][c] G[l][v], then dW[o][c][u][v] = Σ_kk G[kk][u] t[kk][v][c]
            double[] t = new double[18 * ins];
            for (int o = o0; o < o1; o++) {
                java.util.Arrays.fill(t, 0);
                for (int kk = 0; kk < 6; kk++) {
                    for (int l = 0; l < 6; l++) {
                        int from = (6 * kk + l) * plane + o * ins;
                        for (int v = 0; v < 3; v++) {
                            double g = G4[l][v];   // zeros too: a NaN or infinity in M reaches dW as in the direct sum
                            int to = (3 * kk + v) * ins;
                            for (int c = 0; c < ins; c++) t[to + c] += sums[from + c] * g;
                        }
                    }
                }
                for (int c = 0; c < ins; c++) {
                    int at = dwo + (o * ins + c) * 9;
                    for (int u = 0; u < 3; u++) {
                        for (int v = 0; v < 3; v++) {
                            double sum = 0;
                            for (int kk = 0; kk < 6; kk++) sum += G4[kk][u] * t[(3 * kk + v) * ins + c];
                            dw[at + 3 * u + v] = (float) sum;
                        }
                    }
                }
            }
        });
    }

    /** Rows of each of the weight gradient's 16 sums: the outputs rounded up to whole register tiles. */
    static int sumRows(int outs) {
        return (outs + Gemm.MR - 1) / Gemm.MR * Gemm.MR;
    }

    /** Columns of each of the weight gradient's 16 sums: the input channels rounded up to whole vectors of 8. */
    static int sumColumns(int ins) {
        return (ins + 7) / 8 * 8;
    }

    private static long work(ConvKernels.Dims d) {
        return (long) d.n() * d.o() * d.ho() * d.wo() * d.c() * 9;
    }

    /**
     * The weights {@code U_ξ = G g Gᵀ} of {@code outs × ins} kernels packed as the products read them:
     * for each ξ, panels of {@link Gemm#MR} output rows, {@code [ins][MR]} each (zero-padded), at
     * {@code ((ξ·panels + panel)·ins + c)·MR + row}. Kernel {@code (o, c)} is
     * {@code w[wo + (o·ins + c)·9 ..]}, or with {@code flip} the input gradient's:
     * {@code w[wo + (c·outs + o)·9 ..]} turned by 180°.
     */
    static float[] transformWeights(float[] w, int wo, int outs, int ins, boolean flip) {
        int panels = (outs + Gemm.MR - 1) / Gemm.MR;
        float[] up = new float[16 * panels * ins * Gemm.MR];
        float[] g = new float[9], t = new float[12];
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                int at = wo + (flip ? c * outs + o : o * ins + c) * 9;
                for (int q = 0; q < 9; q++) g[q] = w[at + (flip ? 8 - q : q)];
                for (int v = 0; v < 3; v++) {   // t = G g: rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2
                    float g0 = g[v], g1 = g[3 + v], g2 = g[6 + v];
                    t[v] = g0;
                    t[3 + v] = (g0 + g1 + g2) * 0.5f;
                    t[6 + v] = (g0 - g1 + g2) * 0.5f;
                    t[9 + v] = g2;
                }
                int base = (o / Gemm.MR * ins + c) * Gemm.MR + o % Gemm.MR, step = panels * ins * Gemm.MR;
                for (int i = 0; i < 4; i++) {   // U = t Gᵀ, the same combination along the row
                    float a = t[i * 3], b = t[i * 3 + 1], e = t[i * 3 + 2];
                    up[(i * 4) * step + base] = a;
                    up[(i * 4 + 1) * step + base] = (a + b + e) * 0.5f;
                    up[(i * 4 + 2) * step + base] = (a - b + e) * 0.5f;
                    up[(i * 4 + 3) * step + base] = e;
                }
            }
        }
        return up;
    }

    /** F(4×4, 3×3)'s G: rows 1/4 (1, 0, 0), −1/6 (1, 1, 1), −1/6 (1, −1, 1), 1/24 (1, 2, 4), 1/24 (1, −2, 4), (0, 0, 1). */
    private static final double[][] G4 = {
        {1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
    /** {@link #G4} entry by entry, for the weight transform written out (constants to the compiler). */
    private static final double G4_00 = 1 / 4.0, G4_01 = 0, G4_02 = 0;
    private static final double G4_10 = -1 / 6.0, G4_11 = -1 / 6.0, G4_12 = -1 / 6.0;
    private static final double G4_20 = -1 / 6.0, G4_21 = 1 / 6.0, G4_22 = -1 / 6.0;
    private static final double G4_30 = 1 / 24.0, G4_31 = 1 / 12.0, G4_32 = 1 / 6.0;
    private static final double G4_40 = 1 / 24.0, G4_41 = -1 / 12.0, G4_42 = 1 / 6.0;
    private static final double G4_50 = 0, G4_51 = 0, G4_52 = 1;

    /**
     * The weights {@code U_ξ = G g Gᵀ} of F(4×4, 3×3) for {@code outs × ins} kernels (ξ = 6k + j, k
     * down the kernel's rows), computed in float64 and rounded once, as the products read them:
     * {@code U_ξ[c][o]} at {@code (ξ·ins + c)·outs + o}, in the calling thread's buffer (valid until its next
     * call). Kernel {@code (o, c)} is as in
     * {@link #transformWeights}, {@code flip} included.
     */
    static float[] transformWeights4(float[] w, int wo, int outs, int ins, boolean flip) {
        float[][] buffers = BUFFERS.get();
        if (buffers[0].length < 36 * ins * outs) buffers[0] = new float[36 * ins * outs];
        float[] up = buffers[0];
        // blocks of input channels in parallel, o innermost: a task writes whole rows of the 36 planes
        // (blocks of outputs had both threads writing the halves of the same cache lines)
        Parallel.forEach((ins + TAIL_INS - 1) / TAIL_INS, (long) outs * ins >= TAIL_PARALLEL, blk -> {
            int c0 = blk * TAIL_INS, c1 = Math.min(ins, c0 + TAIL_INS);
            for (int c = c0; c < c1; c++) {
                for (int o = 0; o < outs; o++) {
                    int at = wo + (flip ? c * outs + o : o * ins + c) * 9, to = c * outs + o, plane = ins * outs;
                    // the kernel g[a][v] (turned by 180° with flip), then t = G g and U = t Gᵀ, written out
                    double g00 = w[at + (flip ? 8 : 0)];
                    double g01 = w[at + (flip ? 7 : 1)];
                    double g02 = w[at + (flip ? 6 : 2)];
                    double g10 = w[at + (flip ? 5 : 3)];
                    double g11 = w[at + (flip ? 4 : 4)];
                    double g12 = w[at + (flip ? 3 : 5)];
                    double g20 = w[at + (flip ? 2 : 6)];
                    double g21 = w[at + (flip ? 1 : 7)];
                    double g22 = w[at + (flip ? 0 : 8)];
                    double t00 = 0 + G4_00 * g00 + G4_01 * g10 + G4_02 * g20;
                    double t01 = 0 + G4_00 * g01 + G4_01 * g11 + G4_02 * g21;
                    double t02 = 0 + G4_00 * g02 + G4_01 * g12 + G4_02 * g22;
                    double t10 = 0 + G4_10 * g00 + G4_11 * g10 + G4_12 * g20;
                    double t11 = 0 + G4_10 * g01 + G4_11 * g11 + G4_12 * g21;
                    double t12 = 0 + G4_10 * g02 + G4_11 * g12 + G4_12 * g22;
                    double t20 = 0 + G4_20 * g00 + G4_21 * g10 + G4_22 * g20;
                    double t21 = 0 + G4_20 * g01 + G4_21 * g11 + G4_22 * g21;
                    double t22 = 0 + G4_20 * g02 + G4_21 * g12 + G4_22 * g22;
                    double t30 = 0 + G4_30 * g00 + G4_31 * g10 + G4_32 * g20;
                    double t31 = 0 + G4_30 * g01 + G4_31 * g11 + G4_32 * g21;
                    double t32 = 0 + G4_30 * g02 + G4_31 * g12 + G4_32 * g22;
                    double t40 = 0 + G4_40 * g00 + G4_41 * g10 + G4_42 * g20;
                    double t41 = 0 + G4_40 * g01 + G4_41 * g11 + G4_42 * g21;
                    double t42 = 0 + G4_40 * g02 + G4_41 * g12 + G4_42 * g22;
                    double t50 = 0 + G4_50 * g00 + G4_51 * g10 + G4_52 * g20;
                    double t51 = 0 + G4_50 * g01 + G4_51 * g11 + G4_52 * g21;
                    double t52 = 0 + G4_50 * g02 + G4_51 * g12 + G4_52 * g22;
                    up[0 * plane + to] = (float) (G4_00 * t00 + G4_01 * t01 + G4_02 * t02);
                    up[1 * plane + to] = (float) (G4_10 * t00 + G4_11 * t01 + G4_12 * t02);
                    up[2 * plane + to] = (float) (G4_20 * t00 + G4_21 * t01 + G4_22 * t02);
                    up[3 * plane + to] = (float) (G4_30 * t00 + G4_31 * t01 + G4_32 * t02);
                    up[4 * plane + to] = (float) (G4_40 * t00 + G4_41 * t01 + G4_42 * t02);
                    up[5 * plane + to] = (float) (G4_50 * t00 + G4_51 * t01 + G4_52 * t02);
                    up[6 * plane + to] = (float) (G4_00 * t10 + G4_01 * t11 + G4_02 * t12);
                    up[7 * plane + to] = (float) (G4_10 * t10 + G4_11 * t11 + G4_12 * t12);
                    up[8 * plane + to] = (float) (G4_20 * t10 + G4_21 * t11 + G4_22 * t12);
                    up[9 * plane + to] = (float) (G4_30 * t10 + G4_31 * t11 + G4_32 * t12);
                    up[10 * plane + to] = (float) (G4_40 * t10 + G4_41 * t11 + G4_42 * t12);
                    up[11 * plane + to] = (float) (G4_50 * t10 + G4_51 * t11 + G4_52 * t12);
                    up[12 * plane + to] = (float) (G4_00 * t20 + G4_01 * t21 + G4_02 * t22);
                    up[13 * plane + to] = (float) (G4_10 * t20 + G4_11 * t21 + G4_12 * t22);
                    up[14 * plane + to] = (float) (G4_20 * t20 + G4_21 * t21 + G4_22 * t22);
                    up[15 * plane + to] = (float) (G4_30 * t20 + G4_31 * t21 + G4_32 * t22);
                    up[16 * plane + to] = (float) (G4_40 * t20 + G4_41 * t21 + G4_42 * t22);
                    up[17 * plane + to] = (float) (G4_50 * t20 + G4_51 * t21 + G4_52 * t22);
                    up[18 * plane + to] = (float) (G4_00 * t30 + G4_01 * t31 + G4_02 * t32);
                    up[19 * plane + to] = (float) (G4_10 * t30 + G4_11 * t31 + G4_12 * t32);
                    up[20 * plane + to] = (float) (G4_20 * t30 + G4_21 * t31 + G4_22 * t32);
                    up[21 * plane + to] = (float) (G4_30 * t30 + G4_31 * t31 + G4_32 * t32);
                    up[22 * plane + to] = (float) (G4_40 * t30 + G4_41 * t31 + G4_42 * t32);
                    up[23 * plane + to] = (float) (G4_50 * t30 + G4_51 * t31 + G4_52 * t32);
                    up[24 * plane + to] = (float) (G4_00 * t40 + G4_01 * t41 + G4_02 * t42);
                    up[25 * plane + to] = (float) (G4_10 * t40 + G4_11 * t41 + G4_12 * t42);
                    up[26 * plane + to] = (float) (G4_20 * t40 + G4_21 * t41 + G4_22 * t42);
                    up[27 * plane + to] = (float) (G4_30 * t40 + G4_31 * t41 + G4_32 * t42);
                    up[28 * plane + to] = (float) (G4_40 * t40 + G4_41 * t41 + G4_42 * t42);
                    up[29 * plane + to] = (float) (G4_50 * t40 + G4_51 * t41 + G4_52 * t42);
                    up[30 * plane + to] = (float) (G4_00 * t50 + G4_01 * t51 + G4_02 * t52);
                    up[31 * plane + to] = (float) (G4_10 * t50 + G4_11 * t51 + G4_12 * t52);
                    up[32 * plane + to] = (float) (G4_20 * t50 + G4_21 * t51 + G4_22 * t52);
                    up[33 * plane + to] = (float) (G4_30 * t50 + G4_31 * t51 + G4_32 * t52);
                    up[34 * plane + to] = (float) (G4_40 * t50 + G4_41 * t51 + G4_42 * t52);
                    up[35 * plane + to] = (float) (G4_50 * t50 + G4_51 * t51 + G4_52 * t52);
                }
            }
        });
        return up;
    }
}
