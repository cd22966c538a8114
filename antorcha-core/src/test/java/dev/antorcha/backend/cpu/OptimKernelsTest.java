package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.backend.AdagradStep;
import dev.antorcha.backend.RmspropStep;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The SIMD Adadelta, RMSprop and Adagrad loops give bitwise the scalar reference's results in
 * every mode, and the backend's parallel split gives the same bits with one thread or two.
 */
class OptimKernelsTest {
    private static final int N = 1003;   // not a multiple of any vector width: the tail takes the scalar loop

    /** Arrays 0, 1 normal (parameter, gradient), 2.. small and positive (accumulators of squares). */
    private static float[][] state(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] a = new float[5][n];
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < n; i++) a[k][i] = (float) (k >= 2 ? r.nextDouble() * 1e-3 : r.nextGaussian());
        }
        for (int i = 0; i < n; i += 97) a[1][i] = 0;   // zero gradients, as in the parity cases
        return a;
    }

    private static OptimKernels simd() {
        Assumptions.assumeTrue(VectorizationProvider.simdKernels().isPresent(),
                "jdk.incubator.vector absent: only the scalar loops exist");
        return OptimKernels.matching(VectorizationProvider.simdKernels().get());
    }

    private static void sameBits(float[][] scalar, float[][] simd, String mode) {
        for (int k = 0; k < scalar.length; k++) assertThat(simd[k]).as("%s array %d", mode, k).containsExactly(scalar[k]);
    }

    @Test
    void simdAdadeltaMatchesTheScalarLoopBitForBit() {
        OptimKernels simd = simd(), scalar = new ScalarOptimKernels();
        for (double wd : new double[] {0, 0.01}) {
            var step = new AdadeltaStep(0.9, 1 - 0.9, 1e-6, -1.0, wd, wd != 0);
            float[][] a = state(1, N), b = state(1, N);
            for (int rep = 0; rep < 3; rep++) {
                scalar.adadelta(a[0], a[1], a[2], a[3], 0, N, step);
                simd.adadelta(b[0], b[1], b[2], b[3], 0, N, step);
            }
            sameBits(a, b, "wd " + wd);
        }
    }

    @Test
    void simdRmspropMatchesTheScalarLoopBitForBitInEveryMode() {
        OptimKernels simd = simd(), scalar = new ScalarOptimKernels();
        for (int mode = 0; mode < 8; mode++) {
            boolean centered = (mode & 1) != 0, momentum = (mode & 2) != 0, l2 = (mode & 4) != 0;
            var step = new RmspropStep(0.99, 1 - 0.99, 1e-8, -0.01, momentum ? 0.9 : 0, l2 ? 0.01 : 0, l2);
            float[][] a = state(2 + mode, N), b = state(2 + mode, N);
            for (int i = 0; i < N; i++) a[2][i] = b[2][i] = a[2][i] + 1e-2f;   // square_avg above grad_avg²
            for (int rep = 0; rep < 3; rep++) {
                scalar.rmsprop(a[0], a[1], a[2], centered ? a[3] : null, momentum ? a[4] : null, 0, N, step);
                simd.rmsprop(b[0], b[1], b[2], centered ? b[3] : null, momentum ? b[4] : null, 0, N, step);
            }
            sameBits(a, b, "mode " + mode);
        }
    }

    @Test
    void simdAdagradMatchesTheScalarLoopBitForBit() {
        OptimKernels simd = simd(), scalar = new ScalarOptimKernels();
        for (double wd : new double[] {0, 0.01}) {
            var step = new AdagradStep(-0.01 / 1.5, 1e-10, wd, wd != 0);
            float[][] a = state(11, N), b = state(11, N);
            for (int rep = 0; rep < 3; rep++) {
                scalar.adagrad(a[0], a[1], a[2], 0, N, step);
                simd.adagrad(b[0], b[1], b[2], 0, N, step);
            }
            sameBits(a, b, "wd " + wd);
        }
    }

    /** A step over [from, to) updates exactly those elements, with the whole step's bits. */
    @Test
    void aRangeUpdatesOnlyItsElements() {
        var step = new AdadeltaStep(0.9, 1 - 0.9, 1e-6, -1.0, 0.01, true);
        for (OptimKernels k : new OptimKernels[] {new ScalarOptimKernels(), OptimKernels.matching(VectorizationProvider.kernels())}) {
            float[][] whole = state(3, N), parts = state(3, N), untouched = state(3, N);
            k.adadelta(whole[0], whole[1], whole[2], whole[3], 0, N, step);
            k.adadelta(parts[0], parts[1], parts[2], parts[3], 5, 700, step);
            for (int a = 0; a < 4; a++) {
                for (int i = 0; i < N; i++) {
                    assertThat(parts[a][i]).as("array %d element %d", a, i).isEqualTo(i >= 5 && i < 700 ? whole[a][i] : untouched[a][i]);
                }
            }
        }
    }

    /** A parameter of several blocks (the last partial): the same bits with 1 or 2 threads as one pass. */
    @Test
    void aLargeParameterGivesTheSameBitsWithOneOrTwoThreads() {
        int n = 100 * 785;
        FloatKernels k = VectorizationProvider.kernels();
        OptimKernels optim = OptimKernels.matching(k);
        var adadelta = new AdadeltaStep(0.9, 1 - 0.9, 1e-6, -1.0, 0, false);
        var rmsprop = new RmspropStep(0.99, 1 - 0.99, 1e-8, -0.01, 0.9, 0, false);
        var adagrad = new AdagradStep(-0.01, 1e-10, 0, false);
        float[][] ref = state(5, n);
        for (int i = 0; i < n; i++) ref[2][i] += 1e-2f;
        float[][] refR = copy(ref), refG = copy(ref);
        optim.adadelta(ref[0], ref[1], ref[2], ref[3], 0, n, adadelta);
        optim.rmsprop(refR[0], refR[1], refR[2], refR[3], refR[4], 0, n, rmsprop);
        optim.adagrad(refG[0], refG[1], refG[2], 0, n, adagrad);
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                float[][] init = state(5, n);
                for (int i = 0; i < n; i++) init[2][i] += 1e-2f;
                Tensor[] d = tensors(init), r = tensors(init), g = tensors(init);
                CpuBackend backend = new CpuBackend(k);
                backend.adadelta(d[0], d[1], d[2], d[3], adadelta);
                backend.rmsprop(r[0], r[1], r[2], r[3], r[4], rmsprop);
                backend.adagrad(g[0], g[1], g[2], adagrad);
                for (int i = 0; i < 5; i++) {
                    assertThat(d[i].toFloatArray()).as("adadelta, %d threads, array %d", threads, i).isEqualTo(ref[i]);
                    assertThat(r[i].toFloatArray()).as("rmsprop, %d threads, array %d", threads, i).isEqualTo(refR[i]);
                    assertThat(g[i].toFloatArray()).as("adagrad, %d threads, array %d", threads, i).isEqualTo(refG[i]);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** The float64 loops update every block too (a lost block would leave its elements at their start). */
    @Test
    void float64StepsCoverEveryBlock() {
        int n = 3 * 8192 + 5;
        double[] p = new double[n], g = new double[n];
        java.util.Arrays.fill(g, 1.0);
        Tensor pt = Antorcha.tensor(p), gt = Antorcha.tensor(g), sa = Antorcha.tensor(new double[n]), ad = Antorcha.tensor(new double[n]);
        new CpuBackend(VectorizationProvider.kernels()).adadelta(pt, gt, sa, ad, new AdadeltaStep(0.9, 0.1, 1e-6, -1.0, 0, false));
        // first step from zero state, g = 1: delta = sqrt(1e-6) / sqrt(0.1 + 1e-6)
        double expected = -Math.sqrt(1e-6) / Math.sqrt(0.1 + 1e-6);
        for (double v : pt.toDoubleArray()) assertThat(v).isEqualTo(expected);
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    private static Tensor[] tensors(float[][] a) {
        Tensor[] t = new Tensor[a.length];
        for (int i = 0; i < a.length; i++) t[i] = Antorcha.tensor(a[i].clone()).view(100, 785);
        return t;
    }
}
