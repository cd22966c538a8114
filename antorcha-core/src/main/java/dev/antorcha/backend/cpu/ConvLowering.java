package dev.antorcha.backend.cpu;

import dev.antorcha.backend.ConvParams;
import java.util.Arrays;

/**
 * A float32 convolution's lowering to matrix products ({@link ConvKernels}): im2col of an
 * image's patches, written straight into the GEMM's packed panels (the forward's, patch rows
 * inner; the weight gradient's, pixels inner) or into a row-major {@code [kk][pixels]} col, and
 * col2im's scatter-add back into an input gradient. The panels are written in address order, a
 * run of pixels or a panel of patch rows at a time, as vector copies and 8×8 register transposes
 * where a run lies inside one output row and clear of the padding.
 */
final class ConvLowering {
    private ConvLowering() {
    }

    /**
     * Where im2col writes entry (patch row r, pixel t) of a block: {@code rowAt[r] + pixelAt[t]} in
     * the panel layout of {@link Gemm#multiplyPacked}, with the patch rows as the inner dimension
     * (forward: {@code W · col}) or the pixels (weight gradient: {@code dy · colᵀ}). Consecutive
     * pixels are {@code stride} apart in runs that start at multiples of {@code run}: {@code nr}
     * and 1 in the forward's panels, {@code KC} and {@code nr} in the weight gradient's.
     */
    record Scatter(int[] rowAt, int[] pixelAt, int run, int stride) {
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
    static void zeroPanelTails(float[] bp, int kk, int n, int nr) {
        if (n % nr == 0) return;
        int panels = (n + nr - 1) / nr, panelStride = nr * Gemm.KC;
        for (int q = 0; q * Gemm.KC < kk; q++) {
            int at = (q * panels + panels - 1) * panelStride;
            Arrays.fill(bp, at, at + panelStride, 0f);
        }
    }

    /** The row-major {@code [kk][pn]} col layout. */
    static Scatter plain(int kk, int pn) {
        int[] rowAt = new int[kk], pixelAt = new int[pn];
        for (int r = 0; r < kk; r++) rowAt[r] = r * pn;
        for (int t = 0; t < pn; t++) pixelAt[t] = t;
        return new Scatter(rowAt, pixelAt, Math.max(pn, 1), 1);
    }

    /**
     * The patches of output pixels {@code [p0, p0+pn)} of one group: entry (row {@code (c, u, v)},
     * pixel t) is input {@code (c, i·sH − pH + u·dH, j·sW − pW + v·dW)} or 0, written to
     * {@code dst[at.rowAt[row] + at.pixelAt[t]]}.
     */
    static void im2col(float[] x, int xBase, int cg, ConvKernels.Dims d, ConvParams p, int p0, int pn, float[] dst, Scatter at) {
        int h = d.h(), w = d.w(), sw = p.strideW();
        int[] pixelAt = at.pixelAt();
        for (int c = 0; c < cg; c++) {
            int plane = xBase + c * h * w;
            for (int u = 0; u < d.kh(); u++) {
                for (int v = 0; v < d.kw(); v++) {
                    int rowAt = at.rowAt()[(c * d.kh() + u) * d.kw() + v];
                    int i = p0 / d.wo(), j = p0 % d.wo();
                    for (int t = 0; t < pn; i++, j = 0) {
                        int seg = Math.min(d.wo() - j, pn - t), end = t + seg;
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
    static void im2colPanels(FloatKernels k, float[] x, int xBase, int cg, ConvKernels.Dims d, ConvParams p, int p0, int pn,
                                     float[] dst, Scatter at, PatchRows rows) {
        int h = d.h(), w = d.w(), run = at.run(), sh = p.strideH(), sw = p.strideW();
        int[] rowAt = at.rowAt(), pixelAt = at.pixelAt();
        for (int t0 = 0; t0 < pn; t0 += run) {
            int len = Math.min(run, pn - t0), i = (p0 + t0) / d.wo(), j = (p0 + t0) % d.wo(), panel = pixelAt[t0];
            if (j + len > d.wo()) {   // the run wraps to the next output row: value by value
                patchValues(x, xBase, d, p, rows, p0, t0, len, 0, rows.offset().length, dst, at);
                continue;
            }
            boolean whole = len == run;
            for (int c = 0, r = 0; c < cg; c++) {
                int plane = xBase + c * h * w;
                for (int u = 0; u < d.kh(); u++) {
                    int ih = i * sh - p.padH() + u * p.dilationH();
                    for (int v = 0; v < d.kw(); v++, r++) {
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
    record PatchRows(int[] offset, int[] du, int[] dv) {
        static PatchRows of(int cg, ConvKernels.Dims d, ConvParams p) {
            int kk = cg * d.kh() * d.kw();
            int[] offset = new int[kk], du = new int[kk], dv = new int[kk];
            for (int c = 0, r = 0; c < cg; c++) {
                for (int u = 0; u < d.kh(); u++) {
                    for (int v = 0; v < d.kw(); v++, r++) {
                        du[r] = u * p.dilationH();
                        dv[r] = v * p.dilationW();
                        offset[r] = (c * d.h() + du[r]) * d.w() + dv[r];
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
    static void im2colWeightPanels(FloatKernels k, float[] x, int xBase, ConvKernels.Dims d, ConvParams p, int p0, int pn,
                                           float[] dst, Scatter at, PatchRows rows) {
        int nr = k.gemmNr(), kk = rows.offset().length, h = d.h(), w = d.w(), sh = p.strideH(), sw = p.strideW();
        int[] rowAt = at.rowAt(), pixelAt = at.pixelAt(), off = rows.offset(), du = rows.du(), dv = rows.dv();
        for (int r0 = 0; r0 < kk; r0 += nr) {
            int r1 = Math.min(r0 + nr, kk);
            for (int t0 = 0; t0 < pn; t0 += 8) {
                int len = Math.min(8, pn - t0), i = (p0 + t0) / d.wo(), j = (p0 + t0) % d.wo();
                int ih0 = i * sh - p.padH(), iw0 = j * sw - p.padW();
                boolean fast = nr == 8 && r1 - r0 == 8 && len == 8 && sw == 1 && j + 8 <= d.wo();
                for (int r = r0; fast && r < r1; r++) {
                    int ih = ih0 + du[r], iw = iw0 + dv[r];
                    fast = ih >= 0 && ih < h && iw >= 0 && iw + 8 <= w;
                }
                if (fast) {
                    k.transposeRuns8(x, xBase + ih0 * w + iw0, off, r0, dst, rowAt[r0] + pixelAt[t0]);
                    continue;
                }
                patchValues(x, xBase, d, p, rows, p0, t0, len, r0, r1, dst, at);
            }
        }
    }

    /**
     * Patch rows {@code [r0, r1)} of pixels {@code [t0, t0+len)} of a block starting at output
     * pixel {@code p0}, value by value with every bound tested: the panels' fallback where a run
     * wraps to the next output row, crosses the padding or has a stride.
     */
    private static void patchValues(float[] x, int xBase, ConvKernels.Dims d, ConvParams p, PatchRows rows, int p0, int t0,
                                    int len, int r0, int r1, float[] dst, Scatter at) {
        int h = d.h(), w = d.w();
        int[] rowAt = at.rowAt(), pixelAt = at.pixelAt(), off = rows.offset(), du = rows.du(), dv = rows.dv();
        for (int q = 0; q < len; q++) {
            int pix = p0 + t0 + q, ihq = pix / d.wo() * p.strideH() - p.padH(), iwq = pix % d.wo() * p.strideW() - p.padW();
            for (int r = r0; r < r1; r++) {
                int ih = ihq + du[r], iw = iwq + dv[r];
                dst[rowAt[r] + pixelAt[t0 + q]] = ih >= 0 && ih < h && iw >= 0 && iw < w ? x[xBase + off[r] + (ihq * w + iwq)] : 0f;
            }
        }
    }

    /** The reverse of {@link #im2col}: adds each col entry into the input position it was read from. */
    static void col2im(FloatKernels k, float[] col, int cg, ConvKernels.Dims d, ConvParams p, int p0, int pn, float[] dx, int xBase) {
        int h = d.h(), w = d.w(), sw = p.strideW();
        for (int c = 0; c < cg; c++) {
            int plane = xBase + c * h * w;
            for (int u = 0; u < d.kh(); u++) {
                for (int v = 0; v < d.kw(); v++) {
                    int src = ((c * d.kh() + u) * d.kw() + v) * pn;
                    int i = p0 / d.wo(), j = p0 % d.wo();
                    for (int done = 0; done < pn; i++, j = 0) {
                        int seg = Math.min(d.wo() - j, pn - done);
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
}
