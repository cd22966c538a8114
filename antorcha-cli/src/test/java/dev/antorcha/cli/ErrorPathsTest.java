package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.Classifier;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.nn.Linear;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Random;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes: one line on stderr starting with {@code antorcha: }, a non-zero exit, no stack trace. */
class ErrorPathsTest {
    @TempDir
    static Path tmp;
    static Path root, empty, weights;

    @BeforeAll
    static void setUp() throws Exception {
        root = Cli.mnistRoot(tmp.resolve("data"));
        empty = Files.createDirectories(tmp.resolve("empty"));
        weights = tmp.resolve("untrained.safetensors");
        ModelFiles.save(new Classifier(), ModelKind.MLP, weights, "mnist");
    }

    /** Asserts the one-line error and returns that line (without the prefix) for further checks. */
    static AbstractStringAssert<?> oneLineError(int expectedCode, String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.code()).as("%s", r).isEqualTo(expectedCode);
        assertThat(r.errLines()).as("%s", r).hasSize(1);
        assertThat(r.err()).as("%s", r).doesNotContain("\tat ").doesNotContain("java.lang.");
        String line = r.errLines().getFirst();
        assertThat(line).startsWith("antorcha: ");
        assertThat(r.out()).as("%s", r).isEmpty();
        return assertThat(line.substring("antorcha: ".length()));
    }

    /** Train options that would otherwise write into the working directory. */
    static String[] train(String... more) {
        String[] base = {"train", "--root", root.toString(), "--no-download", "--quiet",
                "--plot", tmp.resolve("p.png").toString(), "--save", tmp.resolve("w.safetensors").toString()};
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    @Test
    void anUnknownDeviceIsAUsageErrorBeforeAnyDataIsRead() {
        oneLineError(2, "train", "--device", "tpu", "--root", empty.toString(), "--no-download")
                .startsWith("--device takes cpu, cuda, cuda:N or auto, got 'tpu'");
    }

    @Test
    void aGpuThatCannotBeUsedIsAUsageErrorThatSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.antorcha.Cuda.isAvailable(), "this machine has a usable GPU");
        oneLineError(2, train("--device", "cuda")).startsWith("--device cuda: ")
                .containsAnyOf("(libcuda) not found; looked in ANTORCHA_CUDA_LIBS", "no CUDA device", "the CUDA driver");
    }

    @Test
    void evalRefusesADatasetOtherThanTheOneTheWeightsWereTrainedOn() {
        oneLineError(1, "eval", "--weights", weights.toString(), "--root", root.toString(), "--no-download",
                "--dataset", "fashion-mnist").contains("was trained on mnist, not on fashion-mnist");
    }

    @Test
    void directoryAsWeightsNamesTheFile() {
        oneLineError(1, "eval", "--weights", tmp.toString(), "--root", root.toString(), "--no-download")
                .contains(tmp.toString());
    }

    @Test
    void unknownFlagIsAUsageErrorWithExitTwo() {
        oneLineError(2, train("--frobnicate")).contains("--frobnicate").contains("antorcha train --help");
        oneLineError(2, "frobnicate").contains("frobnicate");
        oneLineError(2, train("--epochs", "three")).contains("three");
    }

    @Test
    void badValuesAreRejectedBeforeAnyWork() {
        oneLineError(2, train("--epochs", "0")).contains("--epochs").contains("0");
        oneLineError(2, train("--batch-size", "0")).contains("--batch-size");
        oneLineError(2, train("--threads", "0")).contains("--threads");
        oneLineError(2, train("--dataset", "cifar")).contains("cifar").contains("mnist, fashion-mnist or kmnist");
        oneLineError(2, train("--hidden", "100")).contains("--hidden").contains("[100]");
        oneLineError(2, train("--optimizer", "lbfgs")).contains("lbfgs").contains("adadelta");
        oneLineError(2, train("--model", "resnet")).contains("unknown model 'resnet'").contains("mlp");
        assertThat(tmp.resolve("w.safetensors")).doesNotExist();
        assertThat(tmp.resolve("p.png")).doesNotExist();
    }

    @Test
    void missingDataOfflineNamesTheFolder() {
        Path raw = empty.resolve("MNIST").resolve("raw");
        oneLineError(1, "train", "--root", empty.toString(), "--no-download", "--quiet",
                "--plot", tmp.resolve("p.png").toString(), "--save", tmp.resolve("w.safetensors").toString())
                .contains("Dataset not found").contains(raw.toString()).contains("train-images-idx3-ubyte.gz");
        oneLineError(1, "eval", "--weights", weights.toString(), "--root", empty.toString(), "--no-download")
                .contains("Dataset not found").contains(raw.toString()).contains("t10k-images-idx3-ubyte.gz");
    }

    @Test
    void unreachableMirror() {
        Path fresh = tmp.resolve("fresh");
        oneLineError(1, "train", "--root", fresh.toString(), "--mirror", "http://127.0.0.1:1/", "--quiet",
                "--plot", tmp.resolve("p.png").toString(), "--save", tmp.resolve("w.safetensors").toString())
                .startsWith("Could not download train-images-idx3-ubyte.gz").contains("http://127.0.0.1:1/");
    }

    @Test
    void unknownOptimizerIsRejectedBeforeTheDataAreLoaded() {
        oneLineError(2, "train", "--root", empty.toString(), "--no-download", "--quiet", "--optimizer", "lbfgs",
                "--plot", tmp.resolve("p.png").toString(), "--save", tmp.resolve("w.safetensors").toString())
                .contains("lbfgs");
    }

    @Test
    void saveCreatesItsFolderAsPlotDoes() {
        Path deep = tmp.resolve("new").resolve("sub");
        Cli.ok("train", "--root", root.toString(), "--no-download", "--quiet", "--epochs", "1",
                "--plot", deep.resolve("p.png").toString(), "--save", deep.resolve("w.safetensors").toString());
        assertThat(deep.resolve("w.safetensors")).isRegularFile();
    }

    @Test
    void unusableOutputPathsFailBeforeTraining() throws Exception {
        Path aFile = Files.writeString(tmp.resolve("a-file"), "x");
        Path w = tmp.resolve("early.safetensors");
        oneLineError(1, "train", "--root", root.toString(), "--no-download", "--quiet", "--epochs", "1",
                "--plot", aFile.resolve("p.png").toString(), "--save", w.toString()).contains(aFile.toString());
        assertThat(w).as("no training, no weights").doesNotExist();
    }

    @Test
    void missingWeightsFile() {
        Path missing = tmp.resolve("missing.safetensors");
        oneLineError(1, "eval", "--weights", missing.toString(), "--root", root.toString(), "--no-download")
                .isEqualTo("weights file not found: " + missing);
    }

    @Test
    void corruptedWeightsFile() throws Exception {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Path bad = Files.write(tmp.resolve("junk.safetensors"), junk);
        oneLineError(1, "eval", "--weights", bad.toString(), "--root", root.toString(), "--no-download")
                .contains(bad.toString());
        Path truncated = tmp.resolve("truncated.safetensors");
        byte[] whole = Files.readAllBytes(weights);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        oneLineError(1, "eval", "--weights", truncated.toString(), "--root", root.toString(), "--no-download")
                .contains(truncated.toString());
    }

    @Test
    void weightsOfAnotherNetwork() throws Exception {
        Path other = tmp.resolve("linear.safetensors");
        SafeTensors.save(new Linear(3, 2).stateDict(), other);
        oneLineError(1, "eval", "--weights", other.toString(), "--root", root.toString(), "--no-download")
                .contains(other.toString()).contains("does not hold the tutorial's classifier");

        // the tutorial's names, but an output layer for 5 classes
        var sd = new LinkedHashMap<>(new Classifier().stateDict());
        sd.put("output_layer.weight", Antorcha.zeros(5, 50));
        sd.put("output_layer.bias", Antorcha.zeros(5));
        Path fiveClasses = tmp.resolve("five.safetensors");
        SafeTensors.save(sd, fiveClasses);
        oneLineError(1, "eval", "--weights", fiveClasses.toString(), "--root", root.toString(), "--no-download")
                .contains(fiveClasses.toString()).contains("output_layer");
    }

    @Test
    void predictOnANonImageAndParityOnAMissingFolder() throws Exception {
        Path text = Files.writeString(tmp.resolve("readme.txt"), "hello\n");
        oneLineError(1, "predict", "--weights", weights.toString(), text.toString()).contains(text.toString());
        oneLineError(2, "predict", "--weights", weights.toString()).contains("IMAGE");
        Path nowhere = tmp.resolve("no-such-parity");
        oneLineError(1, "parity", nowhere.toString()).contains(nowhere.toString());
        oneLineError(1, "parity", empty.toString()).contains("no parity cases");
    }

    @Test
    void downloadOfAnUnknownDataset() {
        oneLineError(2, "download", "cifar", "--root", empty.toString()).contains("cifar").contains("antorcha download --help");
    }

    @Test
    void learningRatesThatCannotTrainAreUsageErrorsWhateverTheirSpelling() {
        for (String[] c : new String[][] {{"inf", "inf"}, {"Infinity", "inf"}, {"-INF", "-inf"}, {"nan", "nan"},
                {"NaN", "nan"}, {"0", "0.0"}, {"-0.5", "-0.5"}}) {
            oneLineError(2, train("--lr", c[0])).isEqualTo("--lr must be a positive finite number, got " + c[1]
                    + " (see 'antorcha train --help')");
        }
        oneLineError(2, train("--lr", "0x1p3")).contains("'0x1p3' is not a number");
        oneLineError(2, train("--lr", "fast")).contains("'fast' is not a number");
    }

    @Test
    void aDivergingRunStopsWithExitOneAndKeepsTheEarlierWeights() throws Exception {
        Path w = Files.writeString(tmp.resolve("kept.safetensors"), "weights of an earlier run");
        String[] args = train("--lr", "1e30", "--epochs", "1");
        args[java.util.Arrays.asList(args).indexOf("--save") + 1] = w.toString();
        oneLineError(1, args).matches("the loss became (nan|inf) at epoch 1, iteration \\d+: training diverged "
                + "\\(try a smaller --lr than 1\\.0E30\\); nothing was saved");
        assertThat(Files.readString(w)).isEqualTo("weights of an earlier run");
    }

    @Test
    void everyHelpListsTheExitCodes() {
        for (String cmd : new String[] {"train", "eval", "predict", "download", "parity", "info"}) {
            Cli.Result r = Cli.run(cmd, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).as(cmd).contains("Exit codes:").containsPattern("\\R  2 +usage error")
                    .containsPattern("\\R  130 +interrupted");
        }
        assertThat(Cli.run("--help").out()).contains("Exit codes:");
    }

    /**
     * A network larger than the heap, in a JVM with a 64 MB heap: one line that says out of
     * memory, what was asked where the library knows it, and how to give the JVM more; no trace.
     */
    @Test
    void aNetworkLargerThanTheHeapIsOneLineWithTheRemedy() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp", cp, Main.class.getName(),
                "train", "--root", root.toString(), "--no-download", "--quiet", "--epochs", "1", "--hidden", "8000,2000",
                "--plot", tmp.resolve("oom.png").toString(), "--save", tmp.resolve("oom.safetensors").toString())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err.lines().toList()).as(err).singleElement().asString()
                .startsWith("antorcha: out of memory").contains("-Xmx").doesNotContain("\tat ");
        assertThat(tmp.resolve("oom.safetensors")).doesNotExist();
    }

    @Test
    void verboseShowsTheStackTraceAfterTheLine() {
        for (String[] args : new String[][] {
                {"--verbose", "train", "--epochs", "0"}, {"train", "--epochs", "0", "--verbose"}}) {
            Cli.Result r = Cli.run(args);
            assertThat(r.code()).as("%s", r).isEqualTo(2);
            assertThat(r.errLines().getFirst()).isEqualTo("antorcha: --epochs must be >= 1, got 0 (see 'antorcha train --help')");
            assertThat(r.errLines()).as("%s", r).anySatisfy(l -> assertThat(l).startsWith("\tat "));
            assertThat(r.err()).contains("UsageException");
        }
    }

    @Test
    void stateDictOfTheUntrainedClassifierIsValidInput() throws Exception {
        // sanity check of the fixture used above: the untrained weights do load and evaluate
        Cli.Result r = Cli.ok("eval", "--weights", weights.toString(), "--root", root.toString(), "--no-download");
        assertThat(r.outLines().getFirst()).startsWith("test accuracy: ");
        Tensor w = SafeTensors.load(weights).get("input_layer.weight");
        assertThat(w.shape().toArray()).containsExactly(100, 784);
    }
}
