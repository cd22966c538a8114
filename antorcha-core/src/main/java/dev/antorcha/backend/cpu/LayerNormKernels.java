package dev.antorcha.backend.cpu;

/**
 * The CPU loops of layer normalisation, PyTorch's CPU kernel ({@code LayerNormKernelImpl}) in its
 * numerics: per group (a row of {@code n} contiguous elements) the mean, then the biased variance
 * of the centred values (two passes: a one-pass {@code E[x²] − E[x]²} loses a group offset by a
 * large constant), both accumulated in double whatever the dtype; {@code rstd = 1/sqrt(var + eps)}.
 * The backward per group: {@code dx = rstd·(g·w − mean(g·w) − x̂·mean(g·w·x̂))}; over all groups
 * {@code dweight = Σ g·x̂} and {@code dbias = Σ g}.
 *
 * <p>Rows are handed out in blocks whose size depends only on the row length; each row is
 * computed by one thread in one order, and the weight and bias gradients are summed per block and
 * then over the blocks in block order, so the results do not depend on the number of threads.
 * Float32 rows go through {@link PanamaNormKernels} when the backend runs the SIMD kernels; these
 * scalar loops define the semantics and serve float64 and JVMs without the vector module.
 */
final class LayerNormKernels {
    private LayerNormKernels() {
    }

    /** Elements per parallel block (whole rows): big enough that a hand-off costs little. */
    private static final int BLOCK_ELEMENTS = 1 << 15;

    /** Rows per block for rows of {@code n} elements. */
    static int rowsPerBlock(int n) {
        return Math.max(1, BLOCK_ELEMENTS / Math.max(1, n));
    }

    interface RowRange {
        void run(int block, int from, int to);
    }

    /** Runs {@code body} over {@code [0, rows)} in fixed blocks, in parallel when there is enough work. */
    static void forRows(int rows, int n, RowRange body) {
        int per = rowsPerBlock(n), blocks = blocks(rows, n);
        Parallel.forEach(blocks, (long) rows * n >= 2L * BLOCK_ELEMENTS, b -> body.run(b, b * per, Math.min(rows, (b + 1) * per)));
    }

    static int blocks(int rows, int n) {
        int per = rowsPerBlock(n);
        return (rows + per - 1) / per;
    }

    // ---- float32 ------------------------------------------------------------------------------

    static void forward(boolean simd, float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                        double[] mean, int mo, double[] rstd, int ro, int rows, int n, double eps) {
        forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * n, yr = yo + r * n;
                if (simd) PanamaNormKernels.forwardRow(x, xr, w, wo, b, bo, y, yr, n, eps, mean, mo + r, rstd, ro + r);
                else forwardRow(x, xr, w, wo, b, bo, y, yr, n, eps, mean, mo + r, rstd, ro + r);
            }
        });
    }

    private static void forwardRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo, int n, double eps,
                                   double[] mean, int mi, double[] rstd, int ri) {
        double s = 0;
        for (int j = 0; j < n; j++) s += x[xo + j];
        double m = s / n, v = 0;
        for (int j = 0; j < n; j++) {
            double d = x[xo + j] - m;
            v += d * d;
        }
        double rs = 1 / Math.sqrt(v / n + eps);
        mean[mi] = m;
        rstd[ri] = rs;
        for (int j = 0; j < n; j++) {
            double t = (x[xo + j] - m) * rs;
            if (w != null) t *= w[wo + j];
            if (b != null) t += b[bo + j];
            y[yo + j] = (float) t;
        }
    }

    /**
     * The gradients from {@code g}: {@code dx} (null: not wanted) and, summed over the rows, {@code dw}
     * and {@code db} (each null when not wanted); {@code w} may be null (no affine weight).
     */
    static void backward(boolean simd, float[] g, int go, float[] x, int xo, double[] mean, int mo, double[] rstd, int ro,
                         float[] w, int wo, float[] dx, int dxo, float[] dw, int dwo, float[] db, int dbo, int rows, int n) {
        int blocks = blocks(rows, n);
        double[] pw = dw == null ? null : new double[blocks * n], pb = db == null ? null : new double[blocks * n];
        forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int gr = go + r * n, xr = xo + r * n, dr = dxo + r * n;
                double m = mean[mo + r], rs = rstd[ro + r];
                if (simd) PanamaNormKernels.backwardRow(g, gr, x, xr, m, rs, w, wo, dx, dr, pw, pb, blk * n, n);
                else backwardRow(g, gr, x, xr, m, rs, w, wo, dx, dr, pw, pb, blk * n, n);
            }
        });
        if (dw != null) {
            double[] t = sumBlocks(pw, blocks, n);
            for (int j = 0; j < n; j++) dw[dwo + j] = (float) t[j];
        }
        if (db != null) {
            double[] t = sumBlocks(pb, blocks, n);
            for (int j = 0; j < n; j++) db[dbo + j] = (float) t[j];
        }
    }

    private static void backwardRow(float[] g, int go, float[] x, int xo, double m, double rs, float[] w, int wo,
                                    float[] dx, int dxo, double[] pw, double[] pb, int po, int n) {
        double sg = 0, sgx = 0;
        for (int j = 0; j < n; j++) {
            double gj = g[go + j], xh = (x[xo + j] - m) * rs, gw = w == null ? gj : gj * w[wo + j];
            sg += gw;
            sgx += gw * xh;
            if (pw != null) pw[po + j] += gj * xh;
            if (pb != null) pb[po + j] += gj;
        }
        if (dx == null) return;
        double a = sg / n, c = sgx / n;
        for (int j = 0; j < n; j++) {
            double gj = g[go + j], xh = (x[xo + j] - m) * rs, gw = w == null ? gj : gj * w[wo + j];
            dx[dxo + j] = (float) (rs * (gw - a - xh * c));
        }
    }

    // ---- float64 ------------------------------------------------------------------------------

    static void forward(double[] x, int xo, double[] w, int wo, double[] b, int bo, double[] y, int yo,
                        double[] mean, int mo, double[] rstd, int ro, int rows, int n, double eps) {
        forRows(rows, n, (blk, from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * n, yr = yo + r * n;
                double s = 0;
                for (int j = 0; j < n; j++) s += x[xr + j];
                double m = s / n, v = 0;
                for (int j = 0; j < n; j++) v += (x[xr + j] - m) * (x[xr + j] - m);
                double rs = 1 / Math.sqrt(v / n + eps);
                mean[mo + r] = m;
                rstd[ro + r] = rs;
                for (int j = 0; j < n; j++) {
                    double t = (x[xr + j] - m) * rs;
                    y[yr + j] = (w == null ? t : t * w[wo + j]) + (b == null ? 0 : b[bo + j]);
                }
            }
        });
    }

    /** {@link #backward(boolean, float[], int, float[], int, double[], int, double[], int, float[], int, float[], int, float[], int, float[], int, int, int)} in float64. */
    static void backward(double[] g, int go, double[] x, int xo, double[] mean, int mo, double[] rstd, int ro,
                         double[] w, int wo, double[] dx, int dxo, double[] dw, int dwo, double[] db, int dbo, int rows, int n) {
        int blocks = blocks(rows, n);
        double[] pw = dw == null ? null : new double[blocks * n], pb = db == null ? null : new double[blocks * n];
        forRows(rows, n, (blk, from, to) -> {
            int po = blk * n;
            for (int r = from; r < to; r++) {
                int gr = go + r * n, xr = xo + r * n;
                double m = mean[mo + r], rs = rstd[ro + r], sg = 0, sgx = 0;
                for (int j = 0; j < n; j++) {
                    double xh = (x[xr + j] - m) * rs, gw = w == null ? g[gr + j] : g[gr + j] * w[wo + j];
                    sg += gw;
                    sgx += gw * xh;
                    if (pw != null) pw[po + j] += g[gr + j] * xh;
                    if (pb != null) pb[po + j] += g[gr + j];
                }
                if (dx == null) continue;
                double a = sg / n, c = sgx / n;
                for (int j = 0; j < n; j++) {
                    double xh = (x[xr + j] - m) * rs, gw = w == null ? g[gr + j] : g[gr + j] * w[wo + j];
                    dx[dxo + r * n + j] = rs * (gw - a - xh * c);
                }
            }
        });
        if (dw != null) System.arraycopy(sumBlocks(pw, blocks, n), 0, dw, dwo, n);
        if (db != null) System.arraycopy(sumBlocks(pb, blocks, n), 0, db, dbo, n);
    }

    /** Column sums of the {@code [blocks, n]} partial sums, block after block. */
    private static double[] sumBlocks(double[] p, int blocks, int n) {
        double[] t = new double[n];
        for (int blk = 0; blk < blocks; blk++) {
            for (int j = 0; j < n; j++) t[j] += p[blk * n + j];
        }
        return t;
    }
}
