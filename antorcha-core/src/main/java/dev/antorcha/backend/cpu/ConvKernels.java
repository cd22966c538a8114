package dev.antorcha.backend.cpu;

import dev.antorcha.backend.ConvParams;
import java.util.Arrays;

/**
 * 2-D convolution kernels over contiguous NCHW arrays. Float32 lowers each image to matrix
 * products on the packed GEMM ({@link Gemm}) over the patches of a block of output pixels,
 * {@code col [Cin/groups·kH·kW, pixels]}: {@code y = W · col} (forward), {@code col = Wᵀ · dy}
 * followed by col2im's scatter-add (input gradient) and {@code dW += dy · colᵀ} (weight gradient).
 * With many images, each image is a parallel task, the weight is packed for the GEMM once per
 * call and im2col writes the patches straight into the GEMM's panel layout (one pass over them,
 * not an im2col and then a pack); a single image uses the GEMM's own parallel split. The weight
 * gradient is summed in a fixed number of batch chunks added in order, so no result depends on
 * the thread count. Stride-1 convolutions with many images skip the lowering where the kernels are
 * SIMD code: 3×3 ones of 16 channels or more by Winograd's minimal filtering ({@link Winograd}, all
 * three passes), others directly ({@link ConvDirect}, the forward). Float64 (GradCheck,
 * reference checks) runs direct loops: exact to the formula, not fast.
 */
final class ConvKernels {
    /** The sizes: batch, input channels and plane, output channels, kernel, output plane. */
    record Dims(int n, int c, int h, int w, int o, int kh, int kw, int ho, int wo) {
        int cg(ConvParams p) {
            return c / p.groups();
        }

        int og(ConvParams p) {
            return o / p.groups();
        }

        /** Rows of col: one per (input channel of a group, kernel row, kernel column). */
        int k(ConvParams p) {
            return cg(p) * kh * kw;
        }

        int pixels() {
            return ho * wo;
        }
    }

    /** Most floats one col buffer holds (1 MiB): large images are lowered a block of pixels at a time. */
    private static final int COL_LIMIT = 1 << 18;
    /** Partial weight gradients: a fixed count, so the sum's order does not follow the threads. */
    private static final int WEIGHT_GRAD_CHUNKS = 8;
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 20;

    private static final ThreadLocal<float[]> COL = ThreadLocal.withInitial(() -> new float[0]);

    private ConvKernels() {
    }

    private static float[] col(int size) {
        float[] c = COL.get();
        if (c.length < size) COL.set(c = new float[size]);
        return c;
    }

    /** Output pixels per col block: all of them when they fit, else a multiple of 64. */
    private static int pixelBlock(Dims d, ConvParams p) {
        int per = Math.max(1, COL_LIMIT / d.k(p));
        if (per >= d.pixels()) return d.pixels();
        return Math.max(64, per / 64 * 64);
    }

    private static long work(Dims d, ConvParams p) {
        return (long) d.n * d.o * d.pixels() * d.k(p);
    }

    // ---- float32 ----------------------------------------------------------------------------

    /** Thread-local packed operands of the per-image products. */
    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[] packed(int which, int size) {
        float[][] p = PACKED.get();
        if (p[which].length < size) p[which] = new float[size];
        return p[which];
    }

    static void forward(FloatKernels k, float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                        Dims d, ConvParams p) {
        int cg = d.cg(p), og = d.og(p), kk = d.k(p), pixels = d.pixels(), block = pixelBlock(d, p), nr = k.gemmNr();
        boolean perImage = d.n > 1 && work(d, p) >= PARALLEL_WORK;
        if (perImage && Winograd.appliesForward(k, d, p)) {
            Winograd.forward(k, x, xo, w, wo, b, bo, y, yo, d, p);
            return;
        }
        if (perImage && ConvDirect.applies(k, d.wo, p)) {
            ConvDirect.forward(k, x, xo, w, wo, b, bo, y, yo, d, p);
            return;
        }
        // Many images: each task packs its patches straight into GEMM panels and multiplies by the
        // weight packed once for all. One image: the GEMM's own parallel split.
        float[][] wp = new float[p.groups()][];
        if (perImage) {
            for (int gi = 0; gi < p.groups(); gi++) {
                Gemm.packAll(k, w, wo + gi * og * kk, kk, 1, og, kk, wp[gi] = new float[Gemm.packedASize(og, kk)]);
            }
        }
        ConvLowering.Scatter full = ConvLowering.Scatter.of(kk, block, nr, false);
        ConvLowering.PatchRows rows = ConvLowering.PatchRows.of(cg, d, p);
        Parallel.forEach(d.n, perImage, n -> {
            for (int gi = 0; gi < p.groups(); gi++) {
                int xBase = xo + (n * d.c + gi * cg) * d.h * d.w;
                for (int p0 = 0; p0 < pixels; p0 += block) {
                    int pn = Math.min(block, pixels - p0), yAt = yo + (n * d.o + gi * og) * pixels + p0;
                    if (perImage) {
                        float[] bp = packed(0, Gemm.packedBSize(kk, pn, nr));
                        ConvLowering.zeroPanelTails(bp, kk, pn, nr);
                        ConvLowering.im2colPanels(k, x, xBase, cg, d, p, p0, pn, bp,
                                pn == block ? full : ConvLowering.Scatter.of(kk, pn, nr, false), rows);
                        Gemm.multiplyPacked(k, og, pn, kk, wp[gi], bp, y, yAt, pixels, false);
                    } else {
                        float[] col = col(kk * pn);
                        ConvLowering.im2col(x, xBase, cg, d, p, p0, pn, col, ConvLowering.plain(kk, pn));
                        Gemm.gemm(k, og, pn, kk, w, wo + gi * og * kk, kk, 1, col, 0, pn, 1, y, yAt, pixels, false, true);
                    }
                }
            }
            if (b != null) {
                for (int o = 0; o < d.o; o++) {
                    int at = yo + (n * d.o + o) * pixels;
                    float bias = b[bo + o];
                    for (int i = 0; i < pixels; i++) y[at + i] += bias;
                }
            }
        });
    }

    static void inputGrad(FloatKernels k, float[] gy, int go, float[] w, int wo, float[] dx, int dxo, Dims d,
                          ConvParams p) {
        int cg = d.cg(p), og = d.og(p), kk = d.k(p), pixels = d.pixels(), block = pixelBlock(d, p), nr = k.gemmNr();
        boolean perImage = d.n > 1 && work(d, p) >= PARALLEL_WORK;
        if (perImage && Winograd.appliesInputGrad(k, d, p)) {
            Winograd.inputGrad(k, gy, go, w, wo, dx, dxo, d, p);
            return;
        }
        // col = W_gᵀ · dy: W_g [og, kk] read transposed (row stride 1, column stride kk), packed once
        float[][] wp = new float[p.groups()][];
        if (perImage) {
            for (int gi = 0; gi < p.groups(); gi++) {
                Gemm.packAll(k, w, wo + gi * og * kk, 1, kk, kk, og, wp[gi] = new float[Gemm.packedASize(kk, og)]);
            }
        }
        Parallel.forEach(d.n, perImage, n -> {
            float[] col = col(kk * block);
            int plane = d.h * d.w;
            Arrays.fill(dx, dxo + n * d.c * plane, dxo + (n + 1) * d.c * plane, 0f);
            for (int gi = 0; gi < p.groups(); gi++) {
                int xBase = dxo + (n * d.c + gi * cg) * plane;
                for (int p0 = 0; p0 < pixels; p0 += block) {
                    int pn = Math.min(block, pixels - p0), gAt = go + (n * d.o + gi * og) * pixels + p0;
                    if (perImage) {
                        float[] bp = packed(0, Gemm.packedBSize(og, pn, nr));
                        Gemm.packB(k, gy, gAt, pixels, 1, og, pn, nr, bp);
                        Gemm.multiplyPacked(k, kk, pn, og, wp[gi], bp, col, 0, pn, false);
                    } else {
                        Gemm.gemm(k, kk, pn, og, w, wo + gi * og * kk, 1, kk, gy, gAt, pixels, 1, col, 0, pn, false, true);
                    }
                    ConvLowering.col2im(k, col, cg, d, p, p0, pn, dx, xBase);
                }
            }
        });
    }

    static void weightGrad(FloatKernels k, float[] gy, int go, float[] x, int xo, float[] dw, int dwo, Dims d,
                           ConvParams p) {
        int cg = d.cg(p), og = d.og(p), kk = d.k(p), pixels = d.pixels(), block = pixelBlock(d, p), nr = k.gemmNr();
        int size = d.o * kk;
        if (d.n == 0) {
            Arrays.fill(dw, dwo, dwo + size, 0f);
            return;
        }
        if (d.n > 1 && work(d, p) >= PARALLEL_WORK && Winograd.appliesWeightGrad(k, d, p)) {
            Winograd.weightGrad(k, gy, go, x, xo, dw, dwo, d, p);
            return;
        }
        if (k.firstLayerLanes() > 0 && d.c == 1 && p.groups() == 1 && d.kh == 3 && d.kw == 3 && p.strideH() == 1
                && p.strideW() == 1 && p.dilationH() == 1 && p.dilationW() == 1 && p.padH() == 0 && p.padW() == 0
                && d.ho > 0 && d.wo >= k.firstLayerLanes()) {
            firstLayerWeightGrad(k, gy, go, x, xo, dw, dwo, d, p);
            return;
        }
        int chunks = Math.min(d.n, WEIGHT_GRAD_CHUNKS);
        float[][] partial = new float[chunks][];
        boolean parallel = chunks > 1 && work(d, p) >= PARALLEL_WORK;
        ConvLowering.Scatter full = ConvLowering.Scatter.of(kk, block, nr, true);
        ConvLowering.PatchRows rows = ConvLowering.PatchRows.of(cg, d, p);
        Parallel.forEach(chunks, parallel, ch -> {
            int n0 = (int) ((long) d.n * ch / chunks), n1 = (int) ((long) d.n * (ch + 1) / chunks);
            float[] target = ch == 0 ? dw : (partial[ch] = new float[size]);
            int base = ch == 0 ? dwo : 0;
            for (int n = n0; n < n1; n++) {
                for (int gi = 0; gi < p.groups(); gi++) {
                    int xBase = xo + (n * d.c + gi * cg) * d.h * d.w;
                    for (int p0 = 0; p0 < pixels; p0 += block) {
                        int pn = Math.min(block, pixels - p0);
                        // dW_g += dy_g [og, pn] · colᵀ [pn, kk], colᵀ packed straight from the input
                        float[] ap = packed(1, Gemm.packedASize(og, pn));
                        Gemm.packAll(k, gy, go + (n * d.o + gi * og) * pixels + p0, pixels, 1, og, pn, ap);
                        float[] bp = packed(0, Gemm.packedBSize(pn, kk, nr));
                        ConvLowering.zeroPanelTails(bp, pn, kk, nr);
                        ConvLowering.im2colWeightPanels(k, x, xBase, d, p, p0, pn, bp,
                                pn == block ? full : ConvLowering.Scatter.of(kk, pn, nr, true), rows);
                        Gemm.multiplyPacked(k, og, kk, pn, ap, bp, target, base + gi * og * kk, kk, n > n0 || p0 > 0);
                    }
                }
            }
        });
        for (int ch = 1; ch < chunks; ch++) k.axpy(1f, partial[ch], 0, dw, dwo, size);
    }

    // ---- float64: direct loops ----------------------------------------------------------------

    static void forward(double[] x, int xo, double[] w, int wo, double[] b, int bo, double[] y, int yo, Dims d,
                        ConvParams p) {
        int cg = d.cg(p), og = d.og(p);
        Parallel.forEach(d.n, work(d, p) >= PARALLEL_WORK, n -> {
            for (int o = 0; o < d.o; o++) {
                int c0 = o / og * cg;
                for (int i = 0; i < d.ho; i++) {
                    for (int j = 0; j < d.wo; j++) {
                        double s = b != null ? b[bo + o] : 0;
                        for (int c = 0; c < cg; c++) {
                            for (int u = 0; u < d.kh; u++) {
                                int ih = i * p.strideH() - p.padH() + u * p.dilationH();
                                if (ih < 0 || ih >= d.h) continue;
                                for (int v = 0; v < d.kw; v++) {
                                    int iw = j * p.strideW() - p.padW() + v * p.dilationW();
                                    if (iw < 0 || iw >= d.w) continue;
                                    s += w[wo + ((o * cg + c) * d.kh + u) * d.kw + v]
                                            * x[xo + ((n * d.c + c0 + c) * d.h + ih) * d.w + iw];
                                }
                            }
                        }
                        y[yo + ((n * d.o + o) * d.ho + i) * d.wo + j] = s;
                    }
                }
            }
        });
    }

    static void inputGrad(double[] gy, int go, double[] w, int wo, double[] dx, int dxo, Dims d, ConvParams p) {
        int cg = d.cg(p), og = d.og(p), plane = d.h * d.w;
        Parallel.forEach(d.n, work(d, p) >= PARALLEL_WORK, n -> {
            Arrays.fill(dx, dxo + n * d.c * plane, dxo + (n + 1) * d.c * plane, 0);
            for (int o = 0; o < d.o; o++) {
                int c0 = o / og * cg;
                for (int i = 0; i < d.ho; i++) {
                    for (int j = 0; j < d.wo; j++) {
                        double g = gy[go + ((n * d.o + o) * d.ho + i) * d.wo + j];
                        for (int c = 0; c < cg; c++) {
                            for (int u = 0; u < d.kh; u++) {
                                int ih = i * p.strideH() - p.padH() + u * p.dilationH();
                                if (ih < 0 || ih >= d.h) continue;
                                for (int v = 0; v < d.kw; v++) {
                                    int iw = j * p.strideW() - p.padW() + v * p.dilationW();
                                    if (iw < 0 || iw >= d.w) continue;
                                    dx[dxo + ((n * d.c + c0 + c) * d.h + ih) * d.w + iw]
                                            += g * w[wo + ((o * cg + c) * d.kh + u) * d.kw + v];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * {@link #weightGrad} of a convolution with one input channel, 3×3, stride 1, no padding
     * ({@link FloatKernels#firstLayerWeightGrad}): lane-wise sums over {@link #WEIGHT_GRAD_CHUNKS}
     * fixed chunks of images, each kernel entry then the sum of its chunks' lanes in order.
     * ConvBenchmark's conv1 weight gradient, batch 64: see BENCHMARKS.md.
     */
    private static void firstLayerWeightGrad(FloatKernels k, float[] gy, int go, float[] x, int xo, float[] dw, int dwo,
                                             Dims d, ConvParams p) {
        int chunks = Math.min(d.n, WEIGHT_GRAD_CHUNKS), lanes = k.firstLayerLanes(), size = (d.o + 1) * 9 * lanes;
        float[] part = new float[chunks * size];
        Parallel.forEach(chunks, chunks > 1 && work(d, p) >= PARALLEL_WORK, ch -> {
            int n0 = (int) ((long) d.n * ch / chunks), n1 = (int) ((long) d.n * (ch + 1) / chunks);
            k.firstLayerWeightGrad(gy, go, x, xo, n0, n1, d.h, d.w, d.o, part, ch * size);
        });
        for (int o = 0; o < d.o; o++) {
            for (int t = 0; t < 9; t++) {
                float sum = 0f;
                for (int ch = 0; ch < chunks; ch++) {
                    int at = ch * size + (o * 9 + t) * lanes;
                    float s = 0f;
                    for (int l = 0; l < lanes; l++) s += part[at + l];
                    sum += s;
                }
                dw[dwo + o * 9 + t] = sum;
            }
        }
    }

    static void weightGrad(double[] gy, int go, double[] x, int xo, double[] dw, int dwo, Dims d, ConvParams p) {
        int cg = d.cg(p), og = d.og(p), kk = d.k(p);
        Parallel.forEach(d.o, work(d, p) >= PARALLEL_WORK, o -> {
            int c0 = o / og * cg, base = dwo + o * kk;
            Arrays.fill(dw, base, base + kk, 0);
            for (int n = 0; n < d.n; n++) {
                for (int i = 0; i < d.ho; i++) {
                    for (int j = 0; j < d.wo; j++) {
                        double g = gy[go + ((n * d.o + o) * d.ho + i) * d.wo + j];
                        for (int c = 0; c < cg; c++) {
                            for (int u = 0; u < d.kh; u++) {
                                int ih = i * p.strideH() - p.padH() + u * p.dilationH();
                                if (ih < 0 || ih >= d.h) continue;
                                for (int v = 0; v < d.kw; v++) {
                                    int iw = j * p.strideW() - p.padW() + v * p.dilationW();
                                    if (iw < 0 || iw >= d.w) continue;
                                    dw[base + (c * d.kh + u) * d.kw + v]
                                            += g * x[xo + ((n * d.c + c0 + c) * d.h + ih) * d.w + iw];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
