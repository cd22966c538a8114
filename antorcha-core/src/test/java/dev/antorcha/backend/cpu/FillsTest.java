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

    /**
     * The SIMD draws ({@link PanamaFills}, on machines whose vectors hold eight longs) against the
     * scalar definition, bit for bit: any start in the sequence, offset and length (the scalar tail
     * included), and ranges whose rounding to float reaches {@code hi} (kept below it).
     */
    @org.junit.jupiter.api.Test
    void simdDrawsAreTheScalarDraws() {
        org.junit.jupiter.api.Assumptions.assumeTrue(VectorizationProvider.simdKernels().isPresent() && PanamaFills.available(),
                "needs jdk.incubator.vector and 512-bit vectors (eight longs); this JVM or machine has neither");
        SplittableRandom r = new SplittableRandom(3);
        double[][] ranges = {{0, 1}, {-0.1, 0.1}, {-3, 5}, {1, 1 + 0x1.0p-30}, {1 - 0x1.0p-26, 1}};
        for (int trial = 0; trial < 200; trial++) {
            long at = r.nextLong(), first = r.nextInt(1000);
            int n = r.nextInt(70), off = r.nextInt(5);
            double[] range = ranges[trial % ranges.length];
            float[] got = new float[off + n + 2], want = new float[off + n + 2];
            PanamaFills.uniformAt(at, first, got, off, n, range[0], range[1]);
            Generator.fillUniformAt(at, first, want, off, n, range[0], range[1]);
            assertThat(Arrays.mismatch(got, want)).as("trial %d: first element that differs", trial).isEqualTo(-1);
            for (int i = off; i < off + n; i++) assertThat((double) got[i]).isLessThan(range[1]);
        }
    }
}
