package dev.antorcha.nn;

/**
 * The keyword arguments of PyTorch's {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} beyond
 * {@code (input_size, hidden_size)}: {@code num_layers}, {@code bias}, {@code batch_first},
 * {@code dropout} (between layers, in training), {@code bidirectional}, and the plain RNN's
 * {@code nonlinearity} ({@code "tanh"} or {@code "relu"}; the LSTM and GRU ignore it). The layers
 * check the values, with PyTorch's messages.
 *
 * <pre>{@code
 * new LSTM(200, 200, RNNOptions.defaults().numLayers(2).dropout(0.2));
 * }</pre>
 */
public record RNNOptions(int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional,
                         String nonlinearity) {

    /** torch's defaults: one layer, biases, {@code [T, N, *]} sequences, no dropout, one direction, tanh. */
    public static RNNOptions defaults() {
        return new RNNOptions(1, true, false, 0, false, "tanh");
    }

    public RNNOptions numLayers(int n) {
        return new RNNOptions(n, bias, batchFirst, dropout, bidirectional, nonlinearity);
    }

    public RNNOptions bias(boolean b) {
        return new RNNOptions(numLayers, b, batchFirst, dropout, bidirectional, nonlinearity);
    }

    /** {@code true}: input and output are {@code [N, T, *]}; the states stay {@code [layers·directions, N, H]}. */
    public RNNOptions batchFirst(boolean b) {
        return new RNNOptions(numLayers, bias, b, dropout, bidirectional, nonlinearity);
    }

    /** Dropout probability on the outputs of every layer but the last, in training mode. */
    public RNNOptions dropout(double p) {
        return new RNNOptions(numLayers, bias, batchFirst, p, bidirectional, nonlinearity);
    }

    public RNNOptions bidirectional(boolean b) {
        return new RNNOptions(numLayers, bias, batchFirst, dropout, b, nonlinearity);
    }

    /** {@code "tanh"} or {@code "relu"} (plain RNN only). */
    public RNNOptions nonlinearity(String name) {
        return new RNNOptions(numLayers, bias, batchFirst, dropout, bidirectional, name);
    }
}
