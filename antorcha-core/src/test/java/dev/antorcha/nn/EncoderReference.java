package dev.antorcha.nn;

import java.util.Map;

/**
 * A Transformer encoder layer written out with loops over double arrays (attention from
 * {@link AttentionReference}, LayerNorm, the feed-forward block), the independent reference of the
 * encoder tests. Sequences {@code [S, N, E]}, row-major; parameters by torch's state-dict keys.
 */
final class EncoderReference {
    private EncoderReference() {
    }

    static double[] layer(double[] src, int s, int n, int e, int heads, Map<String, double[]> p, String prefix, double eps,
                          boolean normFirst, boolean gelu, double[][][] mask) {
        double[] x = src.clone();
        if (normFirst) {
            x = add(x, attention(norm(x, e, p.get(prefix + "norm1.weight"), p.get(prefix + "norm1.bias"), eps), s, n, e, heads, p, prefix, mask));
            return add(x, feedForward(norm(x, e, p.get(prefix + "norm2.weight"), p.get(prefix + "norm2.bias"), eps), e, p, prefix, gelu));
        }
        x = norm(add(x, attention(x, s, n, e, heads, p, prefix, mask)), e, p.get(prefix + "norm1.weight"), p.get(prefix + "norm1.bias"), eps);
        return norm(add(x, feedForward(x, e, p, prefix, gelu)), e, p.get(prefix + "norm2.weight"), p.get(prefix + "norm2.bias"), eps);
    }

    private static double[] attention(double[] x, int s, int n, int e, int heads, Map<String, double[]> p, String prefix,
                                      double[][][] mask) {
        double[] w = p.get(prefix + "self_attn.in_proj_weight");
        return AttentionReference.attention(x, x, x, s, s, n, e, e, e, heads, AttentionReference.rows(w, e, 0, e),
                AttentionReference.rows(w, e, e, e), AttentionReference.rows(w, e, 2 * e, e), p.get(prefix + "self_attn.in_proj_bias"),
                p.get(prefix + "self_attn.out_proj.weight"), p.get(prefix + "self_attn.out_proj.bias"), mask).output();
    }

    private static double[] feedForward(double[] x, int e, Map<String, double[]> p, String prefix, boolean gelu) {
        double[] b1 = p.get(prefix + "linear1.bias");
        int ff = b1.length, rows = x.length / e;
        double[] h = linear(x, rows, e, p.get(prefix + "linear1.weight"), b1, ff);
        for (int i = 0; i < h.length; i++) h[i] = gelu ? h[i] * 0.5 * (1 + erf(h[i] / Math.sqrt(2))) : Math.max(0, h[i]);
        return linear(h, rows, ff, p.get(prefix + "linear2.weight"), p.get(prefix + "linear2.bias"), e);
    }

    static double[] linear(double[] x, int rows, int in, double[] w, double[] b, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int c = 0; c < in; c++) acc += x[r * in + c] * w[o * in + c];
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    /** LayerNorm over the last dim: biased variance, eps inside the square root. */
    static double[] norm(double[] x, int e, double[] weight, double[] bias, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / e; r++) {
            double mean = 0, var = 0;
            for (int c = 0; c < e; c++) mean += x[r * e + c] / e;
            for (int c = 0; c < e; c++) var += (x[r * e + c] - mean) * (x[r * e + c] - mean) / e;
            for (int c = 0; c < e; c++) y[r * e + c] = (x[r * e + c] - mean) / Math.sqrt(var + eps) * weight[c] + bias[c];
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
        return y;
    }

    /** erf by its Taylor series (|z| < 3, ~1e-13) or the asymptotic series of erfc (|z| >= 3, ~1e-8). */
    static double erf(double z) {
        double a = Math.abs(z), r;
        if (a < 3) {
            double term = a, sum = a;
            for (int k = 1; k < 80; k++) {
                term *= -a * a / k;
                sum += term / (2 * k + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double z2 = a * a, series = 1 - 1 / (2 * z2) + 3 / (4 * z2 * z2) - 15 / (8 * z2 * z2 * z2) + 105 / (16 * z2 * z2 * z2 * z2);
            r = 1 - Math.exp(-z2) / (a * Math.sqrt(Math.PI)) * series;
        }
        return z < 0 ? -r : r;
    }
}
