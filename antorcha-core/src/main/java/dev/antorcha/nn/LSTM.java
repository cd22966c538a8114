package dev.antorcha.nn;

import dev.antorcha.ops.RecurrentOps.Mode;
import dev.antorcha.tensor.Tensor;

/**
 * Long short-term memory, PyTorch's {@code nn.LSTM} (gate blocks i, f, g, o:
 * {@code c' = σ(f)·c + σ(i)·tanh(g)}, {@code h' = σ(o)·tanh(c')}). Shapes and options as
 * {@link RNN}, with a cell state beside the hidden state.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(10, 20, RNNOptions.defaults().numLayers(2));
 * LSTM.Output r = lstm.forward(x, new LSTM.State(h0, c0));   // output, (h_n, c_n) = lstm(x, (h0, c0))
 * }</pre>
 */
public class LSTM extends RNNBase {

    /** {@code (h, c)}: hidden and cell state, {@code [layers·D, N, H]} each ({@code [N, H]} for a cell). */
    public record State(Tensor h, Tensor c) {
    }

    /** The output sequence {@code [T, N, D·H]} and the final state {@code (h_n, c_n)}. */
    public record Output(Tensor output, State state) {
    }

    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RNNOptions.defaults());
    }

    public LSTM(int inputSize, int hiddenSize, RNNOptions options) {
        super(Mode.LSTM, inputSize, hiddenSize, options);
    }

    /** {@code output, (h_n, c_n) = lstm(x, (h0, c0))}; {@code state} null means zeros. */
    public Output forward(Tensor input, State state) {
        if (state != null && (state.h() == null || state.c() == null)) {
            throw new IllegalArgumentException("LSTM: the state must hold both h and c (or be null for zeros), got "
                    + (state.h() == null ? "h null" : "c null"));
        }
        Result r = run(input, state == null ? null : state.h(), state == null ? null : state.c());
        return new Output(r.output(), new State(r.hN(), r.cN()));
    }

    /** The output sequence of {@code lstm(x)} (zero initial state). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
