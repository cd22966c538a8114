package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.RmspropStep;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD forms of {@link ScalarOptimKernels}: the same expressions in the same order, a vector at
 * a time, the tail by the scalar loop. Only created by {@link OptimKernels#matching} when the
 * SIMD float kernels are in use, so a JVM without the vector module never loads it.
 */
final class PanamaOptimKernels extends ScalarOptimKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static FloatVector all(double v) {
        return FloatVector.broadcast(S, (float) v);
    }

    @Override
    public void adadelta(float[] p, float[] g, float[] sa, float[] ad, int from, int to, AdadeltaStep s) {
        int i = from, bound = from + S.loopBound(to - from);
        FloatVector rho = all(s.rho()), omr = all(s.oneMinusRho()), eps = all(s.eps());
        FloatVector negLr = all(s.negLr()), wd = all(s.weightDecay());
        boolean l2 = s.l2();
        for (; i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i), gv = FloatVector.fromArray(S, g, i);
            if (l2) gv = pv.fma(wd, gv);
            FloatVector sav = FloatVector.fromArray(S, sa, i).mul(rho).add(omr.mul(gv).mul(gv));
            sav.intoArray(sa, i);
            FloatVector adv = FloatVector.fromArray(S, ad, i);
            FloatVector delta = adv.add(eps).sqrt().div(sav.add(eps).sqrt()).mul(gv);
            adv.mul(rho).add(omr.mul(delta).mul(delta)).intoArray(ad, i);
            delta.fma(negLr, pv).intoArray(p, i);
        }
        super.adadelta(p, g, sa, ad, i, to, s);
    }

    @Override
    public void rmsprop(float[] p, float[] g, float[] sa, float[] ga, float[] buf, int from, int to, RmspropStep s) {
        int i = from, bound = from + S.loopBound(to - from);
        FloatVector alpha = all(s.alpha()), oma = all(s.oneMinusAlpha()), eps = all(s.eps());
        FloatVector negLr = all(s.negLr()), mom = all(s.momentum()), wd = all(s.weightDecay());
        boolean l2 = s.l2();
        for (; i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i), gv = FloatVector.fromArray(S, g, i);
            if (l2) gv = pv.fma(wd, gv);
            FloatVector sav = FloatVector.fromArray(S, sa, i).mul(alpha).add(oma.mul(gv).mul(gv));
            sav.intoArray(sa, i);
            FloatVector avg;
            if (ga != null) {
                FloatVector gav = gv.fma(oma, FloatVector.fromArray(S, ga, i).mul(alpha));
                gav.intoArray(ga, i);
                avg = sav.add(gav.neg().mul(gav)).sqrt().add(eps);
            } else {
                avg = sav.sqrt().add(eps);
            }
            if (buf != null) {
                FloatVector b = FloatVector.fromArray(S, buf, i).mul(mom).add(gv.div(avg));
                b.intoArray(buf, i);
                b.fma(negLr, pv).intoArray(p, i);
            } else {
                pv.add(negLr.mul(gv).div(avg)).intoArray(p, i);
            }
        }
        super.rmsprop(p, g, sa, ga, buf, i, to, s);
    }

    @Override
    public void adagrad(float[] p, float[] g, float[] sum, int from, int to, AdagradStep s) {
        int i = from, bound = from + S.loopBound(to - from);
        FloatVector negClr = all(s.negClr()), eps = all(s.eps()), wd = all(s.weightDecay());
        boolean l2 = s.l2();
        for (; i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i), gv = FloatVector.fromArray(S, g, i);
            if (l2) gv = pv.fma(wd, gv);
            FloatVector sv = FloatVector.fromArray(S, sum, i).add(gv.mul(gv));
            sv.intoArray(sum, i);
            pv.add(negClr.mul(gv).div(sv.sqrt().add(eps))).intoArray(p, i);
        }
        super.adagrad(p, g, sum, i, to, s);
    }
}
