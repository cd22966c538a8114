package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import dev.antorcha.io.SafeTensors;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code antorcha train} for one epoch on the committed fixture, then {@code antorcha eval} on its weights. */
@org.junit.jupiter.api.extension.ExtendWith(RestoresThreads.class)
class TrainEvalTest {
    static final Pattern ACCURACY = Pattern.compile("test accuracy: \\d{1,3}\\.\\d\\d%");
    static final Pattern TOTAL_TIME = Pattern.compile("total time: \\d+\\.\\d\\d s");
    static final Pattern EPOCH = Pattern.compile(
            "epoch 1/1: mean loss \\d+\\.\\d{4}, test accuracy \\d{1,3}\\.\\d\\d%, \\d+\\.\\d\\d s");

    @TempDir
    static Path tmp;
    static Path root, out, plot, weights, losses;
    static Cli.Result train;

    @BeforeAll
    static void trainOnce() throws Exception {
        root = Cli.mnistRoot(tmp.resolve("data"));
        out = Files.createDirectories(tmp.resolve("out"));
        plot = out.resolve("losses.png");
        weights = out.resolve("classifier.safetensors");
        losses = out.resolve("losses.csv");
        train = Cli.ok("train", "--root", root.toString(), "--epochs", "1", "--plot", plot.toString(),
                "--save", weights.toString(), "--losses", losses.toString(), "--seed", "1", "--quiet");
    }


    /** The options every run here shares: the fixture, one epoch, outputs in {@code dir}. */
    static String[] trainArgs(Path dir, String... more) throws Exception {
        Files.createDirectories(dir);
        List<String> a = new ArrayList<>(List.of("train", "--root", root.toString(), "--no-download", "--epochs", "1",
                "--plot", dir.resolve("p.png").toString(), "--save", dir.resolve("w.safetensors").toString(),
                "--losses", dir.resolve("l.csv").toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    static String accuracyLine(Cli.Result r) {
        return r.outLines().stream().filter(l -> l.startsWith("test accuracy:")).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void quietTrainEndsWithTheAccuracyAndTimeLinesExactly() {
        assertThat(train.err()).as("%s", train).isEmpty();
        assertThat(train.outLines()).as("%s", train).hasSize(2);
        assertThat(train.outLines().get(0)).matches(ACCURACY);
        assertThat(train.outLines().get(1)).matches(TOTAL_TIME);
        // only 8 Adam steps at lr 0.001 (48% with seed 1), but well above chance (10%)
        double acc = Double.parseDouble(train.outLines().get(0).replaceAll("[^0-9.]", ""));
        assertThat(acc).isGreaterThan(25.0);
    }

    @Test
    void deviceAutoWithoutAGpuTrainsOnTheCpuToTheSameLosses() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.antorcha.Cuda.isAvailable(), "this machine has a usable GPU");
        Path dir = tmp.resolve("auto");
        Cli.ok(trainArgs(dir, "--device", "auto", "--seed", "1", "--quiet"));
        assertThat(Cli.csv(dir.resolve("l.csv"))).isEqualTo(Cli.csv(losses));
    }

    @Test
    void plotIsAnEightHundredByFiveHundredPng() throws Exception {
        BufferedImage img = ImageIO.read(plot.toFile());
        assertThat(img).as("readable PNG").isNotNull();
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        byte[] head = Arrays.copyOf(Files.readAllBytes(plot), 8);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    @Test
    void weightsHaveTheTutorialsStateDictNames() throws Exception {
        var sd = SafeTensors.load(weights);
        assertThat(sd.keySet()).containsExactlyInAnyOrder("input_layer.weight", "input_layer.bias",
                "hidden_layer.weight", "hidden_layer.bias", "output_layer.weight", "output_layer.bias");
        assertThat(sd.get("input_layer.weight").shape().toArray()).containsExactly(100, 784);
        assertThat(sd.get("hidden_layer.weight").shape().toArray()).containsExactly(50, 100);
        assertThat(sd.get("output_layer.weight").shape().toArray()).containsExactly(10, 50);
        assertThat(SafeTensors.metadata(weights)).containsEntry("antorcha.dataset", "mnist");
    }

    @Test
    void lossesCsvHasOneFiniteRowPerIteration() {
        List<String> lines = Cli.csv(losses);
        assertThat(lines.getFirst()).isEqualTo("iteration,loss");
        assertThat(lines).hasSize(1 + 8); // ceil(1000 / 128) iterations
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            assertThat(f).hasSize(2);
            assertThat(Integer.parseInt(f[0])).isEqualTo(i - 1);
            assertThat(Double.parseDouble(f[1])).isFinite().isPositive();
        }
    }

    @Test
    void atomicWritesLeaveNoTemporaryFiles() throws Exception {
        assertThat(Cli.tempFiles(out)).isEmpty();
        try (var s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("losses.png", "classifier.safetensors", "losses.csv");
        }
    }

    @Test
    void outputsAreAsReadableAsAnyNewFile() throws Exception {
        assumeTrue(out.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        var expected = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("new-file")));
        assertThat(Files.getPosixFilePermissions(weights)).isEqualTo(expected);
        assertThat(Files.getPosixFilePermissions(plot)).isEqualTo(expected);
        assertThat(Files.getPosixFilePermissions(losses)).isEqualTo(expected);
    }

    @Test
    void evalReproducesTheAccuracyLineAndPrintsLossAndConfusionMatrix() {
        Cli.Result eval = Cli.ok("eval", "--weights", weights.toString(), "--root", root.toString(), "--no-download");
        List<String> lines = eval.outLines();
        assertThat(lines.getFirst()).isEqualTo(accuracyLine(train));
        assertThat(lines.get(1)).matches("mean loss: \\d+\\.\\d{4} \\(200 images\\)");
        int header = lines.indexOf("confusion matrix (rows: true class, columns: predicted)");
        assertThat(header).as("%s", eval).isPositive();
        assertThat(lines.get(header + 1).trim().split("\\s+")).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        long sum = 0, diagonal = 0;
        for (int i = 0; i < 10; i++) {
            String[] tok = lines.get(header + 2 + i).trim().split("\\s+");
            assertThat(tok[0]).isEqualTo(String.valueOf(i));
            for (int j = 0; j < 10; j++) {
                long c = Long.parseLong(tok[1 + j]);
                sum += c;
                if (i == j) diagonal += c;
            }
        }
        assertThat(sum).isEqualTo(200);
        assertThat(String.format(java.util.Locale.ROOT, "test accuracy: %.2f%%", 100.0 * diagonal / 200))
                .isEqualTo(accuracyLine(train));
        assertThat(eval.err()).isEmpty();
    }

    @Test
    void withoutQuietPlainProgressLinesAndAnEpochSummaryAreShown() throws Exception {
        Cli.Result r = Cli.ok(trainArgs(tmp.resolve("verbose"), "--seed", "1"));
        assertThat(r.out()).doesNotContain("\r").doesNotContain("\u001b");
        List<String> progress = r.outLines().stream().filter(l -> l.startsWith("epoch 1/1 [")).toList();
        assertThat(progress).as("%s", r).isNotEmpty();
        Pattern bar = Pattern.compile("epoch 1/1 \\[[=> ]{24}\\] (\\d+)/8  loss \\d+\\.\\d{4}  [\\d,]+ img/s");
        for (String l : progress) assertThat(l).matches(bar);
        Matcher last = bar.matcher(progress.getLast());
        assertThat(last.matches()).isTrue();
        assertThat(last.group(1)).isEqualTo("8");
        assertThat(r.outLines()).anySatisfy(l -> assertThat(l).matches(EPOCH));
        assertThat(r.outLines()).anySatisfy(l -> assertThat(l).startsWith("saved weights to "));
        // same seed as the quiet run: the same accuracy, in both places
        assertThat(accuracyLine(r)).isEqualTo(accuracyLine(train));
        String summary = r.outLines().stream().filter(l -> EPOCH.matcher(l).matches()).findFirst().orElseThrow();
        assertThat(summary).contains(accuracyLine(train).substring("test accuracy: ".length()));
        assertThat(r.outLines().getLast()).matches(TOTAL_TIME);
    }

    @Test
    void sameSeedGivesIdenticalLossesAndMatchesTheFirstRun() throws Exception {
        Cli.ok(trainArgs(tmp.resolve("seedA"), "--seed", "1", "--quiet"));
        Cli.ok(trainArgs(tmp.resolve("seedB"), "--seed", "1", "--quiet"));
        assertThat(Cli.csv(tmp.resolve("seedA/l.csv"))).isEqualTo(Cli.csv(tmp.resolve("seedB/l.csv")))
                .isEqualTo(Cli.csv(losses));
        assertThat(Files.readAllBytes(tmp.resolve("seedA/w.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("seedB/w.safetensors")));
    }

    @Test
    void threadCountDoesNotChangeTheLosses() throws Exception {
        Cli.ok(trainArgs(tmp.resolve("t1"), "--seed", "3", "--threads", "1", "--quiet"));
        Cli.ok(trainArgs(tmp.resolve("t2"), "--seed", "3", "--threads", "2", "--quiet"));
        assertThat(Cli.csv(tmp.resolve("t1/l.csv"))).isEqualTo(Cli.csv(tmp.resolve("t2/l.csv")));
        assertThat(Files.readAllBytes(tmp.resolve("t1/w.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("t2/w.safetensors")));
    }

    @Test
    void shuffleChangesTheLosses() throws Exception {
        Cli.ok(trainArgs(tmp.resolve("plain"), "--seed", "5", "--quiet"));
        Cli.ok(trainArgs(tmp.resolve("shuffled"), "--seed", "5", "--shuffle", "--quiet"));
        List<String> plain = Cli.csv(tmp.resolve("plain/l.csv")), shuffled = Cli.csv(tmp.resolve("shuffled/l.csv"));
        assertThat(shuffled).hasSameSizeAs(plain).isNotEqualTo(plain);
        // same seed, same initial weights: only the order of the batches differs
        assertThat(shuffled.get(1)).isNotEqualTo(plain.get(1));
    }
}
