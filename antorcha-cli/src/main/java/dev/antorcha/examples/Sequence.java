package dev.antorcha.examples;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.LSTMCell;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The network of PyTorch's {@code time_sequence_prediction} example, written as its {@code Sequence}
 * is: two stacked {@code LSTMCell}s of 51 units and a {@code Linear(51, 1)} stepped over time, each
 * step predicting the next value of the wave; then, for {@code future} more steps, each prediction
 * is fed back as the next input. Built in float32 like any module; the example calls
 * {@code toDouble()} (its initial states are float64, as the Python's {@code dtype=torch.double}).
 * State-dict keys are the Python's: {@code lstm1.weight_ih}, ..., {@code linear.bias}.
 *
 * <pre>{@code
 * Sequence seq = new Sequence();
 * seq.toDouble();
 * Tensor out = seq.forward(x, 1000);   // [N, T] -> [N, T + 1000]
 * }</pre>
 */
// Registration hands `this` to Module's maps before the fields below are all set; Module only
// stores the reference, as PyTorch's __init__ does, so nothing reads a half-built Sequence.
@SuppressWarnings("this-escape")
public class Sequence extends Module {
    static final int HIDDEN = 51;

    public final LSTMCell lstm1 = registerModule("lstm1", new LSTMCell(1, HIDDEN));
    public final LSTMCell lstm2 = registerModule("lstm2", new LSTMCell(HIDDEN, HIDDEN));
    public final Linear linear = registerModule("linear", new Linear(HIDDEN, 1));

    /** The predictions for every step of {@code x} {@code [N, T]}: {@code [N, T]}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, 0);
    }

    /** The predictions for every step of {@code x}, then {@code future} more: {@code [N, T + future]}. */
    public Tensor forward(Tensor x, int future) {
        List<Tensor> outputs = new ArrayList<>();
        LSTM.State s1 = zeros(x.size(0)), s2 = zeros(x.size(0));
        Tensor out = null;
        for (Tensor xt : x.split(1, 1)) {
            s1 = lstm1.forward(xt, s1);
            s2 = lstm2.forward(s1.h(), s2);
            out = linear.forward(s2.h());
            outputs.add(out);
        }
        for (int i = 0; i < future; i++) {
            s1 = lstm1.forward(out, s1);
            s2 = lstm2.forward(s1.h(), s2);
            out = linear.forward(s2.h());
            outputs.add(out);
        }
        return Antorcha.cat(outputs, 1);
    }

    private static LSTM.State zeros(int n) {
        return new LSTM.State(Antorcha.zeros(DType.FLOAT64, n, HIDDEN), Antorcha.zeros(DType.FLOAT64, n, HIDDEN));
    }
}
