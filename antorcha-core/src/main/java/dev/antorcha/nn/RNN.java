package dev.antorcha.nn;

import dev.antorcha.ops.RecurrentOps.Mode;
import dev.antorcha.tensor.Tensor;

/**
 * Elman RNN, PyTorch's {@code nn.RNN}: per layer and step {@code h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)}
 * with {@code act} tanh or relu ({@link RNNOptions#nonlinearity}). Input {@code [T, N, in]}
 * ({@code [N, T, in]} with batch_first, or unbatched {@code [T, in]}); output {@code [T, N, D·H]};
 * states {@code [layers·D, N, H]} (D = 2 when bidirectional).
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, RNNOptions.defaults().numLayers(2));
 * RNN.Output r = rnn.forward(Antorcha.randn(5, 3, 10), null);   // r.output() [5, 3, 20], r.hN() [2, 3, 20]
 * }</pre>
 */
public class RNN extends RNNBase {

    /** The output sequence {@code [T, N, D·H]} and the final hidden state {@code h_n [layers·D, N, H]} (RNN and GRU). */
    public record Output(Tensor output, Tensor hN) {
    }

    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RNNOptions.defaults());
    }

    public RNN(int inputSize, int hiddenSize, RNNOptions options) {
        super(mode(options), inputSize, hiddenSize, options);
    }

    private static Mode mode(RNNOptions options) {
        dev.antorcha.ops.Args.nonNull(options, "RNN", "options", "an RNNOptions");
        return switch (String.valueOf(options.nonlinearity())) {
            case "tanh" -> Mode.RNN_TANH;
            case "relu" -> Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("Unknown nonlinearity '" + options.nonlinearity() + "'");
        };
    }

    /** {@code output, h_n = rnn(x, h0)}; {@code h0} null means zeros. */
    public Output forward(Tensor input, Tensor h0) {
        Result r = run(input, h0, null);
        return new Output(r.output(), r.hN());
    }

    /** The output sequence of {@code rnn(x)} (zero initial state). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
