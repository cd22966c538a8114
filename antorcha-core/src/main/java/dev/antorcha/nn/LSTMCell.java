package dev.antorcha.nn;

import dev.antorcha.ops.RecurrentOps;
import dev.antorcha.tensor.Tensor;

/**
 * One LSTM step, PyTorch's {@code nn.LSTMCell} (gate blocks i, f, g, o), the gate arithmetic
 * fused in one pass ({@link RecurrentOps#lstmCell}); {@code x [N, in]}, state {@code [N, H]} each
 * (or unbatched {@code [in]}, {@code [H]}).
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(1, 51);
 * LSTM.State s = cell.forward(x, null);   // h_t, c_t = lstm1(input_t, (h_t, c_t)) as time_sequence_prediction
 * }</pre>
 */
public class LSTMCell extends RNNCellBase {

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super(inputSize, hiddenSize, bias, 4);
    }

    /** {@code (h', c') = cell(x, (h, c))}; {@code hc} null means zeros. */
    public LSTM.State forward(Tensor input, LSTM.State hc) {
        Tensor x = batchedInput(input);
        boolean batched = input.dim() == 2;
        if (hc != null && (hc.h() == null || hc.c() == null)) {
            throw new IllegalArgumentException("LSTMCell: the state must hold both h and c (or be null for zeros)");
        }
        Tensor h = state(hc == null ? null : hc.h(), x, batched, 0), c = state(hc == null ? null : hc.c(), x, batched, 1);
        Tensor[] r = RecurrentOps.lstmCell(inputGates(x), hiddenGates(h), c);
        return batched ? new LSTM.State(r[0], r[1]) : new LSTM.State(r[0].squeeze(0), r[1].squeeze(0));
    }

    /** The new hidden state of {@code cell(x)} (zero state). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).h();
    }
}
