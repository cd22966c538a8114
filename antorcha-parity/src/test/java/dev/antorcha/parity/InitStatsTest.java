package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.io.Json;
import dev.antorcha.nn.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.Linear}'s default initialisation against the committed {@code init_stats.json}: PyTorch's
 * statistics over 20 freshly initialised layers per shape. No random-number parity is intended, so
 * Antorcha's 20 layers must stay within the file's bound and match PyTorch's mean and std to within
 * six standard errors of the difference of two such estimates.
 */
class InitStatsTest {

    private record Moments(long count, double min, double max, double mean, double std) {
        static Moments of(List<float[]> samples) {
            long n = 0;
            double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (float[] a : samples) {
                for (float v : a) {
                    n++;
                    sum += v;
                    sq += (double) v * v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            double mean = sum / n;
            return new Moments(n, min, max, mean, Math.sqrt((sq - n * mean * mean) / (n - 1)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void linearInitMatchesPyTorchsStatistics() {
        var file = (Map<String, Object>) Json.parse(CommittedParityTest.fixtures().resolve(ParityCase.INIT_STATS));
        var seeds = (List<Object>) file.get("seeds");
        var layers = (List<Map<String, Object>>) file.get("layers");
        assertThat(layers).hasSize(3);
        for (Map<String, Object> layer : layers) {
            int in = ((Long) layer.get("in_features")).intValue(), out = ((Long) layer.get("out_features")).intValue();
            double bound = (Double) layer.get("bound");
            assertThat(bound).as("bound of Linear(%d, %d)", in, out).isCloseTo(1 / Math.sqrt(in), within(1e-15));
            var weights = new ArrayList<float[]>();
            var biases = new ArrayList<float[]>();
            Antorcha.manualSeed(2026);
            for (int i = 0; i < seeds.size(); i++) {
                Linear l = new Linear(in, out);
                weights.add(l.weight.toFloatArray());
                biases.add(l.bias.toFloatArray());
            }
            check("Linear(" + in + ", " + out + ").weight", Moments.of(weights), (Map<String, Object>) layer.get("weight"), bound);
            check("Linear(" + in + ", " + out + ").bias", Moments.of(biases), (Map<String, Object>) layer.get("bias"), bound);
        }
    }

    private static void check(String what, Moments mine, Map<String, Object> torch, double bound) {
        long n = (Long) torch.get("count");
        assertThat(mine.count()).as(what + " count").isEqualTo(n);
        assertThat(mine.min()).as(what + " min").isGreaterThanOrEqualTo(-bound);
        assertThat(mine.max()).as(what + " max").isLessThanOrEqualTo(bound);
        double sigma = bound / Math.sqrt(3);
        // Two independent estimates from n draws each: the mean differs by sigma*sqrt(2/n) (one s.e.), the std of a
        // uniform (kurtosis 9/5) by sigma*sqrt(2*0.2/n).
        assertThat(mine.mean()).as(what + " mean vs torch").isCloseTo((Double) torch.get("mean"), within(6 * sigma * Math.sqrt(2.0 / n)));
        assertThat(mine.std()).as(what + " std vs torch").isCloseTo((Double) torch.get("std"), within(6 * sigma * Math.sqrt(0.4 / n)));
    }
}
