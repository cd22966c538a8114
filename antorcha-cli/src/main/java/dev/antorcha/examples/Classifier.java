package dev.antorcha.examples;

import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.ReLU;
import dev.antorcha.tensor.Tensor;

/**
 * The tutorial's network: {@code [N, 1, 28, 28] → [N, 10]} logits through two ReLU hidden
 * layers, with the tutorial's state-dict names ({@code input_layer.weight}, ...).
 *
 * <pre>{@code
 * Classifier classifier = new Classifier();          // 784 → 100 → 50 → 10
 * Tensor output = classifier.forward(images);         // [128, 10]
 * }</pre>
 */
public class Classifier extends Module {
    // definimos la red neuronal
    public final Linear inputLayer;
    public final Linear hiddenLayer;
    public final Linear outputLayer;
    public final ReLU activation;

    public Classifier() {
        this(100, 50);
    }

    /** The same network with other hidden sizes ({@code --hidden 100,50}). */
    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public Classifier(int hidden1, int hidden2) {
        inputLayer = registerModule("input_layer", new Linear(28 * 28, hidden1));
        hiddenLayer = registerModule("hidden_layer", new Linear(hidden1, hidden2));
        outputLayer = registerModule("output_layer", new Linear(hidden2, 10));
        activation = registerModule("activation", new ReLU());
    }

    @Override
    public Tensor forward(Tensor inputImage) {
        inputImage = inputImage.view(-1, 28 * 28);
        Tensor output = activation.forward(inputLayer.forward(inputImage));
        output = activation.forward(hiddenLayer.forward(output));
        output = outputLayer.forward(output);
        return output;
    }
}
