package dev.antorcha.backend.cpu;

import dev.antorcha.backend.Pool2d;

/**
 * The CPU loops of 2-D pooling, PyTorch 1.13's CPU kernels element for element: each works on
 * {@code planes} independent {@code [H, W]} planes (the {@code N·C} of an NCHW tensor) of a
 * contiguous array. Planes are handed out in blocks whose size depends only on the plane size,
 * and every plane is computed by one thread in one order, so the results do not depend on the
 * number of threads.
 *
 * <p>The {@code 2x2}, stride-2 max pool of a CNN runs its rows through
 * {@link FloatKernels#maxPool2x2Row}: after a ReLU half the inputs are tied zeros, and the scalar
 * loop's compare-and-replace branches are then mispredicted about as often as not, while the
 * SIMD form selects with blends.
 */
final class PoolKernels {
    private PoolKernels() {
    }

    /** Elements per parallel block (whole planes): big enough that a hand-off costs little. */
    private static final int BLOCK_ELEMENTS = 1 << 15;

    interface PlaneRange {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, planes)} in fixed blocks, in parallel when there is enough work. */
    static void forPlanes(int planes, int planeSize, PlaneRange body) {
        int per = Math.max(1, BLOCK_ELEMENTS / Math.max(1, planeSize));
        int blocks = (planes + per - 1) / per;
        Parallel.forEach(blocks, (long) planes * planeSize >= BLOCK_ELEMENTS, b -> body.run(b * per, Math.min(planes, (b + 1) * per)));
    }

    // ---- max pooling ---------------------------------------------------------------------------

    /**
     * {@code y} and {@code idx} ({@code [planes, oh, ow]} from {@code yo}) from {@code x}
     * ({@code [planes, h, w]} from {@code xo}). Padding never wins; an element replaces the
     * current maximum only when strictly greater or NaN (torch's rule: the first maximum in
     * row-major order, the last NaN).
     */
    static void maxPool(FloatKernels k, float[] x, int xo, float[] y, long[] idx, int yo, int planes, int h, int w, int oh, int ow,
                        Pool2d p) {
        boolean two = p.isTwoByTwo();
        forPlanes(planes, h * w, (from, to) -> {
            for (int c = from; c < to; c++) {
                if (two) maxPlane2x2(k, x, xo + c * h * w, y, idx, yo + c * oh * ow, w, oh, ow);
                else maxPlane(x, xo + c * h * w, y, idx, yo + c * oh * ow, h, w, oh, ow, p);
            }
        });
    }

    /** The 2x2, stride-2 window: two rows, two adjacent columns, no clipping; the row loop is {@code k}'s. */
    private static void maxPlane2x2(FloatKernels k, float[] x, int base, float[] y, long[] idx, int out, int w, int oh, int ow) {
        for (int i = 0; i < oh; i++) k.maxPool2x2Row(x, base + 2 * i * w, w, ow, y, idx, out + i * ow, 2 * i * w);
    }

    private static void maxPlane(float[] x, int base, float[] y, long[] idx, int out, int h, int w, int oh, int ow, Pool2d p) {
        for (int i = 0; i < oh; i++) {
            int h0 = i * p.strideH() - p.padH(), h1 = Math.min(h0 + (p.kernelH() - 1) * p.dilationH() + 1, h);
            while (h0 < 0) h0 += p.dilationH();
            for (int j = 0; j < ow; j++) {
                int w0 = j * p.strideW() - p.padW(), w1 = Math.min(w0 + (p.kernelW() - 1) * p.dilationW() + 1, w);
                while (w0 < 0) w0 += p.dilationW();
                int at = h0 * w + w0;
                float m = Float.NEGATIVE_INFINITY;
                for (int r = h0; r < h1; r += p.dilationH()) {
                    for (int c = w0; c < w1; c += p.dilationW()) {
                        float v = x[base + r * w + c];
                        if (v > m || v != v) { m = v; at = r * w + c; }
                    }
                }
                y[out + i * ow + j] = m;
                idx[out + i * ow + j] = at;
            }
        }
    }

    /** As {@link #maxPool(FloatKernels, float[], int, float[], long[], int, int, int, int, int, int, Pool2d)} in float64. */
    static void maxPool(double[] x, int xo, double[] y, long[] idx, int yo, int planes, int h, int w, int oh, int ow, Pool2d p) {
        forPlanes(planes, h * w, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = xo + c * h * w, out = yo + c * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int h0 = i * p.strideH() - p.padH(), h1 = Math.min(h0 + (p.kernelH() - 1) * p.dilationH() + 1, h);
                    while (h0 < 0) h0 += p.dilationH();
                    for (int j = 0; j < ow; j++) {
                        int w0 = j * p.strideW() - p.padW(), w1 = Math.min(w0 + (p.kernelW() - 1) * p.dilationW() + 1, w);
                        while (w0 < 0) w0 += p.dilationW();
                        int at = h0 * w + w0;
                        double m = Double.NEGATIVE_INFINITY;
                        for (int r = h0; r < h1; r += p.dilationH()) {
                            for (int cc = w0; cc < w1; cc += p.dilationW()) {
                                double v = x[base + r * w + cc];
                                if (v > m || v != v) { m = v; at = r * w + cc; }
                            }
                        }
                        y[out + i * ow + j] = m;
                        idx[out + i * ow + j] = at;
                    }
                }
            }
        });
    }

    /** {@code dx} (every plane written, from {@code dxo}) = the sum of {@code g} over the windows each element won. */
    static void maxPoolBackward(float[] g, int go, long[] idx, int io, float[] dx, int dxo, int planes, int hw, int ohw) {
        forPlanes(planes, hw, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = dxo + c * hw, gb = go + c * ohw, ib = io + c * ohw;
                java.util.Arrays.fill(dx, base, base + hw, 0f);
                for (int k = 0; k < ohw; k++) dx[base + (int) idx[ib + k]] += g[gb + k];
            }
        });
    }

    /** As {@link #maxPoolBackward(float[], int, long[], int, float[], int, int, int, int)} in float64. */
    static void maxPoolBackward(double[] g, int go, long[] idx, int io, double[] dx, int dxo, int planes, int hw, int ohw) {
        forPlanes(planes, hw, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = dxo + c * hw, gb = go + c * ohw, ib = io + c * ohw;
                java.util.Arrays.fill(dx, base, base + hw, 0d);
                for (int k = 0; k < ohw; k++) dx[base + (int) idx[ib + k]] += g[gb + k];
            }
        });
    }

    // ---- average pooling -----------------------------------------------------------------------

    /**
     * The divisor of window {@code (i, j)}, or 0 when the window holds no input element (its
     * output is 0): {@code divisorOverride} if positive, else the window's size counting padding
     * (never the positions beyond it) or only its input elements. {@code b[0..3]} receives the
     * clipped window {@code h0, h1, w0, w1}.
     */
    private static int avgWindow(int i, int j, int h, int w, Pool2d p, boolean countIncludePad, int divisorOverride, int[] b) {
        int h0 = i * p.strideH() - p.padH(), w0 = j * p.strideW() - p.padW();
        int h1 = Math.min(h0 + p.kernelH(), h + p.padH()), w1 = Math.min(w0 + p.kernelW(), w + p.padW());
        int poolSize = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, h);
        w1 = Math.min(w1, w);
        b[0] = h0;
        b[1] = h1;
        b[2] = w0;
        b[3] = w1;
        if (h0 >= h1 || w0 >= w1) return 0;
        if (divisorOverride > 0) return divisorOverride;
        return countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
    }

    static void avgPool(float[] x, int xo, float[] y, int yo, int planes, int h, int w, int oh, int ow, Pool2d p,
                        boolean countIncludePad, int divisorOverride) {
        forPlanes(planes, h * w, (from, to) -> {
            int[] b = new int[4];
            for (int c = from; c < to; c++) {
                int base = xo + c * h * w, out = yo + c * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int div = avgWindow(i, j, h, w, p, countIncludePad, divisorOverride, b);
                        if (div == 0) { y[out + i * ow + j] = 0; continue; }
                        float s = 0;
                        for (int r = b[0]; r < b[1]; r++) for (int cc = b[2]; cc < b[3]; cc++) s += x[base + r * w + cc];
                        y[out + i * ow + j] = s / div;
                    }
                }
            }
        });
    }

    static void avgPool(double[] x, int xo, double[] y, int yo, int planes, int h, int w, int oh, int ow, Pool2d p,
                        boolean countIncludePad, int divisorOverride) {
        forPlanes(planes, h * w, (from, to) -> {
            int[] b = new int[4];
            for (int c = from; c < to; c++) {
                int base = xo + c * h * w, out = yo + c * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int div = avgWindow(i, j, h, w, p, countIncludePad, divisorOverride, b);
                        if (div == 0) { y[out + i * ow + j] = 0; continue; }
                        double s = 0;
                        for (int r = b[0]; r < b[1]; r++) for (int cc = b[2]; cc < b[3]; cc++) s += x[base + r * w + cc];
                        y[out + i * ow + j] = s / div;
                    }
                }
            }
        });
    }

    /** {@code dx} (every plane written) receives {@code g / divisor} at every input element of every window. */
    static void avgPoolBackward(float[] g, int go, float[] dx, int dxo, int planes, int h, int w, int oh, int ow, Pool2d p,
                                boolean countIncludePad, int divisorOverride) {
        forPlanes(planes, h * w, (from, to) -> {
            int[] b = new int[4];
            for (int c = from; c < to; c++) {
                int base = dxo + c * h * w, gb = go + c * oh * ow;
                java.util.Arrays.fill(dx, base, base + h * w, 0f);
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int div = avgWindow(i, j, h, w, p, countIncludePad, divisorOverride, b);
                        if (div == 0) continue;
                        float d = g[gb + i * ow + j] / div;
                        for (int r = b[0]; r < b[1]; r++) for (int cc = b[2]; cc < b[3]; cc++) dx[base + r * w + cc] += d;
                    }
                }
            }
        });
    }

    static void avgPoolBackward(double[] g, int go, double[] dx, int dxo, int planes, int h, int w, int oh, int ow, Pool2d p,
                                boolean countIncludePad, int divisorOverride) {
        forPlanes(planes, h * w, (from, to) -> {
            int[] b = new int[4];
            for (int c = from; c < to; c++) {
                int base = dxo + c * h * w, gb = go + c * oh * ow;
                java.util.Arrays.fill(dx, base, base + h * w, 0d);
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int div = avgWindow(i, j, h, w, p, countIncludePad, divisorOverride, b);
                        if (div == 0) continue;
                        double d = g[gb + i * ow + j] / div;
                        for (int r = b[0]; r < b[1]; r++) for (int cc = b[2]; cc < b[3]; cc++) dx[base + r * w + cc] += d;
                    }
                }
            }
        });
    }

    // ---- adaptive average pooling --------------------------------------------------------------

    /** First input row (or column) of output cell {@code i} of {@code out} over {@code in}: {@code floor(i·in/out)}. */
    static int start(int i, int out, int in) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input row of cell {@code i}: {@code ceil((i+1)·in/out)}. */
    static int end(int i, int out, int in) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    static void adaptiveAvgPool(float[] x, int xo, float[] y, int yo, int planes, int h, int w, int oh, int ow) {
        forPlanes(planes, h * w, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = xo + c * h * w, out = yo + c * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int h0 = start(i, oh, h), h1 = end(i, oh, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = start(j, ow, w), w1 = end(j, ow, w);
                        float s = 0;
                        for (int r = h0; r < h1; r++) for (int cc = w0; cc < w1; cc++) s += x[base + r * w + cc];
                        y[out + i * ow + j] = s / (h1 - h0) / (w1 - w0);
                    }
                }
            }
        });
    }

    static void adaptiveAvgPool(double[] x, int xo, double[] y, int yo, int planes, int h, int w, int oh, int ow) {
        forPlanes(planes, h * w, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = xo + c * h * w, out = yo + c * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int h0 = start(i, oh, h), h1 = end(i, oh, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = start(j, ow, w), w1 = end(j, ow, w);
                        double s = 0;
                        for (int r = h0; r < h1; r++) for (int cc = w0; cc < w1; cc++) s += x[base + r * w + cc];
                        y[out + i * ow + j] = s / (h1 - h0) / (w1 - w0);
                    }
                }
            }
        });
    }

    static void adaptiveAvgPoolBackward(float[] g, int go, float[] dx, int dxo, int planes, int h, int w, int oh, int ow) {
        forPlanes(planes, h * w, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = dxo + c * h * w, gb = go + c * oh * ow;
                java.util.Arrays.fill(dx, base, base + h * w, 0f);
                for (int i = 0; i < oh; i++) {
                    int h0 = start(i, oh, h), h1 = end(i, oh, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = start(j, ow, w), w1 = end(j, ow, w);
                        float d = g[gb + i * ow + j] / (h1 - h0) / (w1 - w0);
                        for (int r = h0; r < h1; r++) for (int cc = w0; cc < w1; cc++) dx[base + r * w + cc] += d;
                    }
                }
            }
        });
    }

    static void adaptiveAvgPoolBackward(double[] g, int go, double[] dx, int dxo, int planes, int h, int w, int oh, int ow) {
        forPlanes(planes, h * w, (from, to) -> {
            for (int c = from; c < to; c++) {
                int base = dxo + c * h * w, gb = go + c * oh * ow;
                java.util.Arrays.fill(dx, base, base + h * w, 0d);
                for (int i = 0; i < oh; i++) {
                    int h0 = start(i, oh, h), h1 = end(i, oh, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = start(j, ow, w), w1 = end(j, ow, w);
                        double d = g[gb + i * ow + j] / (h1 - h0) / (w1 - w0);
                        for (int r = h0; r < h1; r++) for (int cc = w0; cc < w1; cc++) dx[base + r * w + cc] += d;
                    }
                }
            }
        });
    }
}
