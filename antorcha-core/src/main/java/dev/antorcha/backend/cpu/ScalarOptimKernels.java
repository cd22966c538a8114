package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.RmspropStep;

/**
 * The reference loops of the optimizer steps, in float32 with every coefficient rounded once to
 * float. Each line is one of torch's in-place tensor ops: {@code mul_} then {@code addcmul_}
 * ({@code self + (value·t1)·t2}), {@code addcdiv_} ({@code self + (value·t1)/t2}), and
 * {@code add_(t, alpha)} as a fused multiply-add, the form of torch's vectorized kernel.
 */
class ScalarOptimKernels implements OptimKernels {

    @Override
    public void adadelta(float[] p, float[] g, float[] sa, float[] ad, int from, int to, AdadeltaStep s) {
        float rho = (float) s.rho(), omr = (float) s.oneMinusRho(), eps = (float) s.eps();
        float negLr = (float) s.negLr(), wd = (float) s.weightDecay();
        boolean l2 = s.l2();
        for (int i = from; i < to; i++) {
            float gi = l2 ? Math.fma(p[i], wd, g[i]) : g[i];
            float sai = sa[i] * rho + omr * gi * gi;
            sa[i] = sai;
            float std = (float) Math.sqrt(sai + eps);
            float delta = (float) Math.sqrt(ad[i] + eps) / std * gi;
            ad[i] = ad[i] * rho + omr * delta * delta;
            p[i] = Math.fma(delta, negLr, p[i]);
        }
    }

    @Override
    public void rmsprop(float[] p, float[] g, float[] sa, float[] ga, float[] buf, int from, int to, RmspropStep s) {
        float alpha = (float) s.alpha(), oma = (float) s.oneMinusAlpha(), eps = (float) s.eps();
        float negLr = (float) s.negLr(), mom = (float) s.momentum(), wd = (float) s.weightDecay();
        boolean l2 = s.l2();
        for (int i = from; i < to; i++) {
            float gi = l2 ? Math.fma(p[i], wd, g[i]) : g[i];
            float sai = sa[i] * alpha + oma * gi * gi;
            sa[i] = sai;
            float avg;
            if (ga != null) {
                float gai = Math.fma(gi, oma, ga[i] * alpha);
                ga[i] = gai;
                avg = (float) Math.sqrt(sai + -gai * gai) + eps;
            } else {
                avg = (float) Math.sqrt(sai) + eps;
            }
            if (buf != null) {
                float b = buf[i] * mom + gi / avg;
                buf[i] = b;
                p[i] = Math.fma(b, negLr, p[i]);
            } else {
                p[i] = p[i] + negLr * gi / avg;
            }
        }
    }

    @Override
    public void adagrad(float[] p, float[] g, float[] sum, int from, int to, AdagradStep s) {
        float negClr = (float) s.negClr(), eps = (float) s.eps(), wd = (float) s.weightDecay();
        boolean l2 = s.l2();
        for (int i = from; i < to; i++) {
            float gi = l2 ? Math.fma(p[i], wd, g[i]) : g[i];
            float si = sum[i] + gi * gi;
            sum[i] = si;
            p[i] = p[i] + negClr * gi / ((float) Math.sqrt(si) + eps);
        }
    }
}
