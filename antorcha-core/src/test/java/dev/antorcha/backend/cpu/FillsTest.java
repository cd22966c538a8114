package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Generator;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Uniform fills large enough to be split between the threads give the numbers of one sequential
 * fill, those of {@link SplittableRandom} with the same seed, and leave the generator where the
 * sequential fill would.
 */
class FillsTest {

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void aSplitFillDrawsSplittableRandomsSequence(int threads) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            int n = 3 * (1 << 16) + 5;
            Generator g = new Generator(42);
            float first = g.nextFloat();
            float[] got = Antorcha.rand(g, n).toFloatArray(), scaled = Antorcha.rand(g, 2, 1 << 16).mul(1).toFloatArray();
            float after = g.nextFloat();
            SplittableRandom r = new SplittableRandom(42);
            assertThat(first).isEqualTo((float) r.nextDouble());
            float[] want = new float[n], wantScaled = new float[2 << 16];
            for (int i = 0; i < n; i++) want[i] = uniform(r.nextDouble());
            for (int i = 0; i < wantScaled.length; i++) wantScaled[i] = uniform(r.nextDouble());
            assertThat(Arrays.mismatch(got, want)).as("first draw that differs").isEqualTo(-1);
            assertThat(Arrays.mismatch(scaled, wantScaled)).as("first draw of the second fill that differs").isEqualTo(-1);
            assertThat(after).as("the draw after the fills").isEqualTo((float) r.nextDouble());
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** A draw in [0, 1) as a float: rounding up to 1 is kept below it. */
    private static float uniform(double u) {
        float v = (float) u;
        return v < 1 ? v : Math.nextDown(1f);
    }
}
