package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.Linear}'s default initialisation, checked statistically against PyTorch's formula
 * (documented in {@code shared/parity/init_stats.json}): weight = kaiming_uniform_(a=√5) and
 * bias = U(±1/√fan_in), i.e. both U(−b, b) with b = 1/√in_features, so mean 0 and std b/√3.
 * Like that file, statistics are pooled over 20 freshly initialised layers per shape; every
 * tolerance is 6 standard errors of the statistic for that sample count.
 */
class InitTest {
    private static final int LAYERS = 20;

    /** Sample statistics of many U(−b, b) draws. */
    private record Stats(long count, double min, double max, double mean, double std, long[] histogram) {
    }

    private static Stats stats(float[][] samples, double bound) {
        long n = 0;
        double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        long[] hist = new long[10];
        for (float[] a : samples) {
            for (float v : a) {
                n++;
                sum += v;
                sq += (double) v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                hist[Math.min(9, Math.max(0, (int) Math.floor((v + bound) / (2 * bound) * 10)))]++;
            }
        }
        double mean = sum / n;
        return new Stats(n, min, max, mean, Math.sqrt(sq / n - mean * mean), hist);
    }

    /** Checks that the samples look like U(−b, b): range, mean, std and a flat 10-bin histogram. */
    private static void assertUniform(String what, Stats s, double b) {
        double sigma = b / Math.sqrt(3);
        assertThat(s.min()).as(what + " min").isGreaterThanOrEqualTo(-b);
        assertThat(s.max()).as(what + " max").isLessThanOrEqualTo(b);
        // The extremes come close to ±b: P(max < b·(1 − 40/n)) ≈ e^−20.
        assertThat(s.max()).as(what + " max reaches the bound").isGreaterThan(b * (1 - 40.0 / s.count()));
        assertThat(s.min()).as(what + " min reaches the bound").isLessThan(-b * (1 - 40.0 / s.count()));
        // Standard error of the mean: σ/√n; of the std for a uniform (kurtosis 9/5): σ·√(0.2/n).
        assertThat(Math.abs(s.mean())).as(what + " mean").isLessThan(6 * sigma / Math.sqrt(s.count()));
        assertThat(Math.abs(s.std() / sigma - 1)).as(what + " std / (b/√3)").isLessThan(6 * Math.sqrt(0.2 / s.count()));
        double expected = s.count() / 10.0, binSigma = Math.sqrt(s.count() * 0.1 * 0.9);
        for (int i = 0; i < 10; i++) {
            assertThat(Math.abs(s.histogram()[i] - expected)).as(what + " histogram bin " + i).isLessThan(6 * binSigma);
        }
    }

    @ParameterizedTest(name = "Linear({0}, {1})")
    @CsvSource({"784, 100", "100, 50", "50, 10", "3, 1000"})
    void linearDefaultInitIsUniformWithinOneOverSqrtFanIn(int in, int out) {
        // The tutorial's three shapes (as in init_stats.json) and a wide one whose fan_out differs a lot from fan_in.
        double bound = 1 / Math.sqrt(in);
        Antorcha.manualSeed(2024);
        float[][] weights = new float[LAYERS][], biases = new float[LAYERS][];
        for (int i = 0; i < LAYERS; i++) {
            Linear l = new Linear(in, out);
            weights[i] = l.weight.toFloatArray();
            biases[i] = l.bias.toFloatArray();
        }
        Stats w = stats(weights, bound), b = stats(biases, bound);
        assertThat(w.count()).isEqualTo((long) LAYERS * in * out);
        assertUniform("weight", w, bound);
        if (b.count() >= 1000) {
            assertUniform("bias", b, bound);
        } else {
            // 200 samples for Linear(50, 10): range and loose moments only.
            assertThat(b.min()).isGreaterThanOrEqualTo(-bound);
            assertThat(b.max()).isLessThanOrEqualTo(bound);
            double sigma = bound / Math.sqrt(3);
            assertThat(Math.abs(b.mean())).isLessThan(6 * sigma / Math.sqrt(b.count()));
            assertThat(Math.abs(b.std() / sigma - 1)).isLessThan(6 * Math.sqrt(0.2 / b.count()));
        }
    }

    @Test
    void kaimingUniformWithASqrt5HasTheBoundOneOverSqrtFanIn() {
        // gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3) for a = √5: 1/√fan_in = 0.1 for fan_in 100
        Tensor w = Antorcha.zeros(200, 100);
        Init.kaimingUniform_(w, Math.sqrt(5), new Generator(3));
        Stats s = stats(new float[][] {w.toFloatArray()}, 0.1);
        assertUniform("kaiming_uniform_(a=√5) of [200, 100]", s, 0.1);
    }

    @Test
    void fanInAndFanOutFollowPyTorch() {
        // torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 5, 5)) == (75, 100)
        assertThat(Init.fanInAndFanOut(Antorcha.zeros(4, 3, 5, 5))).containsExactly(75, 100);
        assertThat(Init.fanInAndFanOut(Antorcha.zeros(100, 784))).containsExactly(784, 100);
        assertThatThrownBy(() -> Init.fanInAndFanOut(Antorcha.zeros(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 2 dimensions");
    }

    @Test
    void xavierUniformBound() {
        // bound = gain * sqrt(6 / (fan_in + fan_out)) = 1 * sqrt(6 / 600) = 0.1
        Tensor w = Antorcha.zeros(400, 200);
        Init.xavierUniform_(w, 1.0, new Generator(5));
        assertUniform("xavier_uniform_ of [400, 200]", stats(new float[][] {w.toFloatArray()}, 0.1), 0.1);
    }

    @Test
    void sameSeedGivesBitwiseIdenticalLinears() {
        Antorcha.manualSeed(7);
        Linear a = new Linear(784, 100);
        Antorcha.manualSeed(7);
        Linear b = new Linear(784, 100);
        assertThat(a.weight.toFloatArray()).containsExactly(b.weight.toFloatArray());
        assertThat(a.bias.toFloatArray()).containsExactly(b.bias.toFloatArray());
        Antorcha.manualSeed(8);
        Linear c = new Linear(784, 100);
        assertThat(c.weight.toFloatArray()).isNotEqualTo(a.weight.toFloatArray());
        // Consecutive layers draw fresh numbers.
        Antorcha.manualSeed(7);
        new Linear(784, 100);
        Linear second = new Linear(784, 100);
        assertThat(second.weight.toFloatArray()).isNotEqualTo(a.weight.toFloatArray());
        // Whole models too: the Classifier's six tensors.
        Antorcha.manualSeed(7);
        Classifier m1 = new Classifier();
        Antorcha.manualSeed(7);
        Classifier m2 = new Classifier();
        m1.namedParameters().forEach((k, p) ->
                assertThat(p.toFloatArray()).as(k).containsExactly(m2.namedParameters().get(k).toFloatArray()));
    }
}
