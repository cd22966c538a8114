package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code antorcha train --model cnn}: PyTorch's MNIST example as a model of the command, on the committed fixture. */
@org.junit.jupiter.api.extension.ExtendWith(RestoresThreads.class)
class CnnTrainTest {
    @TempDir
    static Path tmp;
    static Path root, out;
    static Cli.Result train;

    @BeforeAll
    static void trainOnce() throws Exception {
        root = Cli.mnistRoot(tmp.resolve("data"));
        out = Files.createDirectories(tmp.resolve("out"));
        train = Cli.ok(args(out, "--model", "cnn", "--seed", "1", "--quiet"));
    }

    /** One epoch on the fixture with outputs in {@code dir} (TrainEvalTest's options, this class's data folder). */
    static String[] args(Path dir, String... more) throws Exception {
        Files.createDirectories(dir);
        List<String> a = new java.util.ArrayList<>(List.of("train", "--root", root.toString(), "--no-download", "--epochs", "1",
                "--plot", dir.resolve("p.png").toString(), "--save", dir.resolve("w.safetensors").toString(),
                "--losses", dir.resolve("l.csv").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void weightsHaveTheExampleNetsStateDictNamesAndShapes() throws Exception {
        var sd = SafeTensors.load(out.resolve("w.safetensors"));
        assertThat(sd.keySet()).containsExactlyInAnyOrder("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(sd.get("conv1.weight").shape().toArray()).containsExactly(32, 1, 3, 3);
        assertThat(sd.get("conv2.weight").shape().toArray()).containsExactly(64, 32, 3, 3);
        assertThat(sd.get("fc1.weight").shape().toArray()).containsExactly(128, 9216);
        assertThat(sd.get("fc2.weight").shape().toArray()).containsExactly(10, 128);
        assertThat(SafeTensors.metadata(out.resolve("w.safetensors"))).containsEntry("antorcha.model", "mnist-cnn");
    }

    @Test
    void theRecipesBatchOf64AndItLearns() throws Exception {
        // the fixture's 1,000 training images in batches of 64: 16 iterations
        List<String> rows = Files.readAllLines(out.resolve("l.csv"));
        assertThat(rows).hasSize(1 + 16);
        double first = Double.parseDouble(rows.get(1).split(",")[1]), last = Double.parseDouble(rows.get(16).split(",")[1]);
        assertThat(first).isGreaterThan(2.0);   // about log(10) before any step
        assertThat(last).isLessThan(first);
        String acc = TrainEvalTest.accuracyLine(train);
        assertThat(Double.parseDouble(acc.replaceAll("[^0-9.]", ""))).isGreaterThan(30.0);   // chance is 10%
    }

    @Test
    void evalReadsTheCnnWeightsAndReproducesTheAccuracy() {
        Cli.Result eval = Cli.ok("eval", "--weights", out.resolve("w.safetensors").toString(), "--root", root.toString(),
                "--no-download");
        assertThat(TrainEvalTest.accuracyLine(eval)).isEqualTo(TrainEvalTest.accuracyLine(train));
    }

    /**
     * The launcher gives eval a heap of 512 MB. A CNN's activations of 1,000 images (its convolutions'
     * outputs alone are 86 and 147 MB) did not fit it: eval now takes the recipe's test batch, 64, as
     * train does. 1,000 test images (the fixture's 200, five times) in a JVM with the launcher's heap.
     */
    @Test
    void evalOfTheCnnFitsTheLaunchersHeap() throws Exception {
        Path big = tmp.resolve("thousand");
        Path raw = Files.createDirectories(big.resolve("MNIST").resolve("raw"));
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) {
            Files.copy(root.resolve("MNIST").resolve("raw").resolve(f), raw.resolve(f));
        }
        byte[] images = Files.readAllBytes(root.resolve("MNIST/raw/t10k-images-idx3-ubyte"));
        byte[] labels = Files.readAllBytes(root.resolve("MNIST/raw/t10k-labels-idx1-ubyte"));
        Files.write(raw.resolve("t10k-images-idx3-ubyte"), repeated(images, 16, 5));
        Files.write(raw.resolve("t10k-labels-idx1-ubyte"), repeated(labels, 8, 5));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "eval",
                "--weights", out.resolve("w.safetensors").toString(), "--root", big.toString(), "--no-download")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).contains("(1000 images)");
    }

    /** An IDX file's items {@code times} over, its count (the big-endian int at 4) multiplied. */
    private static byte[] repeated(byte[] idx, int header, int times) {
        int items = idx.length - header;
        byte[] r = java.util.Arrays.copyOf(idx, header + items * times);
        for (int k = 1; k < times; k++) System.arraycopy(idx, header, r, header + k * items, items);
        java.nio.ByteBuffer.wrap(r).putInt(4, java.nio.ByteBuffer.wrap(idx).getInt(4) * times);
        return r;
    }

    @Test
    void theRecipeShufflesAndNoShuffleTurnsItOff() throws Exception {
        Cli.ok(args(tmp.resolve("ordered"), "--model", "cnn", "--seed", "1", "--quiet", "--no-shuffle"));
        assertThat(Files.readAllLines(tmp.resolve("ordered").resolve("l.csv")))
                .isNotEqualTo(Files.readAllLines(out.resolve("l.csv")));
    }

    @Test
    void hiddenSizesBelongToTheMlp() {
        ErrorPathsTest.oneLineError(2, "train", "--model", "cnn", "--hidden", "10,10", "--root", root.toString(),
                "--no-download").contains("--hidden").contains("cnn");
    }
}
