package dev.antorcha.nn;

import dev.antorcha.ops.RecurrentOps;
import dev.antorcha.tensor.Tensor;

/**
 * One GRU step, PyTorch's {@code nn.GRUCell} (gate blocks r, z, n; {@code b_hn} inside the reset
 * product), fused in one pass ({@link RecurrentOps#gruCell}); {@code x [N, in]}, {@code h [N, H]}
 * (or unbatched {@code [in]}, {@code [H]}).
 *
 * <pre>{@code
 * GRUCell cell = new GRUCell(10, 20);
 * Tensor h = cell.forward(x, h);
 * }</pre>
 */
public class GRUCell extends RNNCellBase {

    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super(inputSize, hiddenSize, bias, 3);
    }

    /** {@code h' = cell(x, h)}; {@code h} null means zeros. */
    public Tensor forward(Tensor input, Tensor h) {
        Tensor x = batchedInput(input);
        boolean batched = input.dim() == 2;
        Tensor hp = state(h, x, batched, 0);
        Tensor out = RecurrentOps.gruCell(inputGates(x), hiddenGates(hp), hp);
        return batched ? out : out.squeeze(0);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }
}
