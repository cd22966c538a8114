package dev.antorcha.cli;

import dev.antorcha.examples.Classifier;
import dev.antorcha.examples.Net;
import dev.antorcha.examples.RnnNet;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.nn.Loss;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.NLLLoss;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.transforms.Compose;
import dev.antorcha.vision.transforms.Image;
import dev.antorcha.vision.transforms.Normalize;
import dev.antorcha.vision.transforms.ToTensor;
import dev.antorcha.vision.transforms.Transform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The networks {@code train --model} knows, each with its recipe: the defaults of the options that
 * the recipe fixes, its input transform, its loss, and how its weights file names it.
 */
enum ModelKind {
    /** The tutorial's network: three Linear layers, cross-entropy, Adam 0.001, batch 128 in order, 3 epochs. */
    MLP("mlp", "tutorial-classifier", new Recipe(3, 128, 0.001, "adam", 0, false, 1000)) {
        @Override
        Module create(int[] hidden) {
            return new Classifier(hidden[0], hidden[1]);
        }

        @Override
        Transform<Image, Tensor> transform() {
            return Compose.of(new ToTensor());
        }

        @Override
        Loss loss() {
            return new CrossEntropyLoss();
        }

        @Override
        Tensor input(Tensor pixels) {
            return pixels;
        }

        @Override
        long parameterCount(int[] hidden) {
            return 784L * hidden[0] + hidden[0] + (long) hidden[0] * hidden[1] + hidden[1] + hidden[1] * 10L + 10;
        }

        @Override
        Module fromState(Map<String, Tensor> state, Path file) {
            Tensor w1 = state.get("input_layer.weight"), w2 = state.get("hidden_layer.weight");
            if (w1 == null || w2 == null || w1.dim() != 2 || w2.dim() != 2) {
                throw new IllegalArgumentException(file + " does not hold the tutorial's classifier "
                        + "(expected input_layer.weight and hidden_layer.weight; found " + state.keySet() + ")");
            }
            return new Classifier(w1.size(0), w2.size(0));
        }
    },

    /**
     * PyTorch's MNIST example (pytorch/examples, mnist/main.py): two convolutions, max pooling,
     * dropout, log-softmax and NLL loss, Adadelta 1.0 with StepLR(1, 0.7), batch 64 shuffled,
     * 14 epochs, {@code ToTensor()} then {@code Normalize((0.1307,), (0.3081,))}.
     */
    CNN("cnn", "mnist-cnn", new Recipe(14, 64, 1.0, "adadelta", 1, true, 64)) {
        @Override
        Module create(int[] hidden) {
            return new Net();
        }

        @Override
        long parameterCount(int[] hidden) {
            return 32 * 9 + 32 + 64 * 32 * 9 + 64 + 9216L * 128 + 128 + 128 * 10 + 10;
        }

        @Override
        Module fromState(Map<String, Tensor> state, Path file) {
            requireKeys(state, file, "the MNIST CNN", "conv1.weight ... fc2.bias", "conv1.weight", "fc1.weight");
            return new Net();
        }
    },

    /**
     * PyTorch's MNIST recurrent example (pytorch/examples, mnist_rnn/main.py): an LSTM reads each
     * image's 28 rows, its last output goes through BatchNorm1d, dropout and two Linear layers,
     * log-softmax and NLL loss; Adadelta 0.1 with StepLR(1, 0.7), batch 64 shuffled, 14 epochs,
     * the CNN's normalized input.
     */
    MNIST_RNN("mnist-rnn", "mnist-rnn", new Recipe(14, 64, 0.1, "adadelta", 1, true, 250)) {
        @Override
        Module create(int[] hidden) {
            return new RnnNet();
        }

        @Override
        long parameterCount(int[] hidden) {
            // LSTM(28, 64): 4 gates; BatchNorm1d(64) with its running statistics and count; fc1; fc2
            return 4 * 64 * (28 + 64) + 2 * 4 * 64 + 4 * 64 + 1 + 64 * 32 + 32 + 32 * 10 + 10;
        }

        @Override
        Module fromState(Map<String, Tensor> state, Path file) {
            requireKeys(state, file, "the MNIST RNN", "rnn.weight_ih_l0 ... fc2.bias", "rnn.weight_ih_l0", "batchnorm.running_mean");
            return new RnnNet();
        }
    };

    /** The MNIST examples' normalization: the training set's mean and standard deviation. */
    private static final Normalize NORMALIZE = new Normalize(0.1307f, 0.3081f);

    /** The option names for help texts and messages (annotations need a constant; a test checks it). */
    static final String NAMES = "mlp, cnn or mnist-rnn";

    /**
     * What a recipe fixes; the command line may override each but {@code testBatch}, the images per
     * forward pass of the per-epoch test (any size gives the same outputs in eval mode; the CNN's
     * activations of 1,000 images would take some 400 MB).
     */
    record Recipe(int epochs, int batchSize, double lr, String optimizer, int lrStep, boolean shuffle, int testBatch) {
    }

    final String option;
    /** The {@code antorcha.model} metadata of its weights files. */
    final String fileName;
    final Recipe recipe;

    ModelKind(String option, String fileName, Recipe recipe) {
        this.option = option;
        this.fileName = fileName;
        this.recipe = recipe;
    }

    /** A freshly initialised network ({@code hidden} applies to the MLP only). */
    abstract Module create(int[] hidden);

    /**
     * From a data set's image to the network's input; pytorch/examples' MNIST programs (the CNN,
     * the RNN) normalize with the training set's statistics.
     */
    Transform<Image, Tensor> transform() {
        return Compose.of(new ToTensor(), NORMALIZE);
    }

    /** {@link #transform()}'s work after {@code ToTensor}, for images that come as pixels in [0, 1]. */
    Tensor input(Tensor pixels) {
        return NORMALIZE.apply(pixels);
    }

    /**
     * The training loss, applied to the network's output and the labels; pytorch/examples' networks
     * end in log_softmax, as their {@code F.nll_loss} expects.
     */
    Loss loss() {
        return new NLLLoss();
    }

    /** The number of parameters, for the size of the weights file. */
    abstract long parameterCount(int[] hidden);

    /** An uninitialised network shaped like the weights in {@code state}, or a message naming the file. */
    abstract Module fromState(Map<String, Tensor> state, Path file);

    /** Refuses a weights file that lacks one of {@code keys}, naming the model it should hold. */
    private static void requireKeys(Map<String, Tensor> state, Path file, String model, String expected, String... keys) {
        for (String k : keys) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException(file + " does not hold " + model + " (expected " + expected + "; found "
                        + state.keySet() + ")");
            }
        }
    }

    static ModelKind parse(String s) {
        for (ModelKind m : values()) if (m.option.equalsIgnoreCase(s)) return m;
        throw new UsageException("unknown model '" + s + "' (expected " + NAMES + ")");
    }

    /** The kind whose weights files carry {@code fileName}; files without the metadata are the tutorial's. */
    static ModelKind ofFile(String fileName, Path file) {
        if (fileName == null) return MLP;
        for (ModelKind m : values()) if (m.fileName.equals(fileName)) return m;
        throw new IllegalArgumentException(file + " holds a model '" + fileName + "' that this version does not know (it knows "
                + List.of(values()).stream().map(m -> m.fileName).toList() + ")");
    }

    @Override
    public String toString() {
        return option;
    }
}
