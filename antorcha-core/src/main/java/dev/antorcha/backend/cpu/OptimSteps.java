package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.RmspropStep;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU side of the Adadelta, RMSprop and Adagrad steps: float32 through {@link OptimKernels}
 * (SIMD where available), float64 by the double loops below, which compute every coefficient and
 * intermediate in double. Each element's update reads that element alone, so the fixed blocks
 * run in parallel and any number of threads gives the same bits; two cores bring twice the
 * memory bandwidth to a pass that mostly moves data (five arrays for Adadelta).
 */
final class OptimSteps {
    /** Elements per block of a parallel step (a multiple of every SIMD width). */
    private static final int CHUNK = 8192;

    private final OptimKernels k;

    OptimSteps(OptimKernels k) {
        this.k = k;
    }

    /** Runs {@code body(from, to)} over the fixed blocks of {@code [0, n)}. */
    private static void blocks(int n, RangeBody body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(chunks, n >= 2 * CHUNK, c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }

    private interface RangeBody {
        void run(int from, int to);
    }

    void adadelta(Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta, AdadeltaStep s) {
        int n = param.numel();
        if (param.dtype() == DType.FLOAT64) {
            double[] p = doubles(param), g = doubles(grad), sa = doubles(squareAvg), ad = doubles(accDelta);
            blocks(n, (from, to) -> adadelta(p, g, sa, ad, from, to, s));
            return;
        }
        float[] p = floats(param), g = floats(grad), sa = floats(squareAvg), ad = floats(accDelta);
        blocks(n, (from, to) -> k.adadelta(p, g, sa, ad, from, to, s));
    }

    void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer, RmspropStep s) {
        int n = param.numel();
        if (param.dtype() == DType.FLOAT64) {
            double[] p = doubles(param), g = doubles(grad), sa = doubles(squareAvg);
            double[] ga = gradAvg == null ? null : doubles(gradAvg), buf = momentumBuffer == null ? null : doubles(momentumBuffer);
            blocks(n, (from, to) -> rmsprop(p, g, sa, ga, buf, from, to, s));
            return;
        }
        float[] p = floats(param), g = floats(grad), sa = floats(squareAvg);
        float[] ga = gradAvg == null ? null : floats(gradAvg), buf = momentumBuffer == null ? null : floats(momentumBuffer);
        blocks(n, (from, to) -> k.rmsprop(p, g, sa, ga, buf, from, to, s));
    }

    void adagrad(Tensor param, Tensor grad, Tensor sum, AdagradStep s) {
        int n = param.numel();
        if (param.dtype() == DType.FLOAT64) {
            double[] p = doubles(param), g = doubles(grad), acc = doubles(sum);
            blocks(n, (from, to) -> adagrad(p, g, acc, from, to, s));
            return;
        }
        float[] p = floats(param), g = floats(grad), acc = floats(sum);
        blocks(n, (from, to) -> k.adagrad(p, g, acc, from, to, s));
    }

    /**
     * Compiles the float32 loops before training needs them, as {@link VectorizationProvider#warmUp}
     * does for the other kernels: interpreted, the SIMD loops made the first two Adadelta steps
     * over the MNIST CNN's 1.2M parameters take 1.4 s instead of 1 ms each. Every branch (weight
     * decay, centered, momentum, vector tails) is taken, since one the compiler never saw taken
     * becomes a trap that throws the compiled code away. Touches no shared state.
     */
    void warmUp() {
        int n = 67;   // several vectors of any width, and a tail
        float[] p = new float[n], g = new float[n], a = new float[n], b = new float[n], c = new float[n];
        java.util.Arrays.fill(g, 0.25f);
        java.util.Arrays.fill(a, 0.5f);
        for (int i = 0; i < 12_000; i++) {
            boolean odd = (i & 1) == 1;
            int to = i % 8 == 5 ? 3 : n - (i & 1);
            k.adadelta(p, g, a, b, 0, to, new AdadeltaStep(0.9, 0.1, 1e-6, -1e-6, odd ? 1e-4 : 0, odd));
            k.rmsprop(p, g, a, (i & 2) == 0 ? null : b, (i & 4) == 0 ? null : c, 0, to,
                    new RmspropStep(0.99, 0.01, 1e-8, -1e-6, 0.9, odd ? 1e-4 : 0, odd));
            k.adagrad(p, g, c, 0, to, new AdagradStep(-1e-6, 1e-10, odd ? 1e-4 : 0, odd));
        }
    }

    // ---- float64: the same expressions as ScalarOptimKernels, in double --------------------

    static void adadelta(double[] p, double[] g, double[] sa, double[] ad, int from, int to, AdadeltaStep s) {
        for (int i = from; i < to; i++) {
            double gi = s.l2() ? g[i] + p[i] * s.weightDecay() : g[i];
            double sai = sa[i] * s.rho() + s.oneMinusRho() * gi * gi;
            sa[i] = sai;
            double delta = Math.sqrt(ad[i] + s.eps()) / Math.sqrt(sai + s.eps()) * gi;
            ad[i] = ad[i] * s.rho() + s.oneMinusRho() * delta * delta;
            p[i] = p[i] + delta * s.negLr();
        }
    }

    static void rmsprop(double[] p, double[] g, double[] sa, double[] ga, double[] buf, int from, int to, RmspropStep s) {
        for (int i = from; i < to; i++) {
            double gi = s.l2() ? g[i] + p[i] * s.weightDecay() : g[i];
            double sai = sa[i] * s.alpha() + s.oneMinusAlpha() * gi * gi;
            sa[i] = sai;
            double avg;
            if (ga != null) {
                double gai = ga[i] * s.alpha() + gi * s.oneMinusAlpha();
                ga[i] = gai;
                avg = Math.sqrt(sai - gai * gai) + s.eps();
            } else {
                avg = Math.sqrt(sai) + s.eps();
            }
            if (buf != null) {
                buf[i] = buf[i] * s.momentum() + gi / avg;
                p[i] = p[i] + buf[i] * s.negLr();
            } else {
                p[i] = p[i] + s.negLr() * gi / avg;
            }
        }
    }

    static void adagrad(double[] p, double[] g, double[] sum, int from, int to, AdagradStep s) {
        for (int i = from; i < to; i++) {
            double gi = s.l2() ? g[i] + p[i] * s.weightDecay() : g[i];
            sum[i] = sum[i] + gi * gi;
            p[i] = p[i] + s.negClr() * gi / (Math.sqrt(sum[i]) + s.eps());
        }
    }

    // ---- dense arrays ---------------------------------------------------------------------

    private static float[] floats(Tensor t) {
        return CpuStorage.floats(dense(t));
    }

    private static double[] doubles(Tensor t) {
        return CpuStorage.doubles(dense(t));
    }

    private static Tensor dense(Tensor t) {
        if (!t.isContiguous() || t.layout().offset() != 0) {
            throw new IllegalArgumentException("expected a dense tensor, got a view of shape " + t.shape());
        }
        return t;
    }
}
