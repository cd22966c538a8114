package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PyTorch cases of {@link OptimCases} (seed 0 of each {@code optim_*} / {@code sched_*}
 * kind of the CNN set, under {@code src/test/resources/parity-cnn}) pass, and the same files with one
 * hyperparameter changed fail: the comparison would notice a wrong update rule.
 */
class OptimCasesTest {
    private static final List<String> KINDS = List.of("optim_adadelta", "optim_adadelta_wd", "optim_rmsprop",
            "optim_rmsprop_momentum_centered", "optim_adagrad", "optim_sgd_nesterov", "sched_steplr", "sched_cosine");

    private static Path fixture(String kind) {
        URL url = OptimCasesTest.class.getResource("/parity-cnn/" + kind + "_s0.json");
        if (url == null) throw new IllegalStateException("parity-cnn/" + kind + "_s0.json is not on the test class path");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOptimizerAndSchedulerCasePasses() {
        return KINDS.stream().map(kind -> DynamicTest.dynamicTest(kind, () -> {
            ParityRunner.CaseResult r = ParityRunner.run(fixture(kind));
            assertThat(r.status()).as(r.line()).isEqualTo(ParityRunner.Status.PASS);
        }));
    }

    /** Each edit is a plausible mistake: another rho, eps, alpha, centering off, another decay or period. */
    @Test
    void aChangedHyperparameterFails(@TempDir Path dir) throws IOException {
        failsWith(dir, "optim_adadelta", "\"rho\": 0.9", "\"rho\": 0.95");
        failsWith(dir, "optim_adadelta_wd", "\"weight_decay\": 0.01", "\"weight_decay\": 0.0");
        failsWith(dir, "optim_rmsprop", "\"alpha\": 0.99", "\"alpha\": 0.9");
        failsWith(dir, "optim_rmsprop_momentum_centered", "\"centered\": true", "\"centered\": false");
        failsWith(dir, "optim_adagrad", "\"eps\": 1e-10", "\"eps\": 1e-3");
        failsWith(dir, "optim_sgd_nesterov", "\"nesterov\": true", "\"nesterov\": false");
        failsWith(dir, "sched_steplr", "\"gamma\": 0.7", "\"gamma\": 0.75");
        failsWith(dir, "sched_cosine", "\"T_max\": 4", "\"T_max\": 5");
    }

    private static void failsWith(Path dir, String kind, String from, String to) throws IOException {
        String json = Files.readString(fixture(kind));
        assertThat(json).as(kind).contains(from);
        Path edited = Files.writeString(dir.resolve(kind + "_s0.json"), json.replace(from, to));
        ParityRunner.CaseResult r = ParityRunner.run(edited);
        assertThat(r.status()).as(kind + " with " + to + ": " + r.line()).isEqualTo(ParityRunner.Status.FAIL);
    }

    /**
     * The float64 set's kinds ({@code f64_optim_*}) run in float64. Two Adadelta steps from p = 1 with
     * gradients 0.5 and 0.25, computed by hand in Python doubles; a float32 run would be off by ~1e-8.
     */
    @Test
    void aFloat64OptimizerCaseRunsInDouble(@TempDir Path dir) throws IOException {
        String json = """
                {"format": "torch-parity-v1", "case": "f64_optim_adadelta", "id": "f64_optim_adadelta_s9", "seed": 9,
                 "params": {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0, "state_names": ["square_avg", "acc_delta"]},
                 "inputs": {"p0": {"shape": [1], "dtype": "float64", "layout": "full", "data": [1.0]},
                            "grads": {"shape": [2, 1], "dtype": "float64", "layout": "full", "data": [0.5, 0.25]}},
                 "outputs": {
                   "params": {"shape": [2, 1], "dtype": "float64", "layout": "full",
                              "data": [0.9968377855834876, 0.9947526985556963]},
                   "square_avg": {"shape": [2, 1], "dtype": "float64", "layout": "full",
                                  "data": [0.024999999999999994, 0.028749999999999994]},
                   "acc_delta": {"shape": [2, 1], "dtype": "float64", "layout": "full",
                                 "data": [9.99960001599936e-07, 1.3347227927863166e-06]}}}
                """;
        ParityRunner.CaseResult r = ParityRunner.run(Files.writeString(dir.resolve("f64_optim_adadelta_s9.json"), json));
        assertThat(r.status()).as(r.line()).isEqualTo(ParityRunner.Status.PASS);
        // the float32 result of the same steps, 0.99683779 and 0.99475270, is outside the float64 tolerance
        Path f32 = Files.writeString(dir.resolve("f64_optim_adadelta_s8.json"),
                json.replace("0.9947526985556963", "0.9947527").replace("_s9", "_s8"));
        assertThat(ParityRunner.run(f32).status()).isEqualTo(ParityRunner.Status.FAIL);
    }
}
