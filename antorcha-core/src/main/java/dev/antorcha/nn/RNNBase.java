package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.Args;
import dev.antorcha.ops.RecurrentOps;
import dev.antorcha.ops.RecurrentOps.Mode;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share, PyTorch's {@code nn.RNNBase}: the
 * parameters per layer and direction ({@code weight_ih_l<k>[_reverse]}, {@code weight_hh_...},
 * {@code bias_ih_...}, {@code bias_hh_...}, in state-dict order, gate blocks stacked along dim 0),
 * their initialisation U(±1/√hidden), the argument checks and the layer loop. Each layer and
 * direction is one matrix product for the input projection of every time step and one
 * {@link RecurrentOps#layer} for the recurrence; layers above the first read the previous
 * layer's output (both directions concatenated), with dropout in between in training mode.
 */
public abstract class RNNBase extends Module {
    private final Mode mode;
    private final int inputSize;
    private final int hiddenSize;
    private final RNNOptions options;
    private final List<Parameter[]> cells = new ArrayList<>();   // per layer·direction: w_ih, w_hh, b_ih, b_hh

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the references, as PyTorch's __init__ does.
    @SuppressWarnings("this-escape")
    RNNBase(Mode mode, int inputSize, int hiddenSize, RNNOptions options) {
        Args.nonNull(options, getClass().getSimpleName(), "options", "an RNNOptions");
        double p = options.dropout();
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the probability of "
                    + "an element being zeroed, got " + p);
        }
        if (hiddenSize <= 0) throw new IllegalArgumentException("hidden_size must be greater than zero, got " + hiddenSize);
        if (options.numLayers() <= 0) {
            throw new IllegalArgumentException("num_layers must be greater than zero, got " + options.numLayers());
        }
        if (inputSize <= 0) throw new IllegalArgumentException("input_size must be greater than zero, got " + inputSize);
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        int dirs = options.bidirectional() ? 2 : 1, gates = mode.gates() * hiddenSize;
        for (int l = 0; l < options.numLayers(); l++) {
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                int in = l == 0 ? inputSize : hiddenSize * dirs;
                Parameter[] c = new Parameter[4];
                c[0] = registerParameter("weight_ih" + sfx, new Parameter(Antorcha.zeros(gates, in)));
                c[1] = registerParameter("weight_hh" + sfx, new Parameter(Antorcha.zeros(gates, hiddenSize)));
                if (options.bias()) {
                    c[2] = registerParameter("bias_ih" + sfx, new Parameter(Antorcha.zeros(gates)));
                    c[3] = registerParameter("bias_hh" + sfx, new Parameter(Antorcha.zeros(gates)));
                }
                cells.add(c);
            }
        }
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

    public RNNOptions options() {
        return options;
    }

    /** {@code num_layers · num_directions}: the first size of the states. */
    int stateRows() {
        return options.numLayers() * (options.bidirectional() ? 2 : 1);
    }

    private Tensor param(int cell, int which) {
        return cells.get(cell)[which];
    }

    /** The module's results before unbatching: output, final states {@code [layers·dirs, N, H]}. */
    record Result(Tensor output, Tensor hN, Tensor cN) {
    }

    /**
     * The whole forward, as PyTorch's {@code RNNBase.forward}: checks, unbatched input (2-D) with
     * 2-D states, batch_first, zero initial states when {@code hx} (and {@code cx}) are null.
     */
    Result run(Tensor input, Tensor hx, Tensor cx) {
        String name = getClass().getSimpleName();
        Args.nonNull(input, "forward", "input", "a Tensor");
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(name + ": Expected input to be 2-D or 3-D but received " + input.dim() + "-D tensor");
        }
        boolean batched = input.dim() == 3, lstm = mode == Mode.LSTM;
        int batchDim = options.batchFirst() ? 0 : 1;
        Tensor x = batched ? input : input.unsqueeze(batchDim);
        checkStateRank(batched, hx, cx, lstm);
        if (!batched) {
            hx = hx == null ? null : hx.unsqueeze(1);
            cx = cx == null ? null : cx.unsqueeze(1);
        }
        if (x.size(-1) != inputSize) {
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected " + inputSize + ", got " + x.size(-1));
        }
        if (options.batchFirst()) x = x.transpose(0, 1);
        int steps = x.size(0), n = x.size(1), rows = stateRows(), dirs = options.bidirectional() ? 2 : 1;
        String expected = "(" + rows + ", " + n + ", " + hiddenSize + ")";
        if (hx != null) checkHidden(hx, rows, n, lstm ? "Expected hidden[0] size " : "Expected hidden size ", expected);
        if (cx != null) checkHidden(cx, rows, n, "Expected hidden[1] size ", expected);
        Tensor h0 = hx != null ? hx : dev.antorcha.tensor.Factory.fullOn(x, 0, x.dtype(), rows, n, hiddenSize);
        Tensor c0 = !lstm ? null : cx != null ? cx : dev.antorcha.tensor.Factory.fullOn(x, 0, x.dtype(), rows, n, hiddenSize);
        Tensor layerIn = x;
        List<Tensor> hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int l = 0; l < options.numLayers(); l++) {
            Tensor flat = layerIn.reshape(steps * n, layerIn.size(2));
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                int cell = l * dirs + d;
                // the input projection of every step is one product inside the layer's op (F.linear's bits)
                RecurrentOps.Sequence s = RecurrentOps.layer(mode, flat, param(cell, 0), param(cell, 2), h0.select(0, cell),
                        lstm ? c0.select(0, cell) : null, param(cell, 1), param(cell, 3), d == 1);
                outs[d] = s.output();
                hs.add(s.hN());
                if (lstm) cs.add(s.cN());
            }
            layerIn = dirs == 1 ? outs[0] : Antorcha.cat(outs, 2);
            if (options.dropout() > 0 && isTraining() && l < options.numLayers() - 1) {
                layerIn = F.dropout(layerIn, options.dropout(), true, Generator.defaultGenerator());
            }
        }
        Tensor output = options.batchFirst() ? layerIn.transpose(0, 1) : layerIn;
        Tensor hN = Antorcha.stack(hs, 0), cN = lstm ? Antorcha.stack(cs, 0) : null;
        if (!batched) {
            output = output.squeeze(batchDim);
            hN = hN.squeeze(1);
            cN = cN == null ? null : cN.squeeze(1);
        }
        return new Result(output, hN, cN);
    }

    private static void checkStateRank(boolean batched, Tensor hx, Tensor cx, boolean lstm) {
        int want = batched ? 3 : 2;
        String kind = batched ? "batched 3-D" : "unbatched 2-D";
        if (lstm && hx != null && (hx.dim() != want || cx.dim() != want)) {
            throw new IllegalArgumentException("For " + kind + " input, hx and cx should also be " + want + "-D but got ("
                    + hx.dim() + "-D, " + cx.dim() + "-D) tensors");
        }
        if (!lstm && hx != null && hx.dim() != want) {
            throw new IllegalArgumentException("For " + kind + " input, hx should also be " + want + "-D but got " + hx.dim() + "-D tensor");
        }
    }

    private void checkHidden(Tensor h, int rows, int n, String what, String expected) {
        if (h.dim() != 3 || h.size(0) != rows || h.size(1) != n || h.size(2) != hiddenSize) {
            throw new IllegalArgumentException(what + expected + ", got " + h.shape());
        }
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (options.numLayers() != 1) s.append(", num_layers=").append(options.numLayers());
        if (!options.bias()) s.append(", bias=False");
        if (options.batchFirst()) s.append(", batch_first=True");
        if (options.dropout() != 0) s.append(", dropout=").append(Reprs.pyFloat(options.dropout()));
        if (options.bidirectional()) s.append(", bidirectional=True");
        return s.toString();
    }

    /** Keeps the per-layer parameter table in step with {@link Module#setParameter}. */
    @Override
    protected void parameterSet(String name, Parameter p) {
        String[] kinds = {"weight_ih", "weight_hh", "bias_ih", "bias_hh"};
        int dirs = options.bidirectional() ? 2 : 1;
        for (int cell = 0; cell < cells.size(); cell++) {
            String sfx = "_l" + cell / dirs + (cell % dirs == 1 ? "_reverse" : "");
            for (int k = 0; k < 4; k++) if (name.equals(kinds[k] + sfx)) cells.get(cell)[k] = p;
        }
    }
}
