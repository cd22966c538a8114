package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.AdamStep;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SIMD Adam step gives bitwise the scalar reference's results, in every mode. */
class AdamKernelTest {

    @Test
    void simdAdamMatchesTheScalarLoopBitForBit() {
        var simd = VectorizationProvider.simdKernels();
        Assumptions.assumeTrue(simd.isPresent(), "jdk.incubator.vector absent: only the scalar kernel exists");
        FloatKernels scalar = VectorizationProvider.scalarKernels();
        int n = 1003;   // not a multiple of the vector width: the tail goes through the scalar loop
        for (int mode = 0; mode < 4; mode++) {
            boolean amsgrad = (mode & 1) != 0, adamw = (mode & 2) != 0;
            var step = new AdamStep(0.9f, 0.1f, 0.999f, 0.001f, -0.0031f, 0.0447f, 1e-8f, 0.01f, !adamw, 0.99999f, adamw);
            float[][] a = state(9 + mode, n), b = state(9 + mode, n);
            for (int rep = 0; rep < 3; rep++) {
                scalar.adam(a[0], a[1], a[2], a[3], amsgrad ? a[4] : null, 0, n, step);
                simd.get().adam(b[0], b[1], b[2], b[3], amsgrad ? b[4] : null, 0, n, step);
            }
            for (int k = 0; k < 5; k++) assertThat(b[k]).as("mode %d array %d", mode, k).containsExactly(a[k]);
        }
    }

    /** Parameter, gradient and first moment normal, second moments small and positive. */
    private static float[][] state(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] a = new float[5][n];
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < n; i++) a[k][i] = (float) (k >= 3 ? r.nextDouble() * 1e-3 : r.nextGaussian());
        }
        return a;
    }

    private static final AdamStep STEP = new AdamStep(0.9f, 0.1f, 0.999f, 0.001f, -0.0031f, 0.0447f, 1e-8f, 0f, false, 1f, false);

    /** A step over [from, to) updates exactly those elements, as the step over everything does. */
    @ParameterizedTest
    @MethodSource("dev.antorcha.backend.cpu.KernelsTest#kernels")
    void aRangeUpdatesOnlyItsElementsWithTheWholeStepsBits(FloatKernels k) {
        int n = 1003;
        float[][] whole = state(4, n), parts = state(4, n), untouched = state(4, n);
        k.adam(whole[0], whole[1], whole[2], whole[3], whole[4], 0, n, STEP);
        k.adam(parts[0], parts[1], parts[2], parts[3], parts[4], 5, 700, STEP);
        for (int a = 0; a < 4; a++) {
            for (int i = 0; i < n; i++) {
                float expected = i >= 5 && i < 700 ? whole[a][i] : untouched[a][i];
                assertThat(parts[a][i]).as("array %d element %d", a, i).isEqualTo(expected);
            }
        }
        k.adam(parts[0], parts[1], parts[2], parts[3], parts[4], 0, 5, STEP);
        k.adam(parts[0], parts[1], parts[2], parts[3], parts[4], 700, n, STEP);
        for (int a = 0; a < 5; a++) assertThat(parts[a]).as("array %d", a).containsExactly(whole[a]);
    }

    /** The backend splits a large parameter across threads: the same bits with 1 or 2 threads, and as one pass. */
    @Test
    void aLargeParameterGivesTheSameBitsWithOneOrTwoThreads() {
        int n = 100 * 785;   // several blocks, the last one partial
        FloatKernels k = VectorizationProvider.kernels();
        float[][] reference = state(5, n);
        k.adam(reference[0], reference[1], reference[2], reference[3], reference[4], 0, n, STEP);
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                float[][] a = state(5, n);
                Tensor[] t = new Tensor[5];
                for (int i = 0; i < 5; i++) t[i] = Antorcha.tensor(a[i]).view(100, 785);
                new CpuBackend(k).adam(t[0], t[1], t[2], t[3], t[4], STEP);
                for (int i = 0; i < 5; i++) {
                    assertThat(t[i].toFloatArray()).as("%d threads, array %d", threads, i).isEqualTo(reference[i]);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
