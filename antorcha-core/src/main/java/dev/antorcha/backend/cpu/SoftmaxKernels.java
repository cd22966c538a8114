package dev.antorcha.backend.cpu;

/**
 * Softmax over the last dim of contiguous rows, one pass per quantity instead of the eight tensor
 * ops of the composition it replaces (max, its finite test, the shift, exp, sum, divide): per row
 * the maximum {@code m} (0 when infinite, as torch, so a row of -inf gives NaN as torch's does),
 * {@code e = exp(x − m)} rounded to the dtype as the composition's exp, their sum in double (in
 * float lanes on the SIMD path, as torch's CPU kernel sums), {@code y = e / sum}. The backward: {@code dx = y·(g − Σ g·y)}. Rows go in blocks of
 * {@link LayerNormKernels#forRows}, each by one thread, so results do not depend on the number of
 * threads.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    /** Float32 rows; on {@link PanamaNormKernels#softmaxRow} when {@code simd}. */
    static void forward(boolean simd, float[] x, int xo, float[] y, int yo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * n, yr = yo + r * n;
                if (simd) {
                    PanamaNormKernels.softmaxRow(x, xr, y, yr, n);
                    continue;
                }
                float m = rowMax(x, xr, n);
                double s = 0;
                for (int j = 0; j < n; j++) {
                    float e = (float) Math.exp(x[xr + j] - m);
                    y[yr + j] = e;
                    s += e;
                }
                float sum = (float) s;
                for (int j = 0; j < n; j++) y[yr + j] /= sum;
            }
        });
    }

    static void forward(double[] x, int xo, double[] y, int yo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * n, yr = yo + r * n;
                double m = rowMax(x, xr, n);
                double s = 0;
                for (int j = 0; j < n; j++) s += y[yr + j] = Math.exp(x[xr + j] - m);
                for (int j = 0; j < n; j++) y[yr + j] /= s;
            }
        });
    }

    static void backward(float[] y, int yo, float[] g, int go, float[] dx, int dxo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * n, gr = go + r * n, dr = dxo + r * n;
                double s = 0;
                for (int j = 0; j < n; j++) s += (double) g[gr + j] * y[yr + j];
                for (int j = 0; j < n; j++) dx[dr + j] = (float) (y[yr + j] * (g[gr + j] - s));
            }
        });
    }

    static void backward(double[] y, int yo, double[] g, int go, double[] dx, int dxo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * n, gr = go + r * n, dr = dxo + r * n;
                double s = 0;
                for (int j = 0; j < n; j++) s += g[gr + j] * y[yr + j];
                for (int j = 0; j < n; j++) dx[dr + j] = y[yr + j] * (g[gr + j] - s);
            }
        });
    }

    // ---- log-softmax: y = (x − m) − log Σ exp(x − m); dx = g − exp(y)·Σ g -------------------------

    /** Float32 rows; on {@link PanamaNormKernels#logSoftmaxRow} when {@code simd}. */
    static void logForward(boolean simd, float[] x, int xo, float[] y, int yo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * n, yr = yo + r * n;
                if (simd) {
                    PanamaNormKernels.logSoftmaxRow(x, xr, y, yr, n);
                    continue;
                }
                float m = rowMax(x, xr, n);
                double s = 0;
                for (int j = 0; j < n; j++) s += (float) Math.exp(x[xr + j] - m);
                float logSum = (float) Math.log(s);
                for (int j = 0; j < n; j++) y[yr + j] = (x[xr + j] - m) - logSum;
            }
        });
    }

    static void logForward(double[] x, int xo, double[] y, int yo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * n, yr = yo + r * n;
                double m = rowMax(x, xr, n);
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.exp(x[xr + j] - m);
                double logSum = Math.log(s);
                for (int j = 0; j < n; j++) y[yr + j] = (x[xr + j] - m) - logSum;
            }
        });
    }

    /** Float32 rows; on {@link PanamaNormKernels#logSoftmaxBackwardRow} when {@code simd}. */
    static void logBackward(boolean simd, float[] y, int yo, float[] g, int go, float[] dx, int dxo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * n, gr = go + r * n, dr = dxo + r * n;
                if (simd) {
                    PanamaNormKernels.logSoftmaxBackwardRow(y, yr, g, gr, dx, dr, n);
                    continue;
                }
                double s = 0;
                for (int j = 0; j < n; j++) s += g[gr + j];
                float sum = (float) s;
                for (int j = 0; j < n; j++) dx[dr + j] = g[gr + j] - (float) Math.exp(y[yr + j]) * sum;
            }
        });
    }

    static void logBackward(double[] y, int yo, double[] g, int go, double[] dx, int dxo, int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * n, gr = go + r * n, dr = dxo + r * n;
                double s = 0;
                for (int j = 0; j < n; j++) s += g[gr + j];
                for (int j = 0; j < n; j++) dx[dr + j] = g[gr + j] - Math.exp(y[yr + j]) * s;
            }
        });
    }

    /**
     * {@link #logBackward} at a gradient row that is zero but for {@code v = 0 + pick[r]} at column
     * {@code index[r]}, without the row: its sum is {@code 0 + v} (the zeros add nothing, and a -0 pick
     * became +0), every other entry {@code 0 − exp(y)·s}, the picked one {@code v − exp(y)·s}: the
     * dense kernel's operations, so its bits.
     */
    static void logBackwardOneHot(boolean simd, float[] y, int yo, long[] index, int io, float[] pick, int po, float[] dx, int dxo,
                                  int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * n, dr = dxo + r * n, c = (int) index[io + r];
                float v = 0f + pick[po + r];
                if (simd) {
                    PanamaNormKernels.logSoftmaxBackwardOneHotRow(y, yr, c, v, dx, dr, n);
                    continue;
                }
                float s = (float) (0.0 + v);
                for (int j = 0; j < n; j++) dx[dr + j] = 0f - (float) Math.exp(y[yr + j]) * s;
                dx[dr + c] = v - (float) Math.exp(y[yr + c]) * s;
            }
        });
    }

    static void logBackwardOneHot(double[] y, int yo, long[] index, int io, double[] pick, int po, double[] dx, int dxo,
                                  int rows, int n) {
        LayerNormKernels.forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * n, dr = dxo + r * n, c = (int) index[io + r];
                double v = 0.0 + pick[po + r];
                double s = 0.0 + v;
                for (int j = 0; j < n; j++) dx[dr + j] = 0.0 - Math.exp(y[yr + j]) * s;
                dx[dr + c] = v - Math.exp(y[yr + c]) * s;
            }
        });
    }

    /** A row's maximum, 0 when it is infinite (as torch, so that a row of -inf gives NaN). */
    private static float rowMax(float[] x, int o, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, x[o + j]);
        return Float.isInfinite(m) ? 0 : m;
    }

    private static double rowMax(double[] x, int o, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, x[o + j]);
        return Double.isInfinite(m) ? 0 : m;
    }
}
