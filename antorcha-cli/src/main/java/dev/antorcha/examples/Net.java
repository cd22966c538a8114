package dev.antorcha.examples;

import dev.antorcha.nn.Conv2d;
import dev.antorcha.nn.Dropout;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/**
 * PyTorch's MNIST convolutional network (pytorch/examples, {@code mnist/main.py}), written as its
 * {@code Net} is: {@code [N, 1, 28, 28] → [N, 10]} log-probabilities. Its state dict has the
 * Python class's names ({@code conv1.weight}, ..., {@code fc2.bias}), so weights saved here load
 * into the Python {@code Net} with {@code strict=True} and back.
 *
 * <pre>{@code
 * Net model = new Net();
 * Tensor logProbs = model.forward(images);   // [64, 1, 28, 28] -> [64, 10]
 * }</pre>
 */
// Registration hands `this` to Module's maps before the fields below are all set; Module only
// stores the reference, as PyTorch's __init__ does, so nothing reads a half-built Net.
@SuppressWarnings("this-escape")
public class Net extends Module {
    public final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 32, 3, 1));
    public final Conv2d conv2 = registerModule("conv2", new Conv2d(32, 64, 3, 1));
    public final Dropout dropout1 = registerModule("dropout1", new Dropout(0.25));
    public final Dropout dropout2 = registerModule("dropout2", new Dropout(0.5));
    public final Linear fc1 = registerModule("fc1", new Linear(9216, 128));
    public final Linear fc2 = registerModule("fc2", new Linear(128, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = F.relu(conv1.forward(x));
        x = F.relu(conv2.forward(x));
        x = F.maxPool2d(x, 2);
        x = dropout1.forward(x);
        x = x.flatten(1);
        x = F.relu(fc1.forward(x));
        x = dropout2.forward(x);
        return F.logSoftmax(fc2.forward(x), 1);
    }
}
