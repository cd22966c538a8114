package dev.antorcha.backend.cpu;

/**
 * The gate arithmetic of one LSTM or GRU time step, row by row: every operand is a matrix of
 * {@code n} rows given as array, offset of row 0 and row stride ({@code ld}); {@code hs} is the
 * hidden size. Float32 and float64 forms compute the same expressions in the same order as
 * PyTorch's CPU cells ({@code gh + gi}, {@code f·c + i·g}, {@code n + z·(h - n)}); the forwards
 * have SIMD twins in {@link PanamaRecurrentKernels}. The loops live here, not in
 * {@code CpuBackend*}, which the launcher keeps away from the optimizing compiler.
 */
final class RecurrentKernels {
    private RecurrentKernels() {
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    // ---- LSTM ------------------------------------------------------------------------------

    /**
     * Every row of one LSTM step (the scalar backend's; the SIMD one is in {@link PanamaRecurrentKernels});
     * {@code c == null}: zero cell state; work rows hold i, f, g, o, tanh(c').
     */
    static void lstmForward(float[] gi, int gio, int gild, float[] gh, int gho, int ghld, float[] c, int co, int cld,
                            float[] h, int ho, int hld, float[] cn, int cno, int cnld, float[] w, int wo, int wld,
                            int n, int hs) {
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            for (int k = 0; k < hs; k++) {
                float i = sigmoid(gh[b + k] + gi[a + k]);
                float f = sigmoid(gh[b + hs + k] + gi[a + hs + k]);
                float g = (float) Math.tanh(gh[b + 2 * hs + k] + gi[a + 2 * hs + k]);
                float o = sigmoid(gh[b + 3 * hs + k] + gi[a + 3 * hs + k]);
                float cp = c == null ? 0f : c[co + r * cld + k];
                float cv = f * cp + i * g;
                float tc = (float) Math.tanh(cv);
                cn[cno + r * cnld + k] = cv;
                h[ho + r * hld + k] = o * tc;
                w[wr + k] = i;
                w[wr + hs + k] = f;
                w[wr + 2 * hs + k] = g;
                w[wr + 3 * hs + k] = o;
                w[wr + 4 * hs + k] = tc;
            }
        }
    }

    static void lstmForward(double[] gi, int gio, int gild, double[] gh, int gho, int ghld, double[] c, int co, int cld,
                            double[] h, int ho, int hld, double[] cn, int cno, int cnld, double[] w, int wo, int wld,
                            int n, int hs) {
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            for (int k = 0; k < hs; k++) {
                double i = sigmoid(gh[b + k] + gi[a + k]);
                double f = sigmoid(gh[b + hs + k] + gi[a + hs + k]);
                double g = Math.tanh(gh[b + 2 * hs + k] + gi[a + 2 * hs + k]);
                double o = sigmoid(gh[b + 3 * hs + k] + gi[a + 3 * hs + k]);
                double cp = c == null ? 0 : c[co + r * cld + k];
                double cv = f * cp + i * g;
                double tc = Math.tanh(cv);
                cn[cno + r * cnld + k] = cv;
                h[ho + r * hld + k] = o * tc;
                w[wr + k] = i;
                w[wr + hs + k] = f;
                w[wr + 2 * hs + k] = g;
                w[wr + 3 * hs + k] = o;
                w[wr + 4 * hs + k] = tc;
            }
        }
    }

    /** The LSTM step's backward: pre-activation gate gradients {@code dg} and {@code dcp}; null dc / c are zeros. */
    static void lstmBackward(float[] dh, int dho, int dhld, float[] dc, int dco, int dcld, float[] c, int co, int cld,
                             float[] w, int wo, int wld, float[] dg, int dgo, int dgld, float[] dcp, int dcpo, int dcpld,
                             int n, int hs) {
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < hs; k++) {
                lstmBackwardUnit(dh, dho + r * dhld + k, dc, dco + r * dcld + k, c, co + r * cld + k, w, wo + r * wld + k, hs,
                        dg, dgo + r * dgld + k, dcp, dcpo + r * dcpld + k);
            }
        }
    }

    /** One hidden unit of {@link #lstmBackward}: its gates at {@code w[wAt + j·hs]}, their gradients at {@code dg[gAt + j·hs]}. */
    static void lstmBackwardUnit(float[] dh, int dhAt, float[] dc, int dcAt, float[] c, int cAt, float[] w, int wAt, int hs,
                                 float[] dg, int gAt, float[] dcp, int dcpAt) {
        float i = w[wAt], f = w[wAt + hs], g = w[wAt + 2 * hs], o = w[wAt + 3 * hs], tc = w[wAt + 4 * hs];
        float dhv = dh[dhAt];
        float dct = (dc == null ? 0f : dc[dcAt]) + dhv * o * (1 - tc * tc);
        float cp = c == null ? 0f : c[cAt];
        dg[gAt] = dct * g * i * (1 - i);
        dg[gAt + hs] = dct * cp * f * (1 - f);
        dg[gAt + 2 * hs] = dct * i * (1 - g * g);
        dg[gAt + 3 * hs] = dhv * tc * o * (1 - o);
        dcp[dcpAt] = dct * f;
    }

    static void lstmBackward(double[] dh, int dho, int dhld, double[] dc, int dco, int dcld, double[] c, int co, int cld,
                             double[] w, int wo, int wld, double[] dg, int dgo, int dgld, double[] dcp, int dcpo, int dcpld,
                             int n, int hs) {
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < hs; k++) {
                lstmBackwardUnit(dh, dho + r * dhld + k, dc, dco + r * dcld + k, c, co + r * cld + k, w, wo + r * wld + k, hs,
                        dg, dgo + r * dgld + k, dcp, dcpo + r * dcpld + k);
            }
        }
    }

    /** One hidden unit of {@link #lstmBackward}: its gates at {@code w[wAt + j·hs]}, their gradients at {@code dg[gAt + j·hs]}. */
    static void lstmBackwardUnit(double[] dh, int dhAt, double[] dc, int dcAt, double[] c, int cAt, double[] w, int wAt, int hs,
                                 double[] dg, int gAt, double[] dcp, int dcpAt) {
        double i = w[wAt], f = w[wAt + hs], g = w[wAt + 2 * hs], o = w[wAt + 3 * hs], tc = w[wAt + 4 * hs];
        double dhv = dh[dhAt];
        double dct = (dc == null ? 0 : dc[dcAt]) + dhv * o * (1 - tc * tc);
        double cp = c == null ? 0 : c[cAt];
        dg[gAt] = dct * g * i * (1 - i);
        dg[gAt + hs] = dct * cp * f * (1 - f);
        dg[gAt + 2 * hs] = dct * i * (1 - g * g);
        dg[gAt + 3 * hs] = dhv * tc * o * (1 - o);
        dcp[dcpAt] = dct * f;
    }

    // ---- GRU -------------------------------------------------------------------------------

    /** Every row of one GRU step; work rows hold r, z, n, gh_n. */
    static void gruForward(float[] gi, int gio, int gild, float[] gh, int gho, int ghld, float[] h, int hpo, int hpld,
                           float[] out, int oo, int old, float[] w, int wo, int wld, int n, int hs) {
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            for (int k = 0; k < hs; k++) {
                float rg = sigmoid(gh[b + k] + gi[a + k]);
                float z = sigmoid(gh[b + hs + k] + gi[a + hs + k]);
                float nh = gh[b + 2 * hs + k];
                float nv = (float) Math.tanh(gi[a + 2 * hs + k] + nh * rg);
                float hp = h[hpo + r * hpld + k];
                out[oo + r * old + k] = (hp - nv) * z + nv;
                w[wr + k] = rg;
                w[wr + hs + k] = z;
                w[wr + 2 * hs + k] = nv;
                w[wr + 3 * hs + k] = nh;
            }
        }
    }

    static void gruForward(double[] gi, int gio, int gild, double[] gh, int gho, int ghld, double[] h, int hpo, int hpld,
                           double[] out, int oo, int old, double[] w, int wo, int wld, int n, int hs) {
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            for (int k = 0; k < hs; k++) {
                double rg = sigmoid(gh[b + k] + gi[a + k]);
                double z = sigmoid(gh[b + hs + k] + gi[a + hs + k]);
                double nh = gh[b + 2 * hs + k];
                double nv = Math.tanh(gi[a + 2 * hs + k] + nh * rg);
                double hp = h[hpo + r * hpld + k];
                out[oo + r * old + k] = (hp - nv) * z + nv;
                w[wr + k] = rg;
                w[wr + hs + k] = z;
                w[wr + 2 * hs + k] = nv;
                w[wr + 3 * hs + k] = nh;
            }
        }
    }

    /** The GRU step's backward: {@code dgi}, {@code dgh} (n block times r) and the direct part of h's gradient. */
    static void gruBackward(float[] dh, int dho, int dhld, float[] h, int hpo, int hpld, float[] w, int wo, int wld,
                            float[] dgi, int dgio, int dgild, float[] dgh, int dgho, int dghld, float[] dhp, int dhpo,
                            int dhpld, int n, int hs) {
        for (int r = 0; r < n; r++) {
            int wr = wo + r * wld, a = dgio + r * dgild, b = dgho + r * dghld;
            for (int k = 0; k < hs; k++) {
                float rg = w[wr + k], z = w[wr + hs + k], nv = w[wr + 2 * hs + k], nh = w[wr + 3 * hs + k];
                float dhv = dh[dho + r * dhld + k], hp = h[hpo + r * hpld + k];
                float dn = dhv * (1 - z) * (1 - nv * nv);
                float dz = dhv * (hp - nv) * z * (1 - z);
                float dr = dn * nh * rg * (1 - rg);
                dgi[a + k] = dr;
                dgi[a + hs + k] = dz;
                dgi[a + 2 * hs + k] = dn;
                dgh[b + k] = dr;
                dgh[b + hs + k] = dz;
                dgh[b + 2 * hs + k] = dn * rg;
                dhp[dhpo + r * dhpld + k] = dhv * z;
            }
        }
    }

    static void gruBackward(double[] dh, int dho, int dhld, double[] h, int hpo, int hpld, double[] w, int wo, int wld,
                            double[] dgi, int dgio, int dgild, double[] dgh, int dgho, int dghld, double[] dhp, int dhpo,
                            int dhpld, int n, int hs) {
        for (int r = 0; r < n; r++) {
            int wr = wo + r * wld, a = dgio + r * dgild, b = dgho + r * dghld;
            for (int k = 0; k < hs; k++) {
                double rg = w[wr + k], z = w[wr + hs + k], nv = w[wr + 2 * hs + k], nh = w[wr + 3 * hs + k];
                double dhv = dh[dho + r * dhld + k], hp = h[hpo + r * hpld + k];
                double dn = dhv * (1 - z) * (1 - nv * nv);
                double dz = dhv * (hp - nv) * z * (1 - z);
                double dr = dn * nh * rg * (1 - rg);
                dgi[a + k] = dr;
                dgi[a + hs + k] = dz;
                dgi[a + 2 * hs + k] = dn;
                dgh[b + k] = dr;
                dgh[b + hs + k] = dz;
                dgh[b + 2 * hs + k] = dn * rg;
                dhp[dhpo + r * dhpld + k] = dhv * z;
            }
        }
    }
}
