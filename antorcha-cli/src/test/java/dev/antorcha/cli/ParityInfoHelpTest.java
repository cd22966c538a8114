package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code antorcha parity}, {@code antorcha info} and {@code --help} of every subcommand. */
class ParityInfoHelpTest {

    /** relu on [1, 5] with -0.0 and 0.0 (relu'(0) = 0), values computed by hand (as in ParityMainTest). */
    static String relu(String id, String dx) {
        return """
                {"format": "torch-parity-v1", "case": "relu", "id": "%s", "set": "public", "seed": 0,
                 "expr": "y = torch.relu(x); y.backward(g)", "params": {"dim": null},
                 "f32_err": {"y": 0.0, "dx": 0.0},
                 "inputs": {"x": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": [1.5, -2.0, 0.0, -0.0, 3.0]},
                            "g": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": [0.5, 0.25, 1.0, 2.0, -1.0]}},
                 "outputs": {"y": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": [1.5, 0.0, 0.0, 0.0, 3.0]},
                             "dx": {"shape": [1, 5], "dtype": "float32", "layout": "full", "data": %s}}}
                """.formatted(id, dx);
    }

    @Test
    void parityOnAHandMadeCasePasses(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("relu_s0.json"), relu("relu_s0", "[0.5, 0.0, 0.0, 0.0, -1.0]"));
        Cli.Result r = Cli.ok("parity", dir.toString());
        assertThat(r.outLines()).containsExactly("PASS relu_s0", "1 passed, 0 failed, 0 skipped");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void parityWithAFailingCaseExitsOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("relu_s0.json"), relu("relu_s0", "[0.5, 0.0, 1.0, 0.0, -1.0]"));
        Cli.Result r = Cli.run("parity", dir.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.outLines().getFirst()).startsWith("FAIL relu_s0: dx:");
        assertThat(r.outLines().getLast()).isEqualTo("0 passed, 1 failed, 0 skipped");
    }

    @Test
    void parityOnTheSharedPyTorchCases() {
        String shared = System.getProperty("antorcha.shared");
        Path dir = shared == null ? null : Path.of(shared, "parity");
        boolean present = dir != null && Files.isDirectory(dir);
        String why = "skipped: no PyTorch reference cases at " + dir + " (system property antorcha.shared + /parity)";
        if (!present) System.out.println("SKIPPED " + why);   // visible in the build log too
        assumeTrue(present, why);
        Cli.Result r = Cli.ok("parity", dir.toString());
        String summary = r.outLines().getLast();
        assertThat(summary).matches("\\d+ passed, 0 failed, 0 skipped");
        int passed = Integer.parseInt(summary.substring(0, summary.indexOf(' ')));
        assertThat(passed).isPositive();
        assertThat(r.outLines()).hasSize(passed + 1);
        assertThat(r.outLines().subList(0, passed)).allMatch(l -> l.startsWith("PASS "));
    }

    @Test
    void infoShowsVersionJavaSimdAndThreads() {
        Cli.Result r = Cli.ok("info");
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("antorcha \\d+\\.\\d+\\.\\d+.*");
        assertThat(lines.get(1)).startsWith("java " + Runtime.version() + " (");
        // this JVM's own answer: the build runs the tests with --add-modules jdk.incubator.vector
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertThat(lines.get(2)).startsWith("simd: " + (vector ? "yes" : "no") + ", ");
        assertThat(lines.get(3)).isEqualTo("threads: " + Antorcha.getNumThreads() + " (cores available: "
                + Runtime.getRuntime().availableProcessors() + ")");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void versionFlag() {
        Cli.Result r = Cli.ok("--version");
        assertThat(r.outLines()).containsExactly("antorcha " + Main.version(), "java " + Runtime.version());
    }

    @Test
    void noArgumentsShowsTheCommands() {
        Cli.Result r = Cli.ok();
        assertThat(r.out()).contains("Usage: antorcha").contains("train").contains("eval").contains("predict")
                .contains("download").contains("parity").contains("info");
    }

    @ParameterizedTest(name = "{0} --help")
    @CsvSource(delimiter = '|', value = {
        "train    | --model --dataset --root --mirror --no-download --epochs --batch-size --lr --optimizer --hidden --[no-]shuffle --seed --threads --plot --save --losses --quiet --verbose",
        "eval     | --weights --root --dataset --no-download --batch-size",
        "predict  | --weights IMAGE",
        "download | DATASET --root --mirror",
        "parity   | DIR",
        "info     | --help"})
    void helpOfEachSubcommandListsItsOptions(String command, String options) {
        Cli.Result r = Cli.ok(command, "--help");
        assertThat(r.out()).startsWith("Usage: antorcha " + command);
        for (String o : options.split(" ")) assertThat(r.out()).as(command + " --help").contains(o);
        assertThat(r.err()).isEmpty();
        assertThat(Cli.ok("help", command).out()).isEqualTo(r.out());
    }
}
