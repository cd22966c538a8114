package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * What {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} share, PyTorch's
 * {@code nn.RNNCellBase}: {@code weight_ih [G·H, in]}, {@code weight_hh [G·H, H]},
 * {@code bias_ih}, {@code bias_hh [G·H]} (absent without bias), initialised U(±1/√H), and the
 * checks of one step's input {@code [N, in]} (or unbatched {@code [in]}) and state.
 */
public abstract class RNNCellBase extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final boolean bias;
    /** Replace them with {@code setParameter("weight_ih", p)} and so on, which keeps the state dict in step. */
    public Parameter weightIh;
    public Parameter weightHh;
    public Parameter biasIh;
    public Parameter biasHh;

    @SuppressWarnings("this-escape")
    protected RNNCellBase(int inputSize, int hiddenSize, boolean bias, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs positive sizes, got input_size=" + inputSize
                    + ", hidden_size=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        weightIh = registerParameter("weight_ih", new Parameter(Antorcha.zeros(gates * hiddenSize, inputSize)));
        weightHh = registerParameter("weight_hh", new Parameter(Antorcha.zeros(gates * hiddenSize, hiddenSize)));
        biasIh = bias ? registerParameter("bias_ih", new Parameter(Antorcha.zeros(gates * hiddenSize))) : null;
        biasHh = bias ? registerParameter("bias_hh", new Parameter(Antorcha.zeros(gates * hiddenSize))) : null;
        resetParameters(Generator.defaultGenerator());
    }

    /** PyTorch's reset_parameters: every parameter U(±1/√hidden_size), in state-dict order. */
    public void resetParameters(Generator g) {
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Parameter p : parameters()) Init.uniform_(p, -bound, bound, g);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** The input as a batch {@code [N, in]} (an unbatched {@code [in]} gets N = 1), checked. */
    Tensor batchedInput(Tensor input) {
        Args.nonNull(input, "forward", "input", "a Tensor");
        String name = getClass().getSimpleName();
        if (input.dim() != 1 && input.dim() != 2) {
            throw new IllegalArgumentException(name + ": Expected input to be 1-D or 2-D but received " + input.dim() + "-D tensor");
        }
        Tensor x = input.dim() == 2 ? input : input.unsqueeze(0);
        if (x.size(1) != inputSize) {
            throw new IllegalArgumentException("input has inconsistent input_size: got " + x.size(1) + ", expected " + inputSize);
        }
        return x;
    }

    /** State {@code k} (0 = h, 1 = c) as {@code [N, H]}: zeros when null, unsqueezed when the input was unbatched; checked. */
    Tensor state(Tensor h, Tensor x, boolean batched, int k) {
        if (h == null) return dev.antorcha.tensor.Factory.fullOn(x, 0, x.dtype(), x.size(0), hiddenSize);   // on x's device
        if (h.dim() != (batched ? 2 : 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": Expected hidden to be " + (batched ? "2-D" : "1-D")
                    + " for " + (batched ? "batched 2-D" : "unbatched 1-D") + " input, but got " + h.dim() + "-D tensor");
        }
        Tensor s = batched ? h : h.unsqueeze(0);
        if (s.size(0) != x.size(0)) {
            throw new IllegalArgumentException("Input batch size " + x.size(0) + " doesn't match hidden" + k + " batch size " + s.size(0));
        }
        if (s.size(1) != hiddenSize) {
            throw new IllegalArgumentException("hidden" + k + " has inconsistent hidden_size: got " + s.size(1) + ", expected " + hiddenSize);
        }
        return s;
    }

    /** {@code x W_ihᵀ + b_ih}. */
    Tensor inputGates(Tensor x) {
        return F.linear(x, weightIh, biasIh);
    }

    /** {@code h W_hhᵀ + b_hh}. */
    Tensor hiddenGates(Tensor h) {
        return F.linear(h, weightHh, biasHh);
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }

    /** Keeps the fields in step with {@link Module#setParameter}. */
    @Override
    protected void parameterSet(String name, Parameter p) {
        switch (name) {
            case "weight_ih" -> weightIh = p;
            case "weight_hh" -> weightHh = p;
            case "bias_ih" -> biasIh = p;
            case "bias_hh" -> biasHh = p;
            default -> { }
        }
    }
}
