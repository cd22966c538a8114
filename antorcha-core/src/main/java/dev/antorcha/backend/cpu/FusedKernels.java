package dev.antorcha.backend.cpu;

import dev.antorcha.backend.SgdStep;

/**
 * The CPU loops of the fused cross-entropy and of the SGD step. The row loops live in small
 * methods of their own: inside one large method they made the JIT compile the whole of it again
 * and again, on-stack and normally, while the first epoch ran.
 */
final class FusedKernels {
    private FusedKernels() {
    }

    /** Fills {@code loss} and {@code logSumExp} per row; returns the rows that count (target ≠ ignoreIndex). */
    static int rowLosses(float[] xv, long[] t, int n, int c, long ignoreIndex, float[] loss, float[] logSumExp) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, xv[row + j]);
            if (Float.isInfinite(m)) m = 0;
            float s = 0;
            for (int j = 0; j < c; j++) s += (float) Math.exp(xv[row + j] - m);
            float log = (float) Math.log(s);
            logSumExp[i] = m + log;
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= c) {
                throw new IllegalArgumentException("Target " + t[i] + " is out of bounds (" + c + " classes).");
            }
            loss[i] = -((xv[row + (int) t[i]] - m) - log);
            count++;
        }
        return count;
    }

    /** {@code dv = scale · (softmax - onehot)} per counted row; ignored rows stay 0. */
    static void rowGrads(float[] xv, long[] t, int n, int c, long ignoreIndex, float[] logSumExp, float[] gv, int go,
                         int reduction, int counted, float[] dv, int dOff) {
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) continue;
            float scale = reduction == 0 ? gv[go + i] : reduction == 1 ? gv[go] / counted : gv[go];
            int row = i * c;
            for (int j = 0; j < c; j++) dv[dOff + row + j] = scale * (float) Math.exp(xv[row + j] - logSumExp[i]);
            dv[dOff + row + (int) t[i]] -= scale;
        }
    }

    /** One SGD step over {@code p[0..n)} (see {@link SgdStep}). */
    static void sgd(float[] p, float[] g, float[] buf, int n, SgdStep s) {
        float negLr = (float) s.negLr(), mom = (float) s.momentum(), keep = (float) s.keep(), wd = (float) s.weightDecay();
        boolean decay = s.decay(), nesterov = s.nesterov(), first = s.first();
        for (int i = 0; i < n; i++) {
            float d = decay ? Math.fma(p[i], wd, g[i]) : g[i];
            if (buf != null) {
                buf[i] = first ? d : Math.fma(d, keep, buf[i] * mom);
                d = nesterov ? Math.fma(buf[i], mom, d) : buf[i];
            }
            p[i] = Math.fma(d, negLr, p[i]);
        }
    }

    /**
     * {@link dev.antorcha.backend.Backend#dropout}: the mask from the draws in place, then the
     * product. Without a branch (a random keep or drop mispredicts a quarter to half the time, 4 ns
     * a value; this form is about 1 ns and vectorizes): for draws and p in [0, 1), {@code u - p} is
     * negative exactly when {@code u < p} (it is +0 when they are equal and never rounds a positive
     * difference to zero), so its sign bit spread over the word clears scale's bits to +0.
     */
    static void dropout(float[] x, float[] mask, float[] out, int from, int to, float p, float scale) {
        int keepBits = Float.floatToRawIntBits(scale);
        for (int i = from; i < to; i++) {
            float m = Float.intBitsToFloat(keepBits & ~(Float.floatToRawIntBits(mask[i] - p) >> 31));
            mask[i] = m;
            out[i] = x[i] * m;
        }
    }
}
