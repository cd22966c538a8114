package dev.antorcha.nn;

import static dev.antorcha.nn.RecurrentReference.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RNN, LSTM and GRU against the step-by-step composition, hand-computed steps, and PyTorch's keys, forms and messages. */
class RecurrentTest {

    private static RNNBase module(String mode, int in, int hidden, RNNOptions o) {
        return switch (mode) {
            case "LSTM" -> new LSTM(in, hidden, o);
            case "GRU" -> new GRU(in, hidden, o);
            case "RNN_RELU" -> new RNN(in, hidden, o.nonlinearity("relu"));
            default -> new RNN(in, hidden, o);
        };
    }

    /** output, h_n, c_n of the module under test. */
    private static Tensor[] forward(RNNBase m, Tensor x, Tensor h0, Tensor c0) {
        if (m instanceof LSTM lstm) {
            LSTM.Output r = lstm.forward(x, h0 == null ? null : new LSTM.State(h0, c0));
            return new Tensor[] {r.output(), r.state().h(), r.state().c()};
        }
        RNN.Output r = m instanceof RNN rnn ? rnn.forward(x, h0) : ((GRU) m).forward(x, h0);
        return new Tensor[] {r.output(), r.hN(), null};
    }

    private static Map<String, Tensor> takeGrads(RNNBase m, Tensor... leaves) {
        Map<String, Tensor> g = new LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet()) {
            g.put(e.getKey(), e.getValue().grad().clone());
            e.getValue().setGrad(null);
        }
        for (int i = 0; i < leaves.length; i++) {
            if (leaves[i] == null) continue;
            g.put("leaf" + i, leaves[i].grad().clone());
            leaves[i].setGrad(null);
        }
        return g;
    }

    private static void checkAgainstComposition(String mode, RNNOptions o, int steps, int n) {
        Antorcha.manualSeed(mode.hashCode() + (o.bidirectional() ? 1 : 0));
        int in = 3, hidden = 4, rows = o.numLayers() * (o.bidirectional() ? 2 : 1);
        RNNBase m = module(mode, in, hidden, o);
        m.to(DType.FLOAT64);
        Tensor xs = Antorcha.randn(DType.FLOAT64, steps, n, in);   // time-major values
        Tensor x = (o.batchFirst() ? xs.transpose(0, 1).contiguous() : xs).detach().requiresGrad(true);
        Tensor h0 = Antorcha.randn(DType.FLOAT64, rows, n, hidden).mul(0.5).detach().requiresGrad(true);
        Tensor c0 = mode.equals("LSTM") ? Antorcha.randn(DType.FLOAT64, rows, n, hidden).detach().requiresGrad(true) : null;
        Tensor gOut = Antorcha.randn(DType.FLOAT64, steps, n, hidden * (o.bidirectional() ? 2 : 1));
        Tensor gH = Antorcha.randn(DType.FLOAT64, rows, n, hidden), gC = Antorcha.randn(DType.FLOAT64, rows, n, hidden);

        Tensor[] mine = forward(m, x, h0, c0);
        Tensor out = o.batchFirst() ? mine[0].transpose(0, 1) : mine[0];
        Tensor loss = out.mul(gOut).sum().add(mine[1].mul(gH).sum());
        if (c0 != null) loss = loss.add(mine[2].mul(gC).sum());
        loss.backward();
        Map<String, Tensor> fusedGrads = takeGrads(m, x, h0, c0);

        Tensor xRef = o.batchFirst() ? x.transpose(0, 1) : x;
        Tensor[] ref = RecurrentReference.run(mode, m, xRef, h0, c0);
        Tensor refLoss = ref[0].mul(gOut).sum().add(ref[1].mul(gH).sum());
        if (c0 != null) refLoss = refLoss.add(ref[2].mul(gC).sum());
        refLoss.backward();
        Map<String, Tensor> refGrads = takeGrads(m, x, h0, c0);

        String what = mode + " " + o;
        assertClose(out, ref[0], 1e-12, what + " output");
        assertClose(mine[1], ref[1], 1e-12, what + " h_n");
        if (c0 != null) assertClose(mine[2], ref[2], 1e-12, what + " c_n");
        assertThat(fusedGrads.keySet()).isEqualTo(refGrads.keySet());
        for (String k : refGrads.keySet()) assertClose(fusedGrads.get(k), refGrads.get(k), 1e-11, what + " grad " + k);
    }

    @Test
    void everyModeMatchesTheStepByStepCompositionForwardAndBackward() {
        for (String mode : List.of("RNN_TANH", "RNN_RELU", "LSTM", "GRU")) {
            checkAgainstComposition(mode, RNNOptions.defaults().numLayers(2).bidirectional(true), 5, 3);
            checkAgainstComposition(mode, RNNOptions.defaults().bias(false).batchFirst(true), 4, 2);
            checkAgainstComposition(mode, RNNOptions.defaults().numLayers(3).batchFirst(true).bidirectional(true), 1, 1);
        }
    }

    /**
     * With two threads a layer's batch is split into shards that each run the whole sweep: the
     * same bits as one thread, forward and backward, for every mode, float32 and float64, an odd
     * batch (3 and 4 rows), two layers both ways; and the sharded run still matches the step-by-step
     * composition.
     */
    @Test
    void batchShardsGiveOneThreadsBits() {
        int before = Antorcha.getNumThreads();
        try {
            for (String mode : List.of("RNN_TANH", "RNN_RELU", "LSTM", "GRU")) {
                for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
                    List<Map<String, Tensor>> runs = new ArrayList<>();
                    for (int threads : new int[] {1, 2}) {
                        Antorcha.setNumThreads(threads);
                        Antorcha.manualSeed(7);
                        RNNBase m = module(mode, 5, 13, RNNOptions.defaults().numLayers(2).bidirectional(true));
                        m.to(dt);
                        Tensor x = Antorcha.randn(dt, 6, 7, 5).detach().requiresGrad(true);
                        Tensor[] r = forward(m, x, null, null);
                        Tensor loss = r[0].mul(Antorcha.randn(dt, 6, 7, 26)).sum().add(r[1].mul(Antorcha.randn(dt, 4, 7, 13)).sum());
                        if (r[2] != null) loss = loss.add(r[2].mul(Antorcha.randn(dt, 4, 7, 13)).sum());
                        loss.backward();
                        Map<String, Tensor> all = takeGrads(m, x);
                        all.put("output", r[0].detach());
                        all.put("h_n", r[1].detach());
                        runs.add(all);
                    }
                    for (String k : runs.get(0).keySet()) {
                        Tensor one = runs.get(0).get(k), two = runs.get(1).get(k);
                        if (dt == DType.FLOAT64) {
                            assertThat(two.toDoubleArray()).as("%s %s %s", mode, dt, k).containsExactly(one.toDoubleArray());
                        } else {
                            assertThat(two.toFloatArray()).as("%s %s %s", mode, dt, k).containsExactly(one.toFloatArray());
                        }
                    }
                }
                Antorcha.setNumThreads(2);
                checkAgainstComposition(mode, RNNOptions.defaults().bidirectional(true), 4, 9);
            }
        } finally {
            Antorcha.setNumThreads(before);
        }
    }

    @Test
    void handComputedRnnAndLstmSteps() {
        RNN rnn = new RNN(1, 1);
        set(rnn, "weight_ih_l0", 0.5, "weight_hh_l0", -0.25, "bias_ih_l0", 0.1, "bias_hh_l0", 0.2);
        RNN.Output r = rnn.forward(Antorcha.tensor(new float[] {1, 2}, 2, 1, 1), Antorcha.tensor(new float[] {0.3f}, 1, 1, 1));
        double h1 = Math.tanh(0.5 * 1 + 0.1 - 0.25 * 0.3 + 0.2), h2 = Math.tanh(0.5 * 2 + 0.1 - 0.25 * h1 + 0.2);
        assertThat(r.output().toFloatArray()).containsExactly(new float[] {(float) h1, (float) h2}, within(1e-6f));
        assertThat(r.hN().toFloatArray()[0]).isCloseTo((float) h2, within(1e-6f));

        // one unit, gate rows i, f, g, o: w_ih = (1, 2, 3, 4), w_hh = (0.5, 0.5, 0.5, 0.5), no bias
        LSTM lstm = new LSTM(1, 1, RNNOptions.defaults().bias(false));
        try (NoGrad _ = NoGrad.enter()) {
            lstm.namedParameters().get("weight_ih_l0").copy_(Antorcha.tensor(new float[] {1, 2, 3, 4}, 4, 1));
            lstm.namedParameters().get("weight_hh_l0").copy_(Antorcha.tensor(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 4, 1));
        }
        double x = 0.2, h = -0.4, c = 0.7;
        LSTM.Output o = lstm.forward(Antorcha.tensor(new float[] {(float) x}, 1, 1, 1),
                new LSTM.State(Antorcha.tensor(new float[] {(float) h}, 1, 1, 1), Antorcha.tensor(new float[] {(float) c}, 1, 1, 1)));
        double i = sig(1 * x + 0.5 * h), f = sig(2 * x + 0.5 * h), g = Math.tanh(3 * x + 0.5 * h), og = sig(4 * x + 0.5 * h);
        double c1 = f * c + i * g, h1l = og * Math.tanh(c1);
        assertThat(o.state().c().toFloatArray()[0]).isCloseTo((float) c1, within(1e-6f));
        assertThat(o.state().h().toFloatArray()[0]).isCloseTo((float) h1l, within(1e-6f));
        assertThat(o.output().toFloatArray()[0]).isCloseTo((float) h1l, within(1e-6f));
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static void set(Module m, Object... nameValue) {
        try (NoGrad _ = NoGrad.enter()) {
            for (int k = 0; k < nameValue.length; k += 2) {
                m.namedParameters().get((String) nameValue[k]).fill_((Double) nameValue[k + 1]);
            }
        }
    }

    @Test
    void stateDictKeysShapesAndOrderAreTorchs() {
        LSTM lstm = new LSTM(3, 4, RNNOptions.defaults().numLayers(2).bidirectional(true));
        Map<String, Tensor> sd = lstm.stateDict();
        assertThat(sd.keySet()).containsExactly(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse");
        assertThat(sd.get("weight_ih_l0").shape().toArray()).containsExactly(16, 3);
        assertThat(sd.get("weight_ih_l1").shape().toArray()).containsExactly(16, 8);
        assertThat(sd.get("weight_hh_l1_reverse").shape().toArray()).containsExactly(16, 4);
        assertThat(sd.get("bias_hh_l1").shape().toArray()).containsExactly(16);
        assertThat(new GRU(3, 5, RNNOptions.defaults().bias(false)).stateDict().keySet()).containsExactly("weight_ih_l0", "weight_hh_l0");
        assertThat(new GRU(3, 5).stateDict().get("weight_hh_l0").shape().toArray()).containsExactly(15, 5);
        assertThat(new RNN(3, 5).stateDict().get("weight_ih_l0").shape().toArray()).containsExactly(5, 3);
    }

    @Test
    void everyParameterIsUniformWithinOneOverSqrtHidden() {
        Antorcha.manualSeed(0);
        GRU gru = new GRU(6, 16, RNNOptions.defaults().numLayers(2));
        double bound = 1 / Math.sqrt(16);
        for (var e : gru.namedParameters().entrySet()) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float v : e.getValue().toFloatArray()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertThat(lo).as(e.getKey()).isGreaterThanOrEqualTo((float) -bound).isLessThan((float) (-0.5 * bound));
            assertThat(hi).as(e.getKey()).isLessThanOrEqualTo((float) bound).isGreaterThan((float) (0.5 * bound));
        }
    }

    @Test
    void printsAsPyTorch() {
        assertThat(new LSTM(3, 4, RNNOptions.defaults().numLayers(2).batchFirst(true).bidirectional(true)))
                .hasToString("LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)");
        assertThat(new RNN(3, 4, RNNOptions.defaults().nonlinearity("relu"))).hasToString("RNN(3, 4)");
        assertThat(new GRU(3, 4, RNNOptions.defaults().numLayers(2).dropout(0.5).bias(false)))
                .hasToString("GRU(3, 4, num_layers=2, bias=False, dropout=0.5)");
    }

    @Test
    void unbatchedInputGivesUnbatchedResultsEqualToABatchOfOne() {
        Antorcha.manualSeed(5);
        LSTM lstm = new LSTM(3, 4, RNNOptions.defaults().numLayers(2).batchFirst(true));
        Tensor x = Antorcha.randn(6, 3), h = Antorcha.randn(2, 4), c = Antorcha.randn(2, 4);
        LSTM.Output u = lstm.forward(x, new LSTM.State(h, c));
        LSTM.Output b = lstm.forward(x.unsqueeze(0), new LSTM.State(h.unsqueeze(1), c.unsqueeze(1)));
        assertThat(u.output().shape().toArray()).containsExactly(6, 4);
        assertThat(u.state().h().shape().toArray()).containsExactly(2, 4);
        assertClose(u.output(), b.output().squeeze(0), 0, "output");
        assertClose(u.state().c(), b.state().c().squeeze(1), 0, "c_n");
        GRU gru = new GRU(3, 4);
        assertThat(gru.forward(x, null).hN().shape().toArray()).containsExactly(1, 4);
    }

    @Test
    void batchFirstTransposesInputAndOutputButNotTheStates() {
        Antorcha.manualSeed(6);
        GRU a = new GRU(3, 4, RNNOptions.defaults().numLayers(2)), b = new GRU(3, 4, RNNOptions.defaults().numLayers(2).batchFirst(true));
        b.loadStateDict(a.stateDict(), true);
        Tensor x = Antorcha.randn(5, 2, 3), h0 = Antorcha.randn(2, 2, 4);
        RNN.Output ra = a.forward(x, h0), rb = b.forward(x.transpose(0, 1), h0);
        assertThat(rb.output().shape().toArray()).containsExactly(2, 5, 4);
        assertThat(rb.hN().shape().toArray()).containsExactly(2, 2, 4);
        assertClose(rb.output().transpose(0, 1), ra.output(), 0, "output");
        assertClose(rb.hN(), ra.hN(), 0, "h_n");
    }

    @Test
    void float64ModulesComputeInFloat64() {
        Antorcha.manualSeed(7);
        LSTM lstm = new LSTM(3, 5, RNNOptions.defaults().bidirectional(true));
        Tensor x = Antorcha.randn(4, 2, 3);
        Tensor y32 = lstm.forward(x);
        lstm.to(DType.FLOAT64);
        Tensor y64 = lstm.forward(x.toDouble());
        assertThat(y64.dtype()).isEqualTo(DType.FLOAT64);
        assertClose(y64, y32, 1e-6, "float64 vs float32");
        // a float32 input to a float64 module is refused, as PyTorch does
        assertThatThrownBy(() -> lstm.forward(x)).isInstanceOf(RuntimeException.class).hasMessageContaining("float");
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Antorcha.manualSeed(8);
        RNNOptions two = RNNOptions.defaults().numLayers(2);
        RNN dropped = new RNN(3, 4, two.dropout(1.0)), plain = new RNN(3, 4, two);
        plain.loadStateDict(dropped.stateDict(), true);
        Tensor x = Antorcha.randn(5, 2, 3), h0 = Antorcha.randn(2, 2, 4);
        // p = 1: the second layer reads zeros, so its output is that of layer 1 alone on a zero input
        RNN top = new RNN(4, 4);
        try (NoGrad _ = NoGrad.enter()) {
            for (String k : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
                top.namedParameters().get(k + "_l0").copy_(dropped.namedParameters().get(k + "_l1"));
            }
        }
        RNN.Output trained = dropped.forward(x, h0);
        assertClose(trained.output(), top.forward(Antorcha.zeros(5, 2, 4), h0.narrow(0, 1, 1)).output(), 1e-6, "p=1 output");
        // not after the last layer, and nothing in eval mode
        dropped.eval();
        assertClose(dropped.forward(x, h0).output(), plain.forward(x, h0).output(), 0, "eval output");
        assertThat(new LSTM(3, 4, RNNOptions.defaults().dropout(0.5)).forward(x)).isNotNull();   // accepted with one layer
    }

    @Test
    void argumentErrorsUsePyTorchsMessages() {
        LSTM lstm = new LSTM(3, 4, RNNOptions.defaults().numLayers(2));
        assertThatThrownBy(() -> lstm.forward(Antorcha.randn(5, 2, 5)))
                .hasMessage("input.size(-1) must be equal to input_size. Expected 3, got 5");
        assertThatThrownBy(() -> lstm.forward(Antorcha.randn(5, 2, 3), new LSTM.State(Antorcha.zeros(2, 3, 4), Antorcha.zeros(2, 2, 4))))
                .hasMessage("Expected hidden[0] size (2, 2, 4), got [2, 3, 4]");
        assertThatThrownBy(() -> lstm.forward(Antorcha.randn(5, 2, 3), new LSTM.State(Antorcha.zeros(2, 2, 4), Antorcha.zeros(1, 2, 4))))
                .hasMessage("Expected hidden[1] size (2, 2, 4), got [1, 2, 4]");
        assertThatThrownBy(() -> lstm.forward(Antorcha.randn(5, 2, 3), new LSTM.State(Antorcha.zeros(2, 4), Antorcha.zeros(2, 4))))
                .hasMessage("For batched 3-D input, hx and cx should also be 3-D but got (2-D, 2-D) tensors");
        assertThatThrownBy(() -> lstm.forward(Antorcha.randn(2, 5, 2, 3)))
                .hasMessage("LSTM: Expected input to be 2-D or 3-D but received 4-D tensor");
        GRU gru = new GRU(3, 4);
        assertThatThrownBy(() -> gru.forward(Antorcha.randn(5, 2, 3), Antorcha.zeros(1, 2, 5)))
                .hasMessage("Expected hidden size (1, 2, 4), got [1, 2, 5]");
        assertThatThrownBy(() -> gru.forward(Antorcha.randn(5, 3), Antorcha.zeros(1, 1, 4)))
                .hasMessage("For unbatched 2-D input, hx should also be 2-D but got 3-D tensor");
        assertThatThrownBy(() -> new RNN(3, 4, RNNOptions.defaults().nonlinearity("sigmoid")))
                .hasMessage("Unknown nonlinearity 'sigmoid'");
        assertThatThrownBy(() -> new LSTM(3, 4, RNNOptions.defaults().dropout(1.5)))
                .hasMessageStartingWith("dropout should be a number in range [0, 1]");
        assertThatThrownBy(() -> new GRU(3, 0)).hasMessageStartingWith("hidden_size must be greater than zero");
        assertThatThrownBy(() -> new GRU(3, 4, RNNOptions.defaults().numLayers(0))).hasMessageStartingWith("num_layers must be greater than zero");
    }

    @Test
    void theWordModelsStackTrainsItsParameters() {
        // every parameter of a two-layer LSTM gets a non-zero gradient from a loss on the output alone
        Antorcha.manualSeed(9);
        LSTM lstm = new LSTM(5, 6, RNNOptions.defaults().numLayers(2));
        lstm.forward(Antorcha.randn(7, 3, 5)).pow(2).sum().backward();
        List<String> zero = new ArrayList<>();
        for (var e : lstm.namedParameters().entrySet()) {
            double m = 0;
            for (double v : e.getValue().grad().toDoubleArray()) m = Math.max(m, Math.abs(v));
            if (m == 0) zero.add(e.getKey());
        }
        assertThat(zero).isEmpty();
    }
}
