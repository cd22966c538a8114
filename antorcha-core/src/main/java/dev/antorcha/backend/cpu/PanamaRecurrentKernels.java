package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 forward of {@link RecurrentKernels} in SIMD: a step's cost is its sigmoids and
 * tanhs (five per hidden unit for the LSTM, one matrix product being a small part at the word
 * model's sizes), and the Vector API's {@code EXP} and {@code TANH} run them several lanes at a
 * time. Only reached when {@link VectorizationProvider} chose the SIMD kernels, so a JVM without
 * the module never loads this class. Tails and the backward (no transcendental functions) are
 * the scalar loops.
 */
final class PanamaRecurrentKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private PanamaRecurrentKernels() {
    }

    static void lstmForward(float[] gi, int gio, int gild, float[] gh, int gho, int ghld, float[] c, int co, int cld,
                            float[] h, int ho, int hld, float[] cn, int cno, int cnld, float[] w, int wo, int wld,
                            int n, int hs) {
        int bound = S.loopBound(hs);
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            for (int k = 0; k < bound; k += L) {
                FloatVector i = sig(one, FloatVector.fromArray(S, gh, b + k).add(FloatVector.fromArray(S, gi, a + k)));
                FloatVector f = sig(one, FloatVector.fromArray(S, gh, b + hs + k).add(FloatVector.fromArray(S, gi, a + hs + k)));
                FloatVector g = FloatVector.fromArray(S, gh, b + 2 * hs + k).add(FloatVector.fromArray(S, gi, a + 2 * hs + k))
                        .lanewise(VectorOperators.TANH);
                FloatVector o = sig(one, FloatVector.fromArray(S, gh, b + 3 * hs + k).add(FloatVector.fromArray(S, gi, a + 3 * hs + k)));
                FloatVector cp = c == null ? zero : FloatVector.fromArray(S, c, co + r * cld + k);
                FloatVector cv = f.mul(cp).add(i.mul(g));
                FloatVector tc = cv.lanewise(VectorOperators.TANH);
                cv.intoArray(cn, cno + r * cnld + k);
                o.mul(tc).intoArray(h, ho + r * hld + k);
                i.intoArray(w, wr + k);
                f.intoArray(w, wr + hs + k);
                g.intoArray(w, wr + 2 * hs + k);
                o.intoArray(w, wr + 3 * hs + k);
                tc.intoArray(w, wr + 4 * hs + k);
            }
        }
        if (bound < hs) {
            RecurrentKernels.lstmForward(gi, gio, gild, gh, gho, ghld, c, co, cld, h, ho, hld, cn, cno, cnld, w, wo, wld, n, hs, bound);
        }
    }

    static void gruForward(float[] gi, int gio, int gild, float[] gh, int gho, int ghld, float[] h, int hpo, int hpld,
                           float[] out, int oo, int old, float[] w, int wo, int wld, int n, int hs) {
        int bound = S.loopBound(hs);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < n; r++) {
            int a = gio + r * gild, b = gho + r * ghld, wr = wo + r * wld;
            for (int k = 0; k < bound; k += L) {
                FloatVector rg = sig(one, FloatVector.fromArray(S, gh, b + k).add(FloatVector.fromArray(S, gi, a + k)));
                FloatVector z = sig(one, FloatVector.fromArray(S, gh, b + hs + k).add(FloatVector.fromArray(S, gi, a + hs + k)));
                FloatVector nh = FloatVector.fromArray(S, gh, b + 2 * hs + k);
                FloatVector nv = FloatVector.fromArray(S, gi, a + 2 * hs + k).add(nh.mul(rg)).lanewise(VectorOperators.TANH);
                FloatVector hp = FloatVector.fromArray(S, h, hpo + r * hpld + k);
                hp.sub(nv).mul(z).add(nv).intoArray(out, oo + r * old + k);
                rg.intoArray(w, wr + k);
                z.intoArray(w, wr + hs + k);
                nv.intoArray(w, wr + 2 * hs + k);
                nh.intoArray(w, wr + 3 * hs + k);
            }
        }
        if (bound < hs) RecurrentKernels.gruForward(gi, gio, gild, gh, gho, ghld, h, hpo, hpld, out, oo, old, w, wo, wld, n, hs, bound);
    }

    /** {@code 1 / (1 + exp(-x))}. */
    private static FloatVector sig(FloatVector one, FloatVector x) {
        return one.div(x.neg().lanewise(VectorOperators.EXP).add(one));
    }
}
