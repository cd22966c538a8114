package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * One Elman RNN step, PyTorch's {@code nn.RNNCell}: {@code h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)},
 * {@code act} tanh or relu; {@code x [N, in]}, {@code h [N, H]} (or unbatched {@code [in]}, {@code [H]}).
 *
 * <pre>{@code
 * RNNCell cell = new RNNCell(10, 20);
 * Tensor h = cell.forward(x, null);   // [N, 20]
 * }</pre>
 */
public class RNNCell extends RNNCellBase {
    private final String nonlinearity;

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super(inputSize, hiddenSize, bias, 1);
        if (!"tanh".equals(nonlinearity) && !"relu".equals(nonlinearity)) {
            throw new IllegalArgumentException("Unknown nonlinearity: " + nonlinearity);
        }
        this.nonlinearity = nonlinearity;
    }

    /** {@code h' = cell(x, h)}; {@code h} null means zeros. */
    public Tensor forward(Tensor input, Tensor h) {
        Tensor x = batchedInput(input);
        boolean batched = input.dim() == 2;
        Tensor pre = hiddenGates(state(h, x, batched, 0)).add(inputGates(x));
        Tensor out = nonlinearity.equals("tanh") ? pre.tanh() : pre.relu();
        return batched ? out : out.squeeze(0);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + (nonlinearity.equals("tanh") ? "" : ", nonlinearity=" + nonlinearity);
    }
}
