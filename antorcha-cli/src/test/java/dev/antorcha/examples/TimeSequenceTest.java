package dev.antorcha.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The time-series example ({@link TimeSequence}) against the Python recipe run by PyTorch 1.13 and numpy
 * on this machine's build (numbers printed with Python's repr): its data, its formatting, and two LBFGS
 * steps from the same weights.
 */
class TimeSequenceTest {

    @Test
    void randintDrawsNumpysPhaseShifts() {
        // np.random.RandomState(2).randint(-80, 80, 100)[:12] and [-5:]
        long[] r = new RandomState(2).randint(-80, 80, 100);
        assertThat(java.util.Arrays.copyOf(r, 12)).containsExactly(-65, -8, -58, -37, -5, 24, -73, 15, -5, -33, -17, -49);
        assertThat(java.util.Arrays.copyOfRange(r, 95, 100)).containsExactly(-44, -17, -5, 30, -30);
    }

    @Test
    void sineWavesAreThePythons() {
        Tensor d = TimeSequence.sineWaves(20, 1000, 100);
        assertThat(d.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(d.shape().toArray()).containsExactly(100, 1000);
        double[] v = d.toDoubleArray();
        assertThat(v[0]).isCloseTo(0.10819513453010837, within(1e-15));
        assertThat(v[1000 + 5]).isCloseTo(-0.14943813247359922, within(1e-15));
        assertThat(v[99 * 1000 + 999]).isCloseTo(-0.9702134081833348, within(1e-15));
    }

    @Test
    void formatsAsPythonsPointSixG() {
        Map<Double, String> python = Map.of(0.0123456789, "0.0123457", 1234567.0, "1.23457e+06", 1.234e-05, "1.234e-05",
                123456.5, "123456", 2.5e-07, "2.5e-07", 1.0, "1", 0.1, "0.1", 100.0, "100");
        python.forEach((v, s) -> assertThat(PyFormat.g6(v)).as("%s", v).isEqualTo(s));
    }

    @Test
    void twoStepsFromKnownWeightsGiveTorchsLosses() throws Exception {
        // Python: sine_waves(L=40, N=8); every parameter p (state-dict order j) set to
        // p.view(-1)[k] = 0.2 * sin(0.37 k + j); LBFGS(lr=0.8); 2 steps, 10 future values
        Sequence seq = new Sequence();
        seq.toDouble();
        assertThat(seq.stateDict().keySet()).containsExactly("lstm1.weight_ih", "lstm1.weight_hh", "lstm1.bias_ih",
                "lstm1.bias_hh", "lstm2.weight_ih", "lstm2.weight_hh", "lstm2.bias_ih", "lstm2.bias_hh", "linear.weight",
                "linear.bias");
        int j = 0;
        try (var _ = Antorcha.noGrad()) {
            for (Parameter p : seq.namedParameters().values()) {
                double[] v = new double[p.numel()];
                for (int k = 0; k < v.length; k++) v[k] = 0.2 * Math.sin(0.37 * k + j);
                p.copy_(Antorcha.tensor(v, p.shape().toArray()));
                j++;
            }
        }
        var out = new ByteArrayOutputStream();
        var r = TimeSequence.run(new TimeSequence.Settings(2, 8, 40, 10, 0, null), seq,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.nanoTime());
        List<TimeSequence.StepLosses> l = r.losses();
        assertThat(l.get(0).train()).isCloseTo(0.43347466914928234, within(1e-12));
        assertThat(l.get(0).test()).isCloseTo(0.00357731307634145, within(1e-11));
        assertThat(l.get(1).train()).isCloseTo(0.007535824812772096, within(1e-10));
        assertThat(l.get(1).test()).isCloseTo(0.0014086031947458365, within(1e-10));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("step 0: train loss 0.433475, test loss 0.00357731\n"
                + "step 1: train loss 0.00753582, test loss 0.0014086\ntotal time: ");
    }

    @Test
    void plotFileNamesFollowTheExamplesPattern() {
        assertThat(TimeSequence.plotFile(Path.of("out", "predict%d.png"), 3)).isEqualTo(Path.of("out", "predict3.png"));
        assertThat(TimeSequence.plotFile(Path.of("latest.png"), 3)).isEqualTo(Path.of("latest.png"));
    }
}
