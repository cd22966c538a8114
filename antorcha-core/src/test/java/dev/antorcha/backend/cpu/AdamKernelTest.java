package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.backend.AdamStep;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The SIMD Adam step gives bitwise the scalar reference's results, in every mode. */
class AdamKernelTest {

    @Test
    void simdAdamMatchesTheScalarLoopBitForBit() {
        var simd = VectorizationProvider.simdKernels();
        Assumptions.assumeTrue(simd.isPresent(), "jdk.incubator.vector absent: only the scalar kernel exists");
        FloatKernels scalar = VectorizationProvider.scalarKernels();
        SplittableRandom r = new SplittableRandom(9);
        int n = 1003;   // not a multiple of the vector width: the tail goes through the scalar loop
        for (int mode = 0; mode < 4; mode++) {
            boolean amsgrad = (mode & 1) != 0, adamw = (mode & 2) != 0;
            var step = new AdamStep(0.9f, 0.1f, 0.999f, 0.001f, -0.0031f, 0.0447f, 1e-8f, 0.01f, !adamw, 0.99999f, adamw);
            float[][] a = new float[5][n], b = new float[5][n];
            for (int k = 0; k < 5; k++) {
                for (int i = 0; i < n; i++) a[k][i] = (float) (k == 3 || k == 4 ? r.nextDouble() * 1e-3 : r.nextGaussian());
                b[k] = a[k].clone();
            }
            for (int rep = 0; rep < 3; rep++) {
                scalar.adam(a[0], a[1], a[2], a[3], amsgrad ? a[4] : null, n, step);
                simd.get().adam(b[0], b[1], b[2], b[3], amsgrad ? b[4] : null, n, step);
            }
            for (int k = 0; k < 5; k++) assertThat(b[k]).as("mode %d array %d", mode, k).containsExactly(a[k]);
        }
    }
}
