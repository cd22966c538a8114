package dev.antorcha.examples;

import dev.antorcha.Antorcha;
import dev.antorcha.data.Batch;
import dev.antorcha.data.DataLoader;
import dev.antorcha.nn.functional.F;
import dev.antorcha.optim.Adadelta;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.StepLR;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.MNIST;
import dev.antorcha.vision.transforms.Compose;
import dev.antorcha.vision.transforms.Normalize;
import dev.antorcha.vision.transforms.ToTensor;
import java.util.Locale;

/**
 * PyTorch's MNIST example (pytorch/examples, {@code mnist/main.py}) translated line for line (see
 * README): the {@link Net}, Adadelta with lr 1.0, StepLR with gamma 0.7, batches of 64 shuffled,
 * test batches of 1000, {@code ToTensor} + {@code Normalize((0.1307,), (0.3081,))}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp antorcha.jar dev.antorcha.examples.MnistCnn [ROOT] [EPOCHS] [SEED]
 * </pre>
 */
public final class MnistCnn {
    private MnistCnn() {
    }

    public static void main(String[] args) {
        String root = args.length > 0 ? args[0] : "mnist_data";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 14;
        Antorcha.manualSeed(args.length > 2 ? Long.parseLong(args[2]) : 1);
        double accuracy = run(root, epochs);
        System.out.printf(Locale.ROOT, "test accuracy: %.2f%%%n", accuracy);
    }

    /** The example's program; returns the test accuracy after the last epoch, in percent. */
    public static double run(String root, int epochs) {
        var t = Compose.of(new ToTensor(), new Normalize(new float[] {0.1307f}, new float[] {0.3081f}));
        var train = new MNIST<>(root, true, t, true);
        var test = new MNIST<>(root, false, t, true);
        var trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).build();
        var testLoader = DataLoader.of(test, 1000);
        Net model = new Net();
        Optimizer optimizer = new Adadelta(model.parameters(), 1.0);
        StepLR scheduler = new StepLR(optimizer, 1, 0.7);
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            Tensor loss = null;
            for (Batch b : trainLoader) {
                optimizer.zeroGrad();
                loss = F.nllLoss(model.forward(b.input()), b.target());
                loss.backward();
                optimizer.step();
            }
            model.eval();
            long correct = 0;
            try (var _ = Antorcha.noGrad()) {
                for (Batch b : testLoader) {
                    correct += model.forward(b.input()).argmax(1).eq(b.target()).sum().longItem();
                }
            }
            scheduler.step();
            accuracy = 100.0 * correct / test.size();
            System.out.printf(Locale.ROOT, "epoch %d: last loss %.4f, test accuracy %.2f%%%n", epoch, loss.item(), accuracy);
        }
        return accuracy;
    }
}
