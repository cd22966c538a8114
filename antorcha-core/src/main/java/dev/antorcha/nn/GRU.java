package dev.antorcha.nn;

import dev.antorcha.ops.RecurrentOps.Mode;
import dev.antorcha.tensor.Tensor;

/**
 * Gated recurrent unit, PyTorch's {@code nn.GRU} (gate blocks r, z, n; {@code b_hn} inside the
 * reset product: {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))}, {@code h' = (1 - z)·n + z·h}).
 * Shapes and options as {@link RNN}; returns {@link RNN.Output}.
 *
 * <pre>{@code
 * GRU gru = new GRU(10, 20);
 * RNN.Output r = gru.forward(Antorcha.randn(5, 3, 10), null);   // r.hN() [1, 3, 20]
 * }</pre>
 */
public class GRU extends RNNBase {

    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RNNOptions.defaults());
    }

    public GRU(int inputSize, int hiddenSize, RNNOptions options) {
        super(Mode.GRU, inputSize, hiddenSize, options);
    }

    /** {@code output, h_n = gru(x, h0)}; {@code h0} null means zeros. */
    public RNN.Output forward(Tensor input, Tensor h0) {
        Result r = run(input, h0, null);
        return new RNN.Output(r.output(), r.hN());
    }

    /** The output sequence of {@code gru(x)} (zero initial state). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
