package dev.antorcha.nn;

import static dev.antorcha.nn.RecurrentReference.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RNNCell, LSTMCell and GRUCell (the fused LSTM and GRU steps) against the composition of existing ops. */
class RecurrentCellTest {

    private static Map<String, Tensor> grads(Module m, Tensor... leaves) {
        Map<String, Tensor> g = new LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet()) {
            g.put(e.getKey(), e.getValue().grad().clone());
            e.getValue().setGrad(null);
        }
        for (int i = 0; i < leaves.length; i++) {
            g.put("leaf" + i, leaves[i].grad().clone());
            leaves[i].setGrad(null);
        }
        return g;
    }

    /** Three steps of each cell, float64 (exact agreement expected) and float32 at an odd hidden size (SIMD tails). */
    private static void checkCells(DType dt, int hidden, boolean bias, double tol) {
        Antorcha.manualSeed(hidden * 7 + (bias ? 1 : 0));
        int n = 3, in = 5, steps = 3;
        Tensor x = Antorcha.randn(n, steps, in).to(dt).detach().requiresGrad(true);
        Tensor h0 = Antorcha.randn(n, hidden).to(dt).detach().requiresGrad(true);
        Tensor c0 = Antorcha.randn(n, hidden).to(dt).detach().requiresGrad(true);
        Tensor g = Antorcha.randn(n, hidden).to(dt);

        LSTMCell lstm = new LSTMCell(in, hidden, bias);
        lstm.to(dt);
        LSTM.State s = new LSTM.State(h0, c0);
        for (int t = 0; t < steps; t++) s = lstm.forward(x.select(1, t), s);
        Tensor hF = s.h(), cF = s.c();
        hF.mul(g).sum().add(cF.mul(g.mul(-0.5)).sum()).backward();
        Map<String, Tensor> fused = grads(lstm, x, h0, c0);
        Map<String, Parameter> p = lstm.namedParameters();
        Tensor h = h0, c = c0;
        for (int t = 0; t < steps; t++) {
            Tensor[] hc = RecurrentReference.lstmStep(x.select(1, t), h, c, p.get("weight_ih"), p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh"));
            h = hc[0];
            c = hc[1];
        }
        h.mul(g).sum().add(c.mul(g.mul(-0.5)).sum()).backward();
        Map<String, Tensor> ref = grads(lstm, x, h0, c0);
        assertClose(hF, h, tol, "LSTMCell h");
        assertClose(cF, c, tol, "LSTMCell c");
        for (String k : ref.keySet()) assertClose(fused.get(k), ref.get(k), tol, "LSTMCell grad " + k);

        GRUCell gru = new GRUCell(in, hidden, bias);
        gru.to(dt);
        Tensor hg = h0;
        for (int t = 0; t < steps; t++) hg = gru.forward(x.select(1, t), hg);
        hg.mul(g).sum().backward();
        Map<String, Tensor> fusedG = grads(gru, x, h0);
        Map<String, Parameter> q = gru.namedParameters();
        Tensor hr = h0;
        for (int t = 0; t < steps; t++) {
            hr = RecurrentReference.gruStep(x.select(1, t), hr, q.get("weight_ih"), q.get("weight_hh"), q.get("bias_ih"), q.get("bias_hh"));
        }
        hr.mul(g).sum().backward();
        Map<String, Tensor> refG = grads(gru, x, h0);
        assertClose(hg, hr, tol, "GRUCell h");
        for (String k : refG.keySet()) assertClose(fusedG.get(k), refG.get(k), tol, "GRUCell grad " + k);

        RNNCell rnn = new RNNCell(in, hidden, bias, "relu");
        rnn.to(dt);
        Map<String, Parameter> r = rnn.namedParameters();
        assertClose(rnn.forward(x.select(1, 0), h0), RecurrentReference.rnnStep(true, x.select(1, 0), h0, r.get("weight_ih"),
                r.get("weight_hh"), r.get("bias_ih"), r.get("bias_hh")), tol, "RNNCell");
    }

    @Test
    void fusedCellsEqualTheCompositionInFloat64() {
        checkCells(DType.FLOAT64, 4, true, 1e-12);
        checkCells(DType.FLOAT64, 6, false, 1e-12);
    }

    @Test
    void fusedCellsEqualTheCompositionInFloat32AtSizesWithVectorTails() {
        checkCells(DType.FLOAT32, 37, true, 2e-5);
        checkCells(DType.FLOAT32, 16, true, 2e-5);
    }

    @Test
    void nullStateIsZerosAndUnbatchedInputIsOneRow() {
        Antorcha.manualSeed(3);
        LSTMCell cell = new LSTMCell(3, 4);
        Tensor x = Antorcha.randn(2, 3);
        LSTM.State a = cell.forward(x, null), b = cell.forward(x, new LSTM.State(Antorcha.zeros(2, 4), Antorcha.zeros(2, 4)));
        assertClose(a.h(), b.h(), 0, "h");
        assertClose(a.c(), b.c(), 0, "c");
        LSTM.State u = cell.forward(x.select(0, 1), new LSTM.State(Antorcha.zeros(4), Antorcha.zeros(4)));
        assertThat(u.h().shape().toArray()).containsExactly(4);
        assertClose(u.c(), b.c().select(0, 1), 0, "unbatched c");
        GRUCell gru = new GRUCell(3, 4);
        assertThat(gru.forward(x.select(0, 0)).shape().toArray()).containsExactly(4);
        assertClose(gru.forward(x, null), gru.forward(x, Antorcha.zeros(2, 4)), 0, "GRU h");
    }

    @Test
    void keysFormsAndMessagesAreTorchs() {
        assertThat(new LSTMCell(3, 4).stateDict().keySet()).containsExactly("weight_ih", "weight_hh", "bias_ih", "bias_hh");
        assertThat(new LSTMCell(3, 4).stateDict().get("weight_ih").shape().toArray()).containsExactly(16, 3);
        assertThat(new GRUCell(3, 4, false).stateDict().keySet()).containsExactly("weight_ih", "weight_hh");
        assertThat(new LSTMCell(1, 51)).hasToString("LSTMCell(1, 51)");
        assertThat(new GRUCell(3, 4, false)).hasToString("GRUCell(3, 4, bias=False)");
        assertThat(new RNNCell(3, 4, true, "relu")).hasToString("RNNCell(3, 4, nonlinearity=relu)");
        assertThat(new RNNCell(3, 4)).hasToString("RNNCell(3, 4)");
        GRUCell cell = new GRUCell(3, 4);
        assertThatThrownBy(() -> cell.forward(Antorcha.randn(2, 5), null)).hasMessage("input has inconsistent input_size: got 5, expected 3");
        assertThatThrownBy(() -> cell.forward(Antorcha.randn(2, 3), Antorcha.zeros(3, 4)))
                .hasMessage("Input batch size 2 doesn't match hidden0 batch size 3");
        assertThatThrownBy(() -> cell.forward(Antorcha.randn(2, 3), Antorcha.zeros(2, 5)))
                .hasMessage("hidden0 has inconsistent hidden_size: got 5, expected 4");
        assertThatThrownBy(() -> new LSTMCell(3, 4).forward(Antorcha.randn(2, 3), new LSTM.State(Antorcha.zeros(2, 4), Antorcha.zeros(2, 3))))
                .hasMessage("hidden1 has inconsistent hidden_size: got 3, expected 4");
        assertThatThrownBy(() -> cell.forward(Antorcha.randn(1, 2, 3), null))
                .hasMessage("GRUCell: Expected input to be 1-D or 2-D but received 3-D tensor");
        assertThatThrownBy(() -> new RNNCell(3, 4, true, "gelu")).hasMessage("Unknown nonlinearity: gelu");
    }
}
