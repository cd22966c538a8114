package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.MnistCnn;
import dev.antorcha.examples.Net;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch's MNIST example translated to Java ({@link MnistCnn}) and its {@link Net}, on the committed fixture. */
class MnistCnnTest {

    @Test
    void theExampleRunsOneEpochAndLearns(@TempDir Path tmp) {
        Path root = Cli.mnistRoot(tmp.resolve("mnist_data"));
        Antorcha.manualSeed(1);
        double accuracy = MnistCnn.run(root.toString(), 1);
        assertThat(accuracy).as("test accuracy after 16 steps on 1,000 images; chance is 10%").isBetween(30.0, 100.0);
    }

    @Test
    void netHasThePythonNetsStateDictInItsOrder() {
        Net net = new Net();
        assertThat(net.stateDict().keySet()).containsExactly("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(net.toString()).contains("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))")
                .contains("Dropout(p=0.25").contains("Linear(in_features=9216, out_features=128, bias=True)");
    }

    @Test
    void dropoutActsInTrainingOnlyAndTheOutputIsLogProbabilities() {
        Antorcha.manualSeed(3);
        Net net = new Net();
        Tensor x = Antorcha.randn(2, 1, 28, 28);
        net.eval();
        Tensor a = net.forward(x), b = net.forward(x);
        assertThat(a.shape().toArray()).containsExactly(2, 10);
        assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
        float[] sums = a.exp().sum(1).toFloatArray();
        assertThat(sums[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        net.train();
        assertThat(net.forward(x).toFloatArray()).isNotEqualTo(net.forward(x).toFloatArray());
    }
}
