package dev.antorcha.nn;

/**
 * Multi-head attention written out with plain loops over double arrays, as the formulas of
 * PyTorch's documentation state it, with no tensor op: the independent reference of the attention
 * tests. Layout {@code [T, N, features]}, row-major.
 */
final class AttentionReference {
    /** Output {@code [L*N*E]} and per-head weights {@code [N][heads][L][S]}. */
    record Result(double[] output, double[][][][] weights) {
        /** The weights averaged over the heads, flat {@code [N, L, S]}. */
        double[] averaged() {
            int n = weights.length, h = weights[0].length, l = weights[0][0].length, s = weights[0][0][0].length;
            double[] out = new double[n * l * s];
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < h; j++) {
                    for (int i = 0; i < l; i++) {
                        for (int t = 0; t < s; t++) out[(b * l + i) * s + t] += weights[b][j][i][t] / h;
                    }
                }
            }
            return out;
        }
    }

    private AttentionReference() {
    }

    /**
     * {@code mask} is additive, {@code [N*heads][L][S]} (batch-head index n*heads + j), or null;
     * {@code wq [E][E]}, {@code wk [E][kdim]}, {@code wv [E][vdim]}, {@code bias [3E]} or null,
     * {@code wo [E][E]}, {@code bo [E]} or null.
     */
    static Result attention(double[] query, double[] key, double[] value, int l, int s, int n, int e, int kdim, int vdim,
                            int heads, double[] wq, double[] wk, double[] wv, double[] bias, double[] wo, double[] bo,
                            double[][][] mask) {
        double[] q = project(query, l * n, e, wq, e, bias, 0);
        double[] k = project(key, s * n, kdim, wk, e, bias, e);
        double[] v = project(value, s * n, vdim, wv, e, bias, 2 * e);
        int hd = e / heads;
        double[] concat = new double[l * n * e];
        double[][][][] weights = new double[n][heads][l][s];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < heads; j++) {
                for (int i = 0; i < l; i++) {
                    double[] score = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t < s; t++) {
                        double dot = 0;
                        for (int d = 0; d < hd; d++) dot += q[(i * n + b) * e + j * hd + d] * k[(t * n + b) * e + j * hd + d];
                        score[t] = dot / Math.sqrt(hd) + (mask == null ? 0 : mask[b * heads + j][i][t]);
                        max = Math.max(max, score[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t < s; t++) sum += Math.exp(score[t] - max);
                    for (int t = 0; t < s; t++) {
                        double w = Math.exp(score[t] - max) / sum;
                        weights[b][j][i][t] = w;
                        for (int d = 0; d < hd; d++) concat[(i * n + b) * e + j * hd + d] += w * v[(t * n + b) * e + j * hd + d];
                    }
                }
            }
        }
        double[] out = new double[l * n * e];
        for (int r = 0; r < l * n; r++) {
            for (int o = 0; o < e; o++) {
                double acc = bo == null ? 0 : bo[o];
                for (int c = 0; c < e; c++) acc += concat[r * e + c] * wo[o * e + c];
                out[r * e + o] = acc;
            }
        }
        return new Result(out, weights);
    }

    /** {@code x [rows, in] · wᵀ + bias[offset .. offset+out)}, w {@code [out, in]}. */
    private static double[] project(double[] x, int rows, int in, double[] w, int out, double[] bias, int offset) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[offset + o];
                for (int c = 0; c < in; c++) acc += x[r * in + c] * w[o * in + c];
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    /** Rows {@code from .. from+count) of a row-major matrix with {@code cols} columns. */
    static double[] rows(double[] m, int cols, int from, int count) {
        double[] out = new double[count * cols];
        System.arraycopy(m, from * cols, out, 0, count * cols);
        return out;
    }
}
