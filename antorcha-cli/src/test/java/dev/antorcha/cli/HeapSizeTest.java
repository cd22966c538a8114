package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's heap ({@code src/main/sh/heap.sh}, sourced by {@code ./antorcha}): the maximum
 * follows train's job, and a job trains within it.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class HeapSizeTest {
    static final Path SCRIPT = Path.of("src/main/sh/heap.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    static int heapMb(String... args) throws Exception {
        return run("heap_mb", args);
    }

    static int youngRatio(String... args) throws Exception {
        return run("young_ratio", args);
    }

    static int survivorRatio(String... args) throws Exception {
        return run("survivor_ratio", args);
    }

    static int youngMb(String... args) throws Exception {
        return run("young_mb", args);
    }

    static String pretenure(String... args) throws Exception {
        return text("pretenure", args);
    }

    private static int run(String function, String... args) throws Exception {
        return Integer.parseInt(text(function, args));
    }

    private static String text(String function, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "source \"$0\"; " + function + " \"$@\"", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theMaximumFollowsTheNetworkAndTheBatch() throws Exception {
        assertThat(heapMb("train")).isEqualTo(128);   // the tutorial's job: what the launcher always gave it
        int large = heapMb("train", "--hidden", "2000,1000");
        // 3.6 M weights with gradients and Adam's moments (57 MB), a batch's activations (12 MB), 1.35 times, + 64
        assertThat(large).isBetween(140, 180);
        assertThat(youngRatio("train", "--hidden", "2000,1000")).isEqualTo(5);   // the weights stay in the old generation
        assertThat(youngRatio("train")).isEqualTo(2);                           // the tutorial's: the collector's default
        assertThat(heapMb("train", "--hidden=4000,2000", "--batch-size", "512")).isGreaterThan(2 * large);
        // the CNN: 144 MB + 2 MB an image, half young, survivor spaces that hold a step's activations
        assertThat(heapMb("train", "--model", "cnn")).isEqualTo(240);
        // the CNN's arrays are recycled in the old generation: a young one of 6 MB for a step's small objects
        assertThat(youngMb("train", "--model", "cnn")).isEqualTo(6);
        assertThat(survivorRatio("train", "--model", "cnn")).isEqualTo(1);
        assertThat(pretenure("train", "--model", "cnn")).isEqualTo("1m");
        assertThat(pretenure("train")).isEqualTo("0");
        assertThat(survivorRatio("train")).isEqualTo(8);
        assertThat(heapMb("train", "--model=cnn", "--batch-size=128")).isEqualTo(368);
        assertThat(heapMb("train", "--hidden", "lots")).isEqualTo(512);   // the command refuses it, with its own message
        // the MNIST RNN: 96 MB + a quarter MB an image, survivor spaces that hold a step's activations
        assertThat(heapMb("train", "--model", "mnist-rnn")).isEqualTo(112);
        assertThat(survivorRatio("train", "--model", "mnist-rnn")).isEqualTo(2);
        assertThat(heapMb("train", "--model=mnist-rnn", "--batch-size=256")).isEqualTo(160);
    }

    /** word-lm's heap follows the corpus's vocabulary (counted by the script) and the network's sizes. */
    @Test
    void theLanguageModelsHeapFollowsItsVocabulary() throws Exception {
        Path small = TextCorpus.write(tmp.resolve("small"), 1500);   // 18 words
        Path large = Files.createDirectories(tmp.resolve("large"));
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 20_000; i++) words.append("w").append(i).append(i % 20 == 19 ? "\n" : " ");
        for (String f : List.of("train.txt", "valid.txt", "test.txt")) Files.writeString(large.resolve(f), words);
        assertThat(heapMb("word-lm", small.toString())).isEqualTo(128);
        assertThat(youngMb("word-lm", small.toString())).isEqualTo(32);
        int big = heapMb("word-lm", large.toString());
        // 20,001 words: a young generation of five [700, 20001] float32 tensors (267 MiB), and 8.8 M
        // weights with their gradients (67 MiB) 1.5 times over + 48 MB in the old one
        assertThat(youngMb("word-lm", large.toString())).isEqualTo(5 * 4 * 700 * 20_001 / 1048576);
        assertThat(big).isBetween(400, 440);
        assertThat(youngRatio("word-lm", large.toString())).isEqualTo(2);
        assertThat(survivorRatio("word-lm", large.toString())).isEqualTo(2);
        assertThat(youngMb("train", "--model", "mnist-rnn")).isZero();   // the ratio sizes the young generation
        assertThat(heapMb("word-lm", large.toString(), "--tied")).isLessThan(big);
        assertThat(heapMb("word-lm", "--batch-size", "40", large.toString())).isGreaterThan(big + 250);
        assertThat(heapMb("word-lm", tmp.resolve("absent").toString())).isEqualTo(1024);   // the command says what is wrong
        assertThat(heapMb("word-lm", large.toString(), "--bptt", "many")).isEqualTo(1024);
    }

    @Test
    void aResumedRunSizesTheHeapForTheCheckpointsModel() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ck"));
        Files.writeString(dir.resolve("checkpoint.json"),
                "{\"settings\": {\"--model\": \"cnn\", \"--dataset\": \"mnist\", \"--hidden\": \"100,50\"}}");
        assertThat(heapMb("train", "--resume", dir.toString())).isEqualTo(240);
        Files.writeString(dir.resolve("checkpoint.json"), "{\"settings\": {\"--model\": \"mlp\", \"--hidden\": \"2000,1000\"}}");
        assertThat(heapMb("train", "--resume", dir.toString())).isEqualTo(heapMb("train", "--hidden", "2000,1000"));
    }

    /**
     * The CNN and the 2000,1000 network train an epoch of the fixture (and test) in their heap less
     * the full MNIST's 55 MB of pixels, which the fixture does not have.
     */
    @Test
    void jobsTrainWithinTheirHeap() throws Exception {
        Path root = Cli.mnistRoot(tmp.resolve("data"));
        for (String[] job : List.of(new String[] {"--model", "cnn"}, new String[] {"--model", "mnist-rnn"},
                new String[] {"--hidden", "2000,1000"})) {
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(List.of(job));
            String[] line = args.toArray(String[]::new);
            int heap = heapMb(line) - 55, young = youngRatio(line), survivor = survivorRatio(line), youngMb = youngMb(line);
            String pretenure = pretenure(line);
            args.addAll(List.of("--root", root.toString(), "--no-download", "--epochs", "1", "--quiet",
                    "--save", tmp.resolve("w.safetensors").toString(), "--plot", tmp.resolve("p.png").toString()));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                    "-Xmx" + heap + "m", "-XX:SurvivorRatio=" + survivor));
            // the generations as the launcher sets them
            if (youngMb > 0) cmd.addAll(List.of("-Xms" + heap + "m", "-Xmn" + youngMb + "m"));
            else cmd.addAll(List.of("-Xms" + Math.min(64, heap) + "m", "-XX:NewRatio=" + young));
            if (!pretenure.equals("0")) cmd.add("-XX:PretenureSizeThreshold=" + pretenure);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", job) + " in " + heap + " MB: " + out).isZero();
            assertThat(out).contains("test accuracy: ");
        }
    }

    /** The language model with the recipe's sizes trains an epoch of a small corpus within its heap. */
    @Test
    void theLanguageModelTrainsWithinItsHeap() throws Exception {
        Path corpus = TextCorpus.write(tmp.resolve("text"), 3000);
        int heap = heapMb("word-lm", corpus.toString()), young = youngMb("word-lm", corpus.toString());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                "-Xms" + heap + "m", "-Xmx" + heap + "m", "-Xmn" + young + "m", "-XX:SurvivorRatio=2", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "word-lm", corpus.toString(), "--epochs", "1", "--quiet", "--save", tmp.resolve("w.safetensors").toString(),
                "--plot", tmp.resolve("p.png").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("word-lm in " + heap + " MB: " + out).isZero();
        assertThat(out).contains("test ppl: ");
    }
}
