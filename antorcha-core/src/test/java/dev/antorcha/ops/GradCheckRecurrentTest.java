package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.nn.GRU;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.RNN;
import dev.antorcha.nn.RNNOptions;
import dev.antorcha.ops.RecurrentOps.Mode;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Finite differences (float64) against the backward of the fused recurrent ops and of small stacked modules. */
class GradCheckRecurrentTest {

    private static Tensor randn(int... shape) {
        return Antorcha.randn(DType.FLOAT64, shape);
    }

    private static void check(String what, Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = GradCheck.check(f, in);
        assertThat(r.passed()).as("%s: %s", what, r).isTrue();
        for (int i = 0; i < in.length; i++) {
            double m = 0;
            for (double v : in[i].grad().toDoubleArray()) m = Math.max(m, Math.abs(v));
            assertThat(m).as("%s: gradient of input %d is all zero", what, i).isGreaterThan(0);
        }
    }

    /** Every result flattened into one tensor, so that each gets its own weights in the check. */
    private static Tensor flat(Tensor... parts) {
        List<Tensor> l = new ArrayList<>();
        for (Tensor p : parts) if (p != null) l.add(p.reshape(-1));
        return Antorcha.cat(l, 0);
    }

    @Test
    void fusedLstmAndGruSteps() {
        Antorcha.manualSeed(11);
        check("lstm_cell", in -> flat(RecurrentOps.lstmCell(in[0], in[1], in[2])), randn(3, 12), randn(3, 12), randn(3, 3));
        check("gru_cell", in -> RecurrentOps.gruCell(in[0], in[1], in[2]), randn(2, 9), randn(2, 9), randn(2, 3));
        // a state given as a strided view
        check("lstm_cell strided c", in -> flat(RecurrentOps.lstmCell(in[0], in[1], in[2].t())), randn(3, 8), randn(3, 8), randn(2, 3));
        // one of h' and c' only (the other half of the cell's gradient stays zero), and h' read twice
        check("lstm_cell h only", in -> RecurrentOps.lstmCell(in[0], in[1], in[2])[0], randn(3, 12), randn(3, 12), randn(3, 3));
        check("lstm_cell c only", in -> RecurrentOps.lstmCell(in[0], in[1], in[2])[1], randn(3, 12), randn(3, 12), randn(3, 3));
        check("lstm_cell h twice", in -> {
            Tensor[] hc = RecurrentOps.lstmCell(in[0], in[1], in[2]);
            return flat(hc[0], hc[0].mul(hc[1]));
        }, randn(3, 12), randn(3, 12), randn(3, 3));
    }

    @Test
    void lstmCellBackwardTwiceOverARetainedGraphDoublesTheGradients() {
        Antorcha.manualSeed(13);
        Tensor gi = randn(2, 8).requiresGrad(true), gh = randn(2, 8).requiresGrad(true), c = randn(2, 2).requiresGrad(true);
        Tensor[] hc = RecurrentOps.lstmCell(gi, gh, c);
        Tensor loss = hc[0].sum().add(hc[1].mul(hc[1]).sum());
        loss.backward(null, true);
        double[] once = c.grad().toDoubleArray();
        loss.backward(null, true);
        double[] twice = c.grad().toDoubleArray();
        double largest = 0;
        for (int i = 0; i < once.length; i++) {
            assertThat(twice[i]).isCloseTo(2 * once[i], org.assertj.core.data.Offset.offset(1e-12));
            largest = Math.max(largest, Math.abs(once[i]));
        }
        assertThat(largest).isGreaterThan(0);
    }

    @Test
    void wholeLayersInEveryModeAndDirection() {
        Antorcha.manualSeed(12);
        int steps = 4, n = 2, hs = 3;
        for (Mode mode : Mode.values()) {
            int g = mode.gates() * hs;
            for (boolean reverse : new boolean[] {false, true}) {
                boolean lstm = mode == Mode.LSTM;
                String what = mode + (reverse ? " reverse" : "");
                Tensor gi = randn(steps, n, g), h0 = randn(n, hs), c0 = randn(n, hs), w = randn(g, hs).mul(0.5), b = randn(g);
                if (mode == Mode.RNN_RELU) gi = gi.add(0.5);   // fewer kinks near 0 for the difference quotient
                if (lstm) {
                    check(what, in -> {
                        var s = RecurrentOps.layer(mode, in[0], in[1], in[2], in[3], in[4], reverse);
                        return flat(s.output(), s.hN(), s.cN());
                    }, gi, h0, c0, w, b);
                } else {
                    check(what, in -> {
                        var s = RecurrentOps.layer(mode, in[0], in[1], null, in[2], in[3], reverse);
                        return flat(s.output(), s.hN());
                    }, gi, h0, w, b);
                    check(what + " without bias", in -> RecurrentOps.layer(mode, in[0], in[1], null, in[2], null, reverse).output(),
                            gi, h0, w);
                }
            }
        }
    }

    /** x, the states and every parameter of a two-layer bidirectional module as the checked inputs. */
    private static Tensor[] inputs(Module m, Tensor... leaves) {
        List<Tensor> l = new ArrayList<>(List.of(leaves));
        l.addAll(m.parameters());
        return l.toArray(Tensor[]::new);
    }

    @Test
    void smallStackedBidirectionalModules() {
        Antorcha.manualSeed(13);
        RNNOptions o = RNNOptions.defaults().numLayers(2).bidirectional(true);
        Tensor x = randn(3, 2, 2), h0 = randn(4, 2, 3), c0 = randn(4, 2, 3);
        LSTM lstm = new LSTM(2, 3, o);
        lstm.to(DType.FLOAT64);
        check("LSTM", in -> {
            LSTM.Output r = lstm.forward(in[0], new LSTM.State(in[1], in[2]));
            return flat(r.output(), r.state().h(), r.state().c());
        }, inputs(lstm, x, h0, c0));
        GRU gru = new GRU(2, 3, o.batchFirst(true));
        gru.to(DType.FLOAT64);
        check("GRU batch_first", in -> {
            RNN.Output r = gru.forward(in[0], in[1]);
            return flat(r.output(), r.hN());
        }, inputs(gru, x.transpose(0, 1).contiguous().detach(), h0));
        RNN rnn = new RNN(2, 3, o);
        rnn.to(DType.FLOAT64);
        check("RNN", in -> {
            RNN.Output r = rnn.forward(in[0], in[1]);
            return flat(r.output(), r.hN());
        }, inputs(rnn, x, h0));
    }
}
