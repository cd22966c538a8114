package dev.antorcha.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ParityMain} and {@link ParityRunner} on hand-made case files (no shared data needed). */
class ParityMainTest {

    /** relu on [1, 5] with -0.0 and 0.0 (relu'(0) = 0), values computed by hand. */
    static String relu(String id, String kind, String dx) {
        return """
                {"format": "torch-parity-v1", "case": "%s", "id": "%s", "set": "public", "seed": 0,
                 "expr": "y = torch.relu(x); y.backward(g)", "params": {"dim": null},
                 "f32_err": {"y": 0.0, "dx": 0.0},
                 "inputs": {"x": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": [1.5, -2.0, 0.0, -0.0, 3.0]},
                            "g": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": [0.5, 0.25, 1.0, 2.0, -1.0]}},
                 "outputs": {"y": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": [1.5, 0.0, 0.0, 0.0, 3.0]},
                             "dx": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": %s}}}
                """.formatted(kind, id, dx);
    }

    static final String DX = "[0.5, 0.0, 0.0, 0.0, -1.0]";

    /** cross-entropy of logits [0, 0] with target 1: loss = ln 2, dlogits = softmax - onehot = [0.5, -0.5]. */
    static final String CROSS_ENTROPY = """
            {"format": "torch-parity-v1", "case": "cross_entropy", "id": "cross_entropy_s0", "seed": 0,
             "params": {}, "f32_err": {},
             "inputs": {"logits": {"shape": [1, 2], "dtype": "float32", "layout": "full", "data": [0.0, 0.0]},
                        "target": {"shape": [1], "dtype": "int64", "layout": "full", "data": [1]}},
             "outputs": {"loss_mean": {"shape": [], "dtype": "float32", "layout": "full", "data": [0.6931471824645996]},
                         "dlogits_mean": {"shape": [1, 2], "dtype": "float32", "layout": "full", "data": [0.5, -0.5]},
                         "loss_sum": {"shape": [], "dtype": "float32", "layout": "full", "data": [0.6931471824645996]},
                         "dlogits_sum": {"shape": [1, 2], "dtype": "float32", "layout": "full", "data": [0.5, -0.5]}}}
            """;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).split("\\R");
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /**
     * A dtype-rules table (torch-dtype-rules-v1) beside a case: its rows are checked as one case.
     * int64 + float32 is float32 and bool + bool stays bool in PyTorch; the wrong table claims int64.
     */
    static String rules(String boolPlusBool) {
        return """
                {"format": "torch-dtype-rules-v1", "torch_version": "1.13.0", "default_dtype": "float32", "rows": [
                 {"op": "add", "a": "int64", "b": "float32", "form": "tensor-tensor", "result": "float32"},
                 {"op": "add", "a": "bool", "b": "bool", "form": "tensor-tensor", "result": "%s"}]}
                """.formatted(boolPlusBool);
    }

    @Test
    void aDTypeRulesTableIsCheckedRowByRow(@TempDir Path dir) throws Exception {
        write(dir, "dtype_rules.json", rules("bool"));
        write(dir, "relu_s0.json", relu("relu_s0", "relu", DX));
        var s = ParityMain.run(dir, out);
        assertThat(lines()).containsExactly("PASS dtype_rules", "PASS relu_s0", "2 passed, 0 failed, 0 skipped");
        assertThat(s.exitCode()).isZero();
    }

    @Test
    void aWrongDTypeRuleFailsNamingTheRow(@TempDir Path dir) throws Exception {
        Path f = write(dir, "dtype_rules.json", rules("int64"));
        var r = ParityRunner.run(f);
        assertThat(r.status()).isEqualTo(ParityRunner.Status.FAIL);
        assertThat(r.line()).startsWith("FAIL dtype_rules: 1 of 2 rows disagree with PyTorch")
                .contains("row 1 tensor-tensor add bool, bool: PyTorch gives int64, here bool");
    }

    @Test
    void handComputedReluPasses(@TempDir Path dir) throws Exception {
        write(dir, "relu_s0.json", relu("relu_s0", "relu", DX));
        var s = ParityMain.run(dir, out);
        assertThat(lines()).containsExactly("PASS relu_s0", "1 passed, 0 failed, 0 skipped");
        assertThat(s.passed()).isEqualTo(1);
        assertThat(s.exitCode()).isZero();
        assertThat(s.results().getFirst().worstRatio()).isZero();
    }

    @Test
    void alteredOutputFailsNamingTheOutputAndError(@TempDir Path dir) throws Exception {
        write(dir, "relu_s0.json", relu("relu_s0", "relu", "[0.5, 0.0, 0.0, 0.0, -1.25]"));
        var s = ParityMain.run(dir, out);
        String[] lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("FAIL relu_s0: dx: max |err| 2.5e-01 at index 4 [0, 4]");
        assertThat(lines[1]).isEqualTo("0 passed, 1 failed, 0 skipped");
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.exitCode()).isEqualTo(1);
    }

    @Test
    void passFailSkipAndSummaryLine(@TempDir Path dir) throws Exception {
        write(dir, "relu_s0.json", relu("relu_s0", "relu", DX));
        write(dir, "relu_s1.json", relu("relu_s1", "relu", "[0.5, 0.0, 1.0, 0.0, -1.0]")); // relu'(0) = 1: wrong
        write(dir, "zzz_s0.json", relu("zzz_s0", "frobnicate", DX));
        write(dir, ParityCase.INIT_STATS, "{}"); // not a case: ignored
        var s = ParityMain.run(dir, out);
        assertThat(lines()).containsExactly(
                "PASS relu_s0",
                lines()[1],
                "SKIP zzz_s0: needs support for case kind 'frobnicate'",
                "1 passed, 1 failed, 1 skipped");
        assertThat(lines()[1]).startsWith("FAIL relu_s1: dx: max |err| 1.0e+00 at index 2 [0, 2]");
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.results()).extracting(ParityRunner.CaseResult::status).containsExactly(
                ParityRunner.Status.PASS, ParityRunner.Status.FAIL, ParityRunner.Status.SKIP);
    }

    @Test
    void optimizersTheRunnerLacksAreSkipsWithTheReasonAndFloat64CasesRun(@TempDir Path dir) throws Exception {
        // The cnn and seq sets hold such cases: they must not turn a green build red before Antorcha has them.
        // A float64 case of a known kind runs in float64 (relu of these values is exact in any precision).
        String optim = """
                {"format": "torch-parity-v1", "case": "optim_adamax", "id": "optim_adamax_s0", "seed": 0,
                 "params": {"lr": 1.0}, "f32_err": {},
                 "inputs": {"p0": {"shape": [1], "dtype": "float32", "layout": "full", "data": [1.0]},
                            "grads": {"shape": [1, 1], "dtype": "float32", "layout": "full", "data": [0.5]}},
                 "outputs": {"params": {"shape": [1, 1], "dtype": "float32", "layout": "full", "data": [0.99]}}}
                """;
        write(dir, "optim_adamax_s0.json", optim);
        write(dir, "f64_relu_s0.json", relu("f64_relu_s0", "f64_relu", DX).replace("float32", RefTensor.FLOAT64));
        // An Adam variant is still run, and still fails when wrong: p0 = 1, g = 0.5, one step of lr 0.1 gives 0.9.
        write(dir, "optim_adam_x_s0.json", optim.replace("adamax", "adam_x").replace("\"lr\": 1.0", "\"lr\": 0.1")
                .replace("[0.99]", "[0.95]"));
        var s = ParityMain.run(dir, out);
        assertThat(lines()).containsExactly(
                "PASS f64_relu_s0",
                lines()[1],
                "SKIP optim_adamax_s0: needs support for case kind 'optim_adamax'",
                "1 passed, 1 failed, 1 skipped");
        assertThat(lines()[1]).startsWith("FAIL optim_adam_x_s0: params: max |err| 5.0e-02 at index 0 [0, 0] (mine 0.9");
        assertThat(s.exitCode()).isEqualTo(1);
    }

    @Test
    void crossEntropyMeanAndSumFromFreshGraphs(@TempDir Path dir) throws Exception {
        var r = ParityRunner.run(write(dir, "cross_entropy_s0.json", CROSS_ENTROPY));
        assertThat(r.status()).as(r.message()).isEqualTo(ParityRunner.Status.PASS);
        // a wrong gradient is caught: the sum's gradient must not be the mean's accumulated twice
        var wrong = CROSS_ENTROPY.replace("\"dlogits_sum\": {\"shape\": [1, 2], \"dtype\": \"float32\", \"layout\": \"full\", \"data\": [0.5, -0.5]",
                "\"dlogits_sum\": {\"shape\": [1, 2], \"dtype\": \"float32\", \"layout\": \"full\", \"data\": [1.0, -1.0]");
        r = ParityRunner.run(write(dir, "cross_entropy_s1.json", wrong));
        assertThat(r.line()).startsWith("FAIL cross_entropy_s0: dlogits_sum: max |err| 5.0e-01");
    }

    @Test
    void exceptionsAndBrokenFilesAreFailuresNotCrashes(@TempDir Path dir) throws Exception {
        // W has 3 input features, x has 2: matmul throws
        String linear = """
                {"format": "torch-parity-v1", "case": "linear", "id": "linear_s9", "seed": 9, "params": {},
                 "inputs": {"x": {"shape": [1, 2], "dtype": "float32", "layout": "full", "data": [1, 2]},
                            "W": {"shape": [1, 3], "dtype": "float32", "layout": "full", "data": [1, 2, 3]}},
                 "outputs": {"y": {"shape": [1, 1], "dtype": "float32", "layout": "full", "data": [0]}}}
                """;
        write(dir, "linear_s9.json", linear);
        write(dir, "broken_s0.json", "{\"format\": ");
        var s = ParityMain.run(dir, out);
        String[] lines = lines();
        assertThat(lines[0]).startsWith("FAIL broken_s0: java.lang.IllegalArgumentException: ");
        assertThat(lines[1]).startsWith("FAIL linear_s9: java.lang.IllegalArgumentException: mat1 and mat2 shapes cannot be multiplied");
        assertThat(lines[2]).isEqualTo("0 passed, 2 failed, 0 skipped");
        assertThat(s.failed()).isEqualTo(2);
    }

    @Test
    void commandLineExitCodes(@TempDir Path dir) throws Exception {
        assertThat(ParityMain.run(new String[0], out, err)).isEqualTo(2);
        assertThat(ParityMain.run(new String[] {dir.resolve("absent").toString()}, out, err)).isEqualTo(2);
        assertThat(ParityMain.run(new String[] {dir.toString()}, out, err)).isEqualTo(2); // no manifest, no cases
        String errText = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(errText.split("\\R")).hasSize(3).allMatch(l -> l.startsWith("parity: "));
        assertThat(errText).contains("does not exist").contains("no parity cases in").doesNotContain("\tat ");
        assertThat(bytes.size()).isZero();

        write(dir, "relu_s0.json", relu("relu_s0", "relu", DX));
        assertThat(ParityMain.run(new String[] {dir.toString()}, out, err)).isZero();
        write(dir, "relu_s1.json", relu("relu_s1", "relu", "[9, 0, 0, 0, -1]"));
        assertThat(ParityMain.run(new String[] {"-v", dir.toString()}, out, err)).isEqualTo(1);
        assertThat(lines()).contains("1 passed, 1 failed, 0 skipped");
    }
}
