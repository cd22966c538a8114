package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 2x2 max-pool row kernel of both kernel sets against a naive scan of each window: values,
 * and the position of the winner under PyTorch's rule (strictly greater or NaN replaces, so the
 * first maximum wins and the last NaN), on inputs full of ties, signed zeros and NaNs, for widths
 * around the SIMD width, and for rows that end the array (the SIMD loads must stay inside it).
 */
class PoolKernelsTest {

    static java.util.List<FloatKernels> kernels() {
        return KernelsTest.kernels();
    }

    /** Values from {-1, -0.0, 0, 0.5, 1, NaN}: most windows hold ties. */
    private static float[] tieHeavy(SplittableRandom r, int n) {
        float[] pool = {-1, -0.0f, 0, 0.5f, 1, 0, 0, Float.NaN};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(20) == 0 ? Float.NaN : pool[r.nextInt(pool.length - 1)];
        return v;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void twoByTwoRowsMatchANaiveScan(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(3);
        for (int w = 2; w <= 41; w++) {
            int n = w / 2;
            for (int trial = 0; trial < 20; trial++) {
                int lead = r.nextInt(3) * w;   // 0: the two rows are the whole array
                float[] x = tieHeavy(r, lead + 2 * w);
                int r0 = lead, at0 = 6 * w;
                float[] y = new float[n + 2];
                long[] idx = new long[n + 2];
                k.maxPool2x2Row(x, r0, w, n, y, idx, 1, at0);
                for (int j = 0; j < n; j++) {
                    int[] pos = {r0 + 2 * j, r0 + 2 * j + 1, r0 + w + 2 * j, r0 + w + 2 * j + 1};
                    float m = Float.NEGATIVE_INFINITY;
                    int best = 0;
                    for (int p = 0; p < 4; p++) {
                        float v = x[pos[p]];
                        if (v > m || Float.isNaN(v)) {
                            m = v;
                            best = p;
                        }
                    }
                    long expected = at0 + 2 * j + (best % 2) + (long) (best / 2) * w;
                    String where = k.description() + " w=" + w + " j=" + j;
                    assertThat(Float.floatToRawIntBits(y[1 + j])).as(where + " value").isEqualTo(Float.floatToRawIntBits(m));
                    assertThat(idx[1 + j]).as(where + " index").isEqualTo(expected);
                }
                assertThat(y[0]).isZero();
                assertThat(idx[n + 1]).isZero();
            }
        }
    }
}
