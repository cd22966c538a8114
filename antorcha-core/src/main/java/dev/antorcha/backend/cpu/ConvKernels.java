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
 * the thread count. Float64 (GradCheck, reference checks) runs direct loops: exact to the
 * formula, not fast.
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

    /**
     * Where im2col writes entry (patch row r, pixel t) of a block: {@code rowAt[r] + pixelAt[t]} in
     * the panel layout of {@link Gemm#multiplyPacked}, with the patch rows as the inner dimension
     * (forward: {@code W · col}) or the pixels (weight gradient: {@code dy · colᵀ}). Consecutive
     * pixels are {@code stride} apart in runs that start at multiples of {@code run}: {@code nr}
     * and 1 in the forward's panels, {@code KC} and {@code nr} in the weight gradient's.
     */
    private record Scatter(int[] rowAt, int[] pixelAt, int run, int stride) {
        static Scatter of(int kk, int pn, int nr, boolean pixelsInner) {
            int inner = pixelsInner ? pn : kk, outer = pixelsInner ? kk : pn;
            int panelStride = nr * Gemm.KC, blockStride = (outer + nr - 1) / nr * panelStride;
            int[] innerAt = new int[inner], outerAt = new int[outer];
            for (int i = 0; i < inner; i++) innerAt[i] = i / Gemm.KC * blockStride + i % Gemm.KC * nr;
            for (int j = 0; j < outer; j++) outerAt[j] = j / nr * panelStride + j % nr;
            return pixelsInner ? new Scatter(outerAt, innerAt, Gemm.KC, nr) : new Scatter(innerAt, outerAt, nr, 1);
        }
    }

    /** Zeroes the columns past {@code n} of every k-block's last panel (the micro-kernel reads them). */
    private static void zeroPanelTails(float[] bp, int kk, int n, int nr) {
        if (n % nr == 0) return;
        int panels = (n + nr - 1) / nr, panelStride = nr * Gemm.KC;
        for (int q = 0; q * Gemm.KC < kk; q++) {
            int at = (q * panels + panels - 1) * panelStride;
            Arrays.fill(bp, at, at + panelStride, 0f);
        }
    }

    static void forward(FloatKernels k, float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                        Dims d, ConvParams p) {
        int cg = d.cg(p), og = d.og(p), kk = d.k(p), pixels = d.pixels(), block = pixelBlock(d, p), nr = k.gemmNr();
        boolean perImage = d.n > 1 && work(d, p) >= PARALLEL_WORK;
        // Many images: each task packs its patches straight into GEMM panels and multiplies by the
        // weight packed once for all. One image: the GEMM's own parallel split.
        float[][] wp = new float[p.groups()][];
        if (perImage) {
            for (int gi = 0; gi < p.groups(); gi++) {
                Gemm.packAll(k, w, wo + gi * og * kk, kk, 1, og, kk, wp[gi] = new float[Gemm.packedASize(og, kk)]);
            }
        }
        Scatter full = Scatter.of(kk, block, nr, false);
        Parallel.forEach(d.n, perImage, n -> {
            for (int gi = 0; gi < p.groups(); gi++) {
                int xBase = xo + (n * d.c + gi * cg) * d.h * d.w;
                for (int p0 = 0; p0 < pixels; p0 += block) {
                    int pn = Math.min(block, pixels - p0), yAt = yo + (n * d.o + gi * og) * pixels + p0;
                    if (perImage) {
                        float[] bp = packed(0, Gemm.packedBSize(kk, pn, nr));
                        zeroPanelTails(bp, kk, pn, nr);
                        im2colPanels(k, x, xBase, cg, d, p, p0, pn, bp, pn == block ? full : Scatter.of(kk, pn, nr, false));
                        Gemm.multiplyPacked(k, og, pn, kk, wp[gi], bp, y, yAt, pixels, false);
                    } else {
                        float[] col = col(kk * pn);
                        im2col(x, xBase, cg, d, p, p0, pn, col, plain(kk, pn));
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

    /** The row-major {@code [kk][pn]} col layout. */
    private static Scatter plain(int kk, int pn) {
        int[] rowAt = new int[kk], pixelAt = new int[pn];
        for (int r = 0; r < kk; r++) rowAt[r] = r * pn;
        for (int t = 0; t < pn; t++) pixelAt[t] = t;
        return new Scatter(rowAt, pixelAt, Math.max(pn, 1), 1);
    }

    static void inputGrad(FloatKernels k, float[] gy, int go, float[] w, int wo, float[] dx, int dxo, Dims d,
                          ConvParams p) {
        int cg = d.cg(p), og = d.og(p), kk = d.k(p), pixels = d.pixels(), block = pixelBlock(d, p), nr = k.gemmNr();
        boolean perImage = d.n > 1 && work(d, p) >= PARALLEL_WORK;
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
                    col2im(k, col, cg, d, p, p0, pn, dx, xBase);
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
        int chunks = Math.min(d.n, WEIGHT_GRAD_CHUNKS);
        float[][] partial = new float[chunks][];
        boolean parallel = chunks > 1 && work(d, p) >= PARALLEL_WORK;
        Scatter full = Scatter.of(kk, block, nr, true);
        PatchRows rows = PatchRows.of(cg, d, p);
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
                        zeroPanelTails(bp, pn, kk, nr);
                        im2colWeightPanels(k, x, xBase, d, p, p0, pn, bp, pn == block ? full : Scatter.of(kk, pn, nr, true), rows);
                        Gemm.multiplyPacked(k, og, kk, pn, ap, bp, target, base + gi * og * kk, kk, n > n0 || p0 > 0);
                    }
                }
            }
        });
        for (int ch = 1; ch < chunks; ch++) k.axpy(1f, partial[ch], 0, dw, dwo, size);
    }

    /**
     * The patches of output pixels {@code [p0, p0+pn)} of one group: entry (row {@code (c, u, v)},
     * pixel t) is input {@code (c, i·sH − pH + u·dH, j·sW − pW + v·dW)} or 0, written to
     * {@code dst[at.rowAt[row] + at.pixelAt[t]]}.
     */
    private static void im2col(float[] x, int xBase, int cg, Dims d, ConvParams p, int p0, int pn, float[] dst, Scatter at) {
        int h = d.h, w = d.w, sw = p.strideW();
        int[] pixelAt = at.pixelAt();
        for (int c = 0; c < cg; c++) {
            int plane = xBase + c * h * w;
            for (int u = 0; u < d.kh; u++) {
                for (int v = 0; v < d.kw; v++) {
                    int rowAt = at.rowAt()[(c * d.kh + u) * d.kw + v];
                    int i = p0 / d.wo, j = p0 % d.wo;
                    for (int t = 0; t < pn; i++, j = 0) {
                        int seg = Math.min(d.wo - j, pn - t), end = t + seg;
                        int ih = i * p.strideH() - p.padH() + u * p.dilationH();
                        if (ih < 0 || ih >= h) {
                            for (; t < end; t++) dst[rowAt + pixelAt[t]] = 0f;
                            continue;
                        }
                        int row = plane + ih * w, iw = j * sw - p.padW() + v * p.dilationW();
                        if (sw == 1 && iw >= 0 && iw + seg <= w) {
                            // A run of the input row with no padding in it: copied run by run of the
                            // layout, without a bounds test or an index lookup per value.
                            int run = at.run(), stride = at.stride();
                            for (int src = row + iw; t < end; ) {
                                int len = Math.min(end - t, run - t % run), d0 = rowAt + pixelAt[t];
                                for (int q = 0; q < len; q++) dst[d0 + q * stride] = x[src + q];
                                t += len;
                                src += len;
                            }
                            continue;
                        }
                        for (; t < end; t++, iw += sw) dst[rowAt + pixelAt[t]] = iw >= 0 && iw < w ? x[row + iw] : 0f;
                    }
                }
            }
        }
    }

    /**
     * {@link #im2col} into the forward's panels (patch rows inner, pixels in runs of
     * {@code at.run()} = the kernels' {@code nr}), a run of pixels at a time: all the patch rows
     * of one run, so that each panel is written in address order. Patch row by patch row, the
     * writes of one row were spread over every panel, {@code nr·KC} floats apart, which fall in
     * few cache sets; this order took half the time for the MNIST CNN's second convolution. A run
     * within one output row and clear of the padding is one {@link FloatKernels#copyPanelRow}.
     */
    private static void im2colPanels(FloatKernels k, float[] x, int xBase, int cg, Dims d, ConvParams p, int p0, int pn,
                                     float[] dst, Scatter at) {
        int h = d.h, w = d.w, run = at.run(), sh = p.strideH(), sw = p.strideW();
        int[] rowAt = at.rowAt(), pixelAt = at.pixelAt();
        for (int t0 = 0; t0 < pn; t0 += run) {
            int len = Math.min(run, pn - t0), i = (p0 + t0) / d.wo, j = (p0 + t0) % d.wo, panel = pixelAt[t0];
            if (j + len > d.wo) {   // the run wraps to the next output row: value by value
                im2col(x, xBase, cg, d, p, p0 + t0, len, dst, runOf(at, t0, len));
                continue;
            }
            boolean whole = len == run;
            for (int c = 0, r = 0; c < cg; c++) {
                int plane = xBase + c * h * w;
                for (int u = 0; u < d.kh; u++) {
                    int ih = i * sh - p.padH() + u * p.dilationH();
                    for (int v = 0; v < d.kw; v++, r++) {
                        int d0 = rowAt[r] + panel, iw = j * sw - p.padW() + v * p.dilationW();
                        if (ih < 0 || ih >= h) {
                            for (int q = 0; q < len; q++) dst[d0 + q] = 0f;
                        } else if (whole && sw == 1 && iw >= 0 && iw + len <= w) {
                            k.copyPanelRow(x, plane + ih * w + iw, dst, d0);
                        } else {
                            int row = plane + ih * w;
                            for (int q = 0; q < len; q++, iw += sw) dst[d0 + q] = iw >= 0 && iw < w ? x[row + iw] : 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Each patch row's place in the input, relative to the top left corner of an output pixel's
     * window ({@code (i·sH − pH, j·sW − pW)}): {@code offset} in a group's planes, {@code du}
     * rows down and {@code dv} columns right.
     */
    private record PatchRows(int[] offset, int[] du, int[] dv) {
        static PatchRows of(int cg, Dims d, ConvParams p) {
            int kk = cg * d.kh * d.kw;
            int[] offset = new int[kk], du = new int[kk], dv = new int[kk];
            for (int c = 0, r = 0; c < cg; c++) {
                for (int u = 0; u < d.kh; u++) {
                    for (int v = 0; v < d.kw; v++, r++) {
                        du[r] = u * p.dilationH();
                        dv[r] = v * p.dilationW();
                        offset[r] = (c * d.h + du[r]) * d.w + dv[r];
                    }
                }
            }
            return new PatchRows(offset, du, dv);
        }
    }

    /**
     * {@link #im2col} into the weight gradient's panels (pixels inner, {@code nr} patch rows side
     * by side), a panel at a time in address order: eight pixels of a panel's rows as one
     * transpose of eight runs ({@link FloatKernels#transposeRuns8}) where the pixels lie in one
     * output row and every row's run inside the input (stride 1), the rest value by value.
     * Row by row, each value was written {@code nr} floats after the last.
     */
    private static void im2colWeightPanels(FloatKernels k, float[] x, int xBase, Dims d, ConvParams p, int p0, int pn,
                                           float[] dst, Scatter at, PatchRows rows) {
        int nr = k.gemmNr(), kk = rows.offset().length, h = d.h, w = d.w, sh = p.strideH(), sw = p.strideW();
        int[] rowAt = at.rowAt(), pixelAt = at.pixelAt(), off = rows.offset(), du = rows.du(), dv = rows.dv();
        for (int r0 = 0; r0 < kk; r0 += nr) {
            int r1 = Math.min(r0 + nr, kk);
            for (int t0 = 0; t0 < pn; t0 += 8) {
                int len = Math.min(8, pn - t0), i = (p0 + t0) / d.wo, j = (p0 + t0) % d.wo;
                int ih0 = i * sh - p.padH(), iw0 = j * sw - p.padW();
                boolean fast = nr == 8 && r1 - r0 == 8 && len == 8 && sw == 1 && j + 8 <= d.wo;
                for (int r = r0; fast && r < r1; r++) {
                    int ih = ih0 + du[r], iw = iw0 + dv[r];
                    fast = ih >= 0 && ih < h && iw >= 0 && iw + 8 <= w;
                }
                if (fast) {
                    k.transposeRuns8(x, xBase + ih0 * w + iw0, off, r0, dst, rowAt[r0] + pixelAt[t0]);
                    continue;
                }
                for (int q = 0; q < len; q++) {
                    int pix = p0 + t0 + q, ihq = pix / d.wo * sh - p.padH(), iwq = pix % d.wo * sw - p.padW();
                    for (int r = r0; r < r1; r++) {
                        int ih = ihq + du[r], iw = iwq + dv[r];
                        dst[rowAt[r] + pixelAt[t0 + q]] = ih >= 0 && ih < h && iw >= 0 && iw < w
                                ? x[xBase + off[r] + (ihq * w + iwq)] : 0f;
                    }
                }
            }
        }
    }

    /** The scatter of pixels {@code [t0, t0+len)} of {@code at}, renumbered from 0. */
    private static Scatter runOf(Scatter at, int t0, int len) {
        return new Scatter(at.rowAt(), Arrays.copyOfRange(at.pixelAt(), t0, t0 + len), at.run(), at.stride());
    }

    /** The reverse of {@link #im2col}: adds each col entry into the input position it was read from. */
    private static void col2im(FloatKernels k, float[] col, int cg, Dims d, ConvParams p, int p0, int pn, float[] dx, int xBase) {
        int h = d.h, w = d.w, sw = p.strideW();
        for (int c = 0; c < cg; c++) {
            int plane = xBase + c * h * w;
            for (int u = 0; u < d.kh; u++) {
                for (int v = 0; v < d.kw; v++) {
                    int src = ((c * d.kh + u) * d.kw + v) * pn;
                    int i = p0 / d.wo, j = p0 % d.wo;
                    for (int done = 0; done < pn; i++, j = 0) {
                        int seg = Math.min(d.wo - j, pn - done);
                        int ih = i * p.strideH() - p.padH() + u * p.dilationH();
                        if (ih >= 0 && ih < h) {
                            int row = plane + ih * w, iw0 = j * sw - p.padW() + v * p.dilationW();
                            if (sw == 1) {
                                int t0 = Math.clamp(-iw0, 0, seg), t1 = Math.clamp(w - iw0, t0, seg);
                                k.axpy(1f, col, src + t0, dx, row + iw0 + t0, t1 - t0);   // x + y exactly: fma(1, x, y)
                            } else {
                                for (int t = 0, iw = iw0; t < seg; t++, iw += sw) {
                                    if (iw >= 0 && iw < w) dx[row + iw] += col[src + t];
                                }
                            }
                        }
                        src += seg;
                        done += seg;
                    }
                }
            }
        }
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
