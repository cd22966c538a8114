package dev.antorcha.examples;

import dev.antorcha.nn.BatchNorm1d;
import dev.antorcha.nn.Dropout2d;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.RNNOptions;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/**
 * PyTorch's MNIST recurrent network (pytorch/examples, {@code mnist_rnn/main.py}'s {@code Net}):
 * each image read as 28 rows of 28 pixels by an LSTM, whose last output goes through batch
 * normalisation, dropout and two linear layers. {@code [N, 1, 28, 28] → [N, 10]} log-probabilities.
 * Its state dict has the Python class's names ({@code rnn.weight_ih_l0}, ..., {@code batchnorm.running_var},
 * ..., {@code fc2.bias}), so weights saved here load into the Python {@code Net} with {@code strict=True}.
 *
 * <pre>{@code
 * RnnNet model = new RnnNet();
 * Tensor logProbs = model.forward(images);   // [64, 1, 28, 28] -> [64, 10]
 * }</pre>
 */
// Registration hands `this` to Module's maps before the fields below are all set; Module only
// stores the reference, as PyTorch's __init__ does, so nothing reads a half-built network.
@SuppressWarnings("this-escape")
public class RnnNet extends Module {
    public final LSTM rnn = registerModule("rnn", new LSTM(28, 64, RNNOptions.defaults().batchFirst(true)));
    public final BatchNorm1d batchnorm = registerModule("batchnorm", new BatchNorm1d(64));
    // Dropout2d on [N, 64]: PyTorch 1.13 reads a 2-D input as [N, C] and drops single features.
    public final Dropout2d dropout1 = registerModule("dropout1", new Dropout2d(0.25));
    public final Dropout2d dropout2 = registerModule("dropout2", new Dropout2d(0.5));
    public final Linear fc1 = registerModule("fc1", new Linear(64, 32));
    public final Linear fc2 = registerModule("fc2", new Linear(32, 10));

    @Override
    public Tensor forward(Tensor input) {
        // Shape of input is (batch_size, 1, 28, 28): the 28 rows are the sequence, each of 28 features.
        Tensor output = rnn.forward(input.reshape(-1, 28, 28));   // [N, 28, 64]
        Tensor x = dropout1.forward(batchnorm.forward(output.select(1, output.size(1) - 1)));   // the last step
        x = dropout2.forward(F.relu(fc1.forward(x)));
        return F.logSoftmax(fc2.forward(x), 1);
    }
}
