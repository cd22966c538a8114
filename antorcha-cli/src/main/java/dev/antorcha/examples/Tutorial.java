package dev.antorcha.examples;

import dev.antorcha.cli.LossPlot;
import dev.antorcha.data.Batch;
import dev.antorcha.data.DataLoader;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.MNIST;
import dev.antorcha.vision.transforms.Compose;
import dev.antorcha.vision.transforms.ToTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch tutorial, translated line for line (see README): MNIST through
 * {@code Compose([ToTensor()])}, a {@code DataLoader} of 128, the {@link Classifier}, cross-entropy,
 * Adam with lr 0.001, 3 epochs, and the plot of the loss of every iteration.
 *
 * <pre>
 * java -cp antorcha.jar dev.antorcha.examples.Tutorial [ROOT] [PLOT.png]
 * </pre>
 */
public final class Tutorial {
    private Tutorial() {
    }

    public static void main(String[] args) throws Exception {
        String root = args.length > 0 ? args[0] : "mnist_data";
        Path plot = Path.of(args.length > 1 ? args[1] : "losses.png");
        List<Float> losses = run(root, 3, plot);
        System.out.printf("iterations: %d, last loss %.4f%n", losses.size(), losses.get(losses.size() - 1));
    }

    /** The tutorial's program; returns the loss of every iteration. */
    public static List<Float> run(String root, int epochs, Path plotFile) throws Exception {
        var T = Compose.of(new ToTensor());
        var images = new MNIST<>(root, true, T, true);
        var imageLoader = DataLoader.of(images, 128);

        Classifier classifier = new Classifier();
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        var parameters = classifier.parameters();
        Optimizer optimizer = new Adam(parameters, 0.001);
        int iterations = 0;
        List<Float> losses = new ArrayList<>();

        for (int e = 0; e < epochs; e++) {
            for (Batch batch : imageLoader) {
                Tensor output = classifier.forward(batch.input());
                classifier.zeroGrad();
                Tensor error = lossFunction.forward(output, batch.target());
                error.backward();
                optimizer.step();
                iterations += 1;
                losses.add(error.item());
            }
        }

        LossPlot.builder(losses).iterationsPerEpoch(iterations / epochs).build().save(plotFile);
        return losses;
    }
}
