package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Reductions over the trailing dims of a large tensor (a convolution's bias gradient sums the
 * planes of [N, C, H, W]), which run in blocks of rows on every thread: each row against a plain
 * loop (sums in double within float rounding, maxima and minima exactly), and the same bits on
 * one thread and on two.
 */
class ReductionsTest {

    @Test
    void planesOfALargeTensorReduceAsPlainLoopsOnAnyNumberOfThreads() {
        int n = 16, c = 12, plane = 40 * 30;
        Tensor x = Antorcha.randn(n, c, 40, 30);
        float[] v = x.toFloatArray();
        int before = Antorcha.getNumThreads();
        try {
            Antorcha.setNumThreads(1);
            float[] sum1 = x.sum(new int[] {2, 3}, false).toFloatArray();
            float[] max1 = x.reshape(n, c, plane).amax(2, false).toFloatArray();
            Antorcha.setNumThreads(2);
            float[] sum2 = x.sum(new int[] {2, 3}, false).toFloatArray();
            float[] max2 = x.reshape(n, c, plane).amax(2, false).toFloatArray();
            float[] min2 = x.reshape(n, c, plane).amin(2, false).toFloatArray();
            assertThat(sum2).containsExactly(sum1);
            assertThat(max2).containsExactly(max1);
            for (int r = 0; r < n * c; r++) {
                double s = 0;
                float mx = Float.NEGATIVE_INFINITY, mn = Float.POSITIVE_INFINITY;
                for (int i = 0; i < plane; i++) {
                    float e = v[r * plane + i];
                    s += e;
                    mx = Math.max(mx, e);
                    mn = Math.min(mn, e);
                }
                assertThat((double) sum2[r]).as("sum of plane %d", r).isCloseTo(s, within(1e-3));
                assertThat(max2[r]).as("max of plane %d", r).isEqualTo(mx);
                assertThat(min2[r]).as("min of plane %d", r).isEqualTo(mn);
            }
        } finally {
            Antorcha.setNumThreads(before);
        }
    }
}
