package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.MnistRnn;
import dev.antorcha.examples.RnnNet;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's MNIST RNN example: the Java program ({@link MnistRnn}), its {@link RnnNet}, and
 * {@code antorcha train --model mnist-rnn}, on the committed fixture.
 */
@org.junit.jupiter.api.extension.ExtendWith(RestoresThreads.class)
class MnistRnnTrainTest {
    @TempDir
    static Path tmp;
    static Path root, out;
    static Cli.Result train;

    /** PyTorch's mnist_rnn Net().state_dict().keys(), in order. */
    static final List<String> KEYS = List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "batchnorm.weight", "batchnorm.bias", "batchnorm.running_mean", "batchnorm.running_var",
            "batchnorm.num_batches_tracked", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    @BeforeAll
    static void trainOnce() throws Exception {
        root = Cli.mnistRoot(tmp.resolve("data"));
        out = Files.createDirectories(tmp.resolve("out"));
        // the recipe's Adadelta lr of 0.1 needs hundreds of steps to leave chance: 1.0 learns in the fixture's 32
        train = Cli.ok("train", "--model", "mnist-rnn", "--seed", "1", "--root", root.toString(), "--no-download",
                "--epochs", "2", "--lr", "1.0", "--plot", out.resolve("p.png").toString(), "--save", out.resolve("w.safetensors").toString(),
                "--losses", out.resolve("l.csv").toString());
    }

    @Test
    void netHasThePythonNetsStateDictInItsOrder() {
        RnnNet net = new RnnNet();
        assertThat(net.stateDict().keySet()).containsExactlyElementsOf(KEYS);
        assertThat(net.stateDict().get("rnn.weight_ih_l0").shape().toArray()).containsExactly(4 * 64, 28);
        assertThat(net.stateDict().get("rnn.weight_hh_l0").shape().toArray()).containsExactly(4 * 64, 64);
    }

    @Test
    void weightsHaveTheNetsNamesAndTheModelsKind() throws Exception {
        var sd = SafeTensors.load(out.resolve("w.safetensors"));
        assertThat(sd.keySet()).containsExactlyInAnyOrderElementsOf(KEYS);
        assertThat(SafeTensors.metadata(out.resolve("w.safetensors"))).containsEntry("antorcha.model", "mnist-rnn");
        // the batch norm counted the 32 training batches
        assertThat(sd.get("batchnorm.num_batches_tracked").longItem()).isEqualTo(32);
    }

    @Test
    void theRecipesBatchOf64AndItLearns() throws Exception {
        // the fixture's 1,000 training images in batches of 64: 16 iterations an epoch
        List<String> rows = Files.readAllLines(out.resolve("l.csv"));
        assertThat(rows).hasSize(1 + 32);
        assertThat(mean(rows.subList(25, 33))).isLessThan(mean(rows.subList(1, 9)) - 0.2);
        assertThat(train.out()).contains("epoch 2/2: mean loss ");
        String acc = TrainEvalTest.accuracyLine(train);
        assertThat(Double.parseDouble(acc.replaceAll("[^0-9.]", ""))).isGreaterThan(25.0);   // chance is 10%
    }

    @Test
    void evalReadsTheWeightsAndReproducesTheAccuracy() {
        Cli.Result eval = Cli.ok("eval", "--weights", out.resolve("w.safetensors").toString(), "--root", root.toString(),
                "--no-download");
        assertThat(TrainEvalTest.accuracyLine(eval)).isEqualTo(TrainEvalTest.accuracyLine(train));
    }

    @Test
    void predictReadsTheWeights() throws Exception {
        Path png = tmp.resolve("digit.png");
        assertThat(javax.imageio.ImageIO.write(PredictCommandTest.gray(Cli.testImage(0)), "png", png.toFile())).isTrue();
        Cli.Result r = Cli.ok("predict", "--weights", out.resolve("w.safetensors").toString(), png.toString());
        assertThat(r.outLines()).anyMatch(l -> PredictCommandTest.LINE.matcher(l).matches() && l.startsWith(png.toString()));
    }

    @Test
    void theExampleProgramLearns() {
        Antorcha.manualSeed(1);
        double accuracy = MnistRnn.run(root.toString(), 2, 1.0);
        assertThat(accuracy).as("test accuracy after 32 steps on 1,000 images; chance is 10%").isBetween(25.0, 100.0);
    }

    private static double mean(List<String> csvRows) {
        return csvRows.stream().mapToDouble(r -> Double.parseDouble(r.split(",")[1])).average().orElseThrow();
    }

    @Test
    void theOutputIsLogProbabilitiesOfTheLastRow() {
        Antorcha.manualSeed(3);
        RnnNet net = new RnnNet();
        net.eval();
        Tensor x = Antorcha.randn(3, 1, 28, 28);
        Tensor y = net.forward(x);
        assertThat(y.shape().toArray()).containsExactly(3, 10);
        float[] sums = y.exp().sum(1).toFloatArray();
        for (float s : sums) assertThat(s).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        // only the LSTM's last output feeds the classifier, and it has read every row: the first row matters
        Tensor x2 = x.clone();
        x2.narrow(2, 0, 1).zero_();
        assertThat(net.forward(x2).toFloatArray()).isNotEqualTo(y.toFloatArray());
    }
}
