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
 * PyTorch's MNIST recurrent example (pytorch/examples, {@code mnist_rnn/main.py}) translated line
 * for line: the {@link RnnNet} (an LSTM over the 28 rows of each image), Adadelta with lr 0.1,
 * StepLR with gamma 0.7, batches of 64 shuffled, test batches of 1000,
 * {@code ToTensor} + {@code Normalize((0.1307,), (0.3081,))}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp antorcha.jar dev.antorcha.examples.MnistRnn [ROOT] [EPOCHS] [SEED] [LR]
 * </pre>
 * {@code antorcha train --model mnist-rnn} runs the same recipe with progress, plot and weights.
 */
public final class MnistRnn {
    private MnistRnn() {
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        String root = args.length > 0 ? args[0] : "mnist_data";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 14;
        Antorcha.manualSeed(args.length > 2 ? Long.parseLong(args[2]) : 1);
        double accuracy = run(root, epochs, args.length > 3 ? Double.parseDouble(args[3]) : 0.1);
        System.out.printf(Locale.ROOT, "test accuracy: %.2f%%%n", accuracy);
        System.out.printf(Locale.ROOT, "total time: %.2f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** The example's program with its learning rate of 0.1; returns the test accuracy after the last epoch, in percent. */
    public static double run(String root, int epochs) {
        return run(root, epochs, 0.1);
    }

    /** The example's program with the learning rate of its {@code --lr} option; returns the final test accuracy, in percent. */
    public static double run(String root, int epochs, double lr) {
        var t = Compose.of(new ToTensor(), new Normalize(new float[] {0.1307f}, new float[] {0.3081f}));
        var train = new MNIST<>(root, true, t, true);
        var test = new MNIST<>(root, false, t, true);
        var trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).build();
        var testLoader = DataLoader.of(test, 1000);
        RnnNet model = new RnnNet();
        Optimizer optimizer = new Adadelta(model.parameters(), lr);
        StepLR scheduler = new StepLR(optimizer, 1, 0.7);
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long tEpoch = System.nanoTime();
            model.train();
            for (Batch b : trainLoader) {
                optimizer.zeroGrad();
                Tensor loss = F.nllLoss(model.forward(b.input()), b.target());
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
            System.out.printf(Locale.ROOT, "epoch %d: %.2f s, test accuracy %.2f%%%n", epoch,
                    (System.nanoTime() - tEpoch) / 1e9, accuracy);
        }
        return accuracy;
    }
}
