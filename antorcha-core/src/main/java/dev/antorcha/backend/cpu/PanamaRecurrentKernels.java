package dev.antorcha.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forwards of {@link RecurrentKernels} in SIMD, float32 and float64: a step's cost is its
 * sigmoids and tanhs (five per hidden unit for the LSTM, one matrix product being a small part at
 * the word model's sizes), and {@link PanamaFloatMath} and {@link PanamaDoubleMath} run them
 * several lanes at a time. Only reached when {@link VectorizationProvider} chose the SIMD kernels,
 * so a JVM without the module never loads this class. The LSTM's backward (no transcendental
 * functions) is the scalar loop's arithmetic in the same order, a vector at a time: the same bits.
 */
final class PanamaRecurrentKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    private PanamaRecurrentKernels() {
    }

    /*
     * Each row is done in passes: the gates' pre-activations into the work row, the sigmoids and
     * tanhs in place there (PanamaFloatMath, PanamaDoubleMath: the same bits interpreted or
     * compiled; each a small loop C2 inlines whole), then the cell arithmetic.
     */

    static void lstmForward(float[] gi, int gio, int gild, float[] gh, int gho, int ghld, float[] c, int co, int cld,
                            float[] h, int ho, int hld, float[] cn, int cno, int cnld, float[] w, int wo, int wld,
                            int n, int hs) {
        int bound = S.loopBound(hs);
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            addRow(gh, b, gi, a, w, wr, 4 * hs);
            PanamaFloatMath.sigmoid(w, wr, 2 * hs);
            PanamaFloatMath.tanh(w, wr + 2 * hs, hs);
            PanamaFloatMath.sigmoid(w, wr + 3 * hs, hs);
            int cr = co + r * cld, cnr = cno + r * cnld, hr = ho + r * hld, k = 0;
            for (; k < bound; k += L) {
                FloatVector cp = c == null ? FloatVector.zero(S) : FloatVector.fromArray(S, c, cr + k);
                FloatVector cv = FloatVector.fromArray(S, w, wr + hs + k).mul(cp)
                        .add(FloatVector.fromArray(S, w, wr + k).mul(FloatVector.fromArray(S, w, wr + 2 * hs + k)));
                cv.intoArray(cn, cnr + k);
                cv.intoArray(w, wr + 4 * hs + k);
            }
            for (; k < hs; k++) {
                float cv = w[wr + hs + k] * (c == null ? 0f : c[cr + k]) + w[wr + k] * w[wr + 2 * hs + k];
                cn[cnr + k] = cv;
                w[wr + 4 * hs + k] = cv;
            }
            PanamaFloatMath.tanh(w, wr + 4 * hs, hs);
            for (k = 0; k < bound; k += L) {
                FloatVector.fromArray(S, w, wr + 3 * hs + k).mul(FloatVector.fromArray(S, w, wr + 4 * hs + k)).intoArray(h, hr + k);
            }
            for (; k < hs; k++) h[hr + k] = w[wr + 3 * hs + k] * w[wr + 4 * hs + k];
        }
    }

    static void gruForward(float[] gi, int gio, int gild, float[] gh, int gho, int ghld, float[] h, int hpo, int hpld,
                           float[] out, int oo, int old, float[] w, int wo, int wld, int n, int hs) {
        int bound = S.loopBound(hs);
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld, hr = hpo + r * hpld, or = oo + r * old;
            addRow(gh, b, gi, a, w, wr, 2 * hs);
            PanamaFloatMath.sigmoid(w, wr, 2 * hs);
            System.arraycopy(gh, b + 2 * hs, w, wr + 3 * hs, hs);
            int k = 0;
            for (; k < bound; k += L) {
                FloatVector.fromArray(S, gi, a + 2 * hs + k)
                        .add(FloatVector.fromArray(S, gh, b + 2 * hs + k).mul(FloatVector.fromArray(S, w, wr + k)))
                        .intoArray(w, wr + 2 * hs + k);
            }
            for (; k < hs; k++) w[wr + 2 * hs + k] = gi[a + 2 * hs + k] + gh[b + 2 * hs + k] * w[wr + k];
            PanamaFloatMath.tanh(w, wr + 2 * hs, hs);
            for (k = 0; k < bound; k += L) {
                FloatVector nv = FloatVector.fromArray(S, w, wr + 2 * hs + k);
                FloatVector.fromArray(S, h, hr + k).sub(nv).mul(FloatVector.fromArray(S, w, wr + hs + k)).add(nv).intoArray(out, or + k);
            }
            for (; k < hs; k++) {
                float nv = w[wr + 2 * hs + k];
                out[or + k] = (h[hr + k] - nv) * w[wr + hs + k] + nv;
            }
        }
    }

    /** {@code w[wo..wo+len) = x[xo..] + y[yo..]}, in that order of operands. */
    private static void addRow(float[] x, int xo, float[] y, int yo, float[] w, int wo, int len) {
        int k = 0, bound = S.loopBound(len);
        for (; k < bound; k += L) FloatVector.fromArray(S, x, xo + k).add(FloatVector.fromArray(S, y, yo + k)).intoArray(w, wo + k);
        for (; k < len; k++) w[wo + k] = x[xo + k] + y[yo + k];
    }

    // float64: the same passes on PanamaDoubleMath

    static void lstmForward(double[] gi, int gio, int gild, double[] gh, int gho, int ghld, double[] c, int co, int cld,
                            double[] h, int ho, int hld, double[] cn, int cno, int cnld, double[] w, int wo, int wld,
                            int n, int hs) {
        int bound = D.loopBound(hs);
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            addRow(gh, b, gi, a, w, wr, 4 * hs);
            PanamaDoubleMath.sigmoid(w, wr, 2 * hs);
            PanamaDoubleMath.tanh(w, wr + 2 * hs, hs);
            PanamaDoubleMath.sigmoid(w, wr + 3 * hs, hs);
            int cr = co + r * cld, cnr = cno + r * cnld, hr = ho + r * hld, k = 0;
            for (; k < bound; k += DL) {
                DoubleVector cp = c == null ? DoubleVector.zero(D) : DoubleVector.fromArray(D, c, cr + k);
                DoubleVector cv = DoubleVector.fromArray(D, w, wr + hs + k).mul(cp)
                        .add(DoubleVector.fromArray(D, w, wr + k).mul(DoubleVector.fromArray(D, w, wr + 2 * hs + k)));
                cv.intoArray(cn, cnr + k);
                cv.intoArray(w, wr + 4 * hs + k);
            }
            for (; k < hs; k++) {
                double cv = w[wr + hs + k] * (c == null ? 0 : c[cr + k]) + w[wr + k] * w[wr + 2 * hs + k];
                cn[cnr + k] = cv;
                w[wr + 4 * hs + k] = cv;
            }
            PanamaDoubleMath.tanh(w, wr + 4 * hs, hs);
            for (k = 0; k < bound; k += DL) {
                DoubleVector.fromArray(D, w, wr + 3 * hs + k).mul(DoubleVector.fromArray(D, w, wr + 4 * hs + k)).intoArray(h, hr + k);
            }
            for (; k < hs; k++) h[hr + k] = w[wr + 3 * hs + k] * w[wr + 4 * hs + k];
        }
    }

    static void gruForward(double[] gi, int gio, int gild, double[] gh, int gho, int ghld, double[] h, int hpo, int hpld,
                           double[] out, int oo, int old, double[] w, int wo, int wld, int n, int hs) {
        int bound = D.loopBound(hs);
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld, hr = hpo + r * hpld, or = oo + r * old;
            addRow(gh, b, gi, a, w, wr, 2 * hs);
            PanamaDoubleMath.sigmoid(w, wr, 2 * hs);
            System.arraycopy(gh, b + 2 * hs, w, wr + 3 * hs, hs);
            int k = 0;
            for (; k < bound; k += DL) {
                DoubleVector.fromArray(D, gi, a + 2 * hs + k)
                        .add(DoubleVector.fromArray(D, gh, b + 2 * hs + k).mul(DoubleVector.fromArray(D, w, wr + k)))
                        .intoArray(w, wr + 2 * hs + k);
            }
            for (; k < hs; k++) w[wr + 2 * hs + k] = gi[a + 2 * hs + k] + gh[b + 2 * hs + k] * w[wr + k];
            PanamaDoubleMath.tanh(w, wr + 2 * hs, hs);
            for (k = 0; k < bound; k += DL) {
                DoubleVector nv = DoubleVector.fromArray(D, w, wr + 2 * hs + k);
                DoubleVector.fromArray(D, h, hr + k).sub(nv).mul(DoubleVector.fromArray(D, w, wr + hs + k)).add(nv).intoArray(out, or + k);
            }
            for (; k < hs; k++) {
                double nv = w[wr + 2 * hs + k];
                out[or + k] = (h[hr + k] - nv) * w[wr + hs + k] + nv;
            }
        }
    }

    /** {@code w[wo..wo+len) = x[xo..] + y[yo..]}, in that order of operands. */
    private static void addRow(double[] x, int xo, double[] y, int yo, double[] w, int wo, int len) {
        int k = 0, bound = D.loopBound(len);
        for (; k < bound; k += DL) DoubleVector.fromArray(D, x, xo + k).add(DoubleVector.fromArray(D, y, yo + k)).intoArray(w, wo + k);
        for (; k < len; k++) w[wo + k] = x[xo + k] + y[yo + k];
    }

    /** {@link RecurrentKernels#lstmBackward} a vector of hidden units at a time, the same operations in the same order. */
    static void lstmBackward(float[] dh, int dho, int dhld, float[] dc, int dco, int dcld, float[] c, int co, int cld,
                             float[] w, int wo, int wld, float[] dg, int dgo, int dgld, float[] dcp, int dcpo, int dcpld,
                             int n, int hs) {
        int bound = S.loopBound(hs);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < n; r++) {
            int wr = wo + r * wld, gr = dgo + r * dgld, k = 0;
            for (; k < bound; k += L) {
                FloatVector i = FloatVector.fromArray(S, w, wr + k), f = FloatVector.fromArray(S, w, wr + hs + k);
                FloatVector g = FloatVector.fromArray(S, w, wr + 2 * hs + k), o = FloatVector.fromArray(S, w, wr + 3 * hs + k);
                FloatVector tc = FloatVector.fromArray(S, w, wr + 4 * hs + k), dhv = FloatVector.fromArray(S, dh, dho + r * dhld + k);
                FloatVector dcv = dc == null ? zero : FloatVector.fromArray(S, dc, dco + r * dcld + k);
                FloatVector dct = dcv.add(dhv.mul(o).mul(one.sub(tc.mul(tc))));
                FloatVector cp = c == null ? zero : FloatVector.fromArray(S, c, co + r * cld + k);
                dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dg, gr + k);
                dct.mul(cp).mul(f).mul(one.sub(f)).intoArray(dg, gr + hs + k);
                dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dg, gr + 2 * hs + k);
                dhv.mul(tc).mul(o).mul(one.sub(o)).intoArray(dg, gr + 3 * hs + k);
                dct.mul(f).intoArray(dcp, dcpo + r * dcpld + k);
            }
            for (; k < hs; k++) {
                RecurrentKernels.lstmBackwardUnit(dh, dho + r * dhld + k, dc, dco + r * dcld + k, c, co + r * cld + k, w, wr + k, hs,
                        dg, gr + k, dcp, dcpo + r * dcpld + k);
            }
        }
    }

    /** The float64 {@link #lstmBackward}. */
    static void lstmBackward(double[] dh, int dho, int dhld, double[] dc, int dco, int dcld, double[] c, int co, int cld,
                             double[] w, int wo, int wld, double[] dg, int dgo, int dgld, double[] dcp, int dcpo, int dcpld,
                             int n, int hs) {
        int bound = D.loopBound(hs);
        DoubleVector zero = DoubleVector.zero(D), one = DoubleVector.broadcast(D, 1.0);
        for (int r = 0; r < n; r++) {
            int wr = wo + r * wld, gr = dgo + r * dgld, k = 0;
            for (; k < bound; k += DL) {
                DoubleVector i = DoubleVector.fromArray(D, w, wr + k), f = DoubleVector.fromArray(D, w, wr + hs + k);
                DoubleVector g = DoubleVector.fromArray(D, w, wr + 2 * hs + k), o = DoubleVector.fromArray(D, w, wr + 3 * hs + k);
                DoubleVector tc = DoubleVector.fromArray(D, w, wr + 4 * hs + k), dhv = DoubleVector.fromArray(D, dh, dho + r * dhld + k);
                DoubleVector dcv = dc == null ? zero : DoubleVector.fromArray(D, dc, dco + r * dcld + k);
                DoubleVector dct = dcv.add(dhv.mul(o).mul(one.sub(tc.mul(tc))));
                DoubleVector cp = c == null ? zero : DoubleVector.fromArray(D, c, co + r * cld + k);
                dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dg, gr + k);
                dct.mul(cp).mul(f).mul(one.sub(f)).intoArray(dg, gr + hs + k);
                dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dg, gr + 2 * hs + k);
                dhv.mul(tc).mul(o).mul(one.sub(o)).intoArray(dg, gr + 3 * hs + k);
                dct.mul(f).intoArray(dcp, dcpo + r * dcpld + k);
            }
            for (; k < hs; k++) {
                RecurrentKernels.lstmBackwardUnit(dh, dho + r * dhld + k, dc, dco + r * dcld + k, c, co + r * cld + k, w, wr + k, hs,
                        dg, gr + k, dcp, dcpo + r * dcpld + k);
            }
        }
    }
}
