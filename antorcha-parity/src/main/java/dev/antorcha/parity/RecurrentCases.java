package dev.antorcha.parity;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.GRU;
import dev.antorcha.nn.GRUCell;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.LSTMCell;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.RNN;
import dev.antorcha.nn.RNNCellBase;
import dev.antorcha.nn.RNNOptions;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recurrent cases of {@code PARITY_FORMAT_SEQ.md}: {@code rnn_tanh}, {@code rnn_relu},
 * {@code lstm}, {@code lstm_batch_first_bidir}, {@code gru} (a module built from the case's
 * params, its parameters loaded by state-dict key; once with the given initial state and, under
 * {@code zero_state/}, once without) and {@code lstm_cell}, {@code gru_cell} (a cell applied in a
 * loop over the steps of a batch-major {@code x}). The backward is that of
 * {@code sum_k sum(output_k * g/output_k)}.
 */
final class RecurrentCases {
    private RecurrentCases() {
    }

    private static final Set<String> KINDS = Set.of("rnn_tanh", "rnn_relu", "lstm", "lstm_batch_first_bidir", "gru",
            "lstm_cell", "gru_cell");

    /** Whether {@code kind} is one of these cases. */
    static boolean handles(String kind) {
        return KINDS.contains(kind);
    }

    /** The outputs of case {@code c} of kind {@code kind}, each sub-run from fresh copies of the inputs {@code in}. */
    static Map<String, Tensor> run(String kind, ParityCase c, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (kind.endsWith("_cell")) {
            cell(kind.equals("lstm_cell"), c, in, out);
            return out;
        }
        layer(c, in, "", true, out);
        if (c.outputs().containsKey("zero_state/output")) layer(c, in, "zero_state/", false, out);
        return out;
    }

    private static void layer(ParityCase c, Map<String, Tensor> in, String prefix, boolean withState, Map<String, Tensor> out) {
        String mode = string(c, "mode");
        int inputSize = (int) c.param("input_size"), hidden = (int) c.param("hidden_size");
        RNNOptions o = RNNOptions.defaults().numLayers((int) c.param("num_layers")).bias(flag(c, "bias"))
                .batchFirst(flag(c, "batch_first")).bidirectional(flag(c, "bidirectional")).dropout(c.param("dropout"));
        Module m = switch (mode) {
            case "LSTM" -> new LSTM(inputSize, hidden, o);
            case "GRU" -> new GRU(inputSize, hidden, o);
            case "RNN_TANH" -> new RNN(inputSize, hidden, o.nonlinearity("tanh"));
            case "RNN_RELU" -> new RNN(inputSize, hidden, o.nonlinearity("relu"));
            default -> throw new IllegalArgumentException("case " + c.id() + ": unknown mode '" + mode + "'");
        };
        Tensor x = leaf(require(in, c, "x"));
        load(m, in, c);
        Tensor h0 = withState ? leaf(require(in, c, "h0")) : null;
        Tensor c0 = withState && mode.equals("LSTM") ? leaf(require(in, c, "c0")) : null;
        Tensor output, hN, cN = null;
        if (m instanceof LSTM lstm) {
            LSTM.Output r = lstm.forward(x, withState ? new LSTM.State(h0, c0) : null);
            output = r.output();
            hN = r.state().h();
            cN = r.state().c();
        } else {
            RNN.Output r = m instanceof RNN rnn ? rnn.forward(x, h0) : ((GRU) m).forward(x, h0);
            output = r.output();
            hN = r.hN();
        }
        Tensor loss = output.mul(require(in, c, "g/output")).sum().add(hN.mul(require(in, c, "g/h_n")).sum());
        if (in.containsKey("g/c_n")) loss = loss.add(cN.mul(in.get("g/c_n")).sum());
        loss.backward();
        out.put(prefix + "output", output);
        out.put(prefix + "h_n", hN);
        if (cN != null) out.put(prefix + "c_n", cN);
        out.put(prefix + "dx", x.grad());
        if (h0 != null) out.put(prefix + "dh0", h0.grad());
        if (c0 != null) out.put(prefix + "dc0", c0.grad());
        grads(m, prefix, out);
    }

    private static void cell(boolean lstm, ParityCase c, Map<String, Tensor> in, Map<String, Tensor> out) {
        int inputSize = (int) c.param("input_size"), hidden = (int) c.param("hidden_size");
        RNNCellBase cell = lstm ? new LSTMCell(inputSize, hidden, flag(c, "bias")) : new GRUCell(inputSize, hidden, flag(c, "bias"));
        Tensor x = leaf(require(in, c, "x"));
        load(cell, in, c);
        Tensor h0 = leaf(require(in, c, "h0")), c0 = lstm ? leaf(require(in, c, "c0")) : null;
        Tensor h = h0, cs = c0;
        List<Tensor> hs = new ArrayList<>();
        for (int t = 0; t < x.size(1); t++) {
            if (lstm) {
                LSTM.State s = ((LSTMCell) cell).forward(x.select(1, t), new LSTM.State(h, cs));
                h = s.h();
                cs = s.c();
            } else {
                h = ((GRUCell) cell).forward(x.select(1, t), h);
            }
            hs.add(h);
        }
        Tensor all = Antorcha.stack(hs, 1);
        Tensor loss = all.mul(require(in, c, "g/h")).sum();
        if (lstm && in.containsKey("g/c_n")) loss = loss.add(cs.mul(in.get("g/c_n")).sum());
        loss.backward();
        out.put("h", all);
        if (lstm) out.put("c_n", cs);
        out.put("dx", x.grad());
        out.put("dh0", h0.grad());
        if (c0 != null) out.put("dc0", c0.grad());
        grads(cell, "", out);
    }

    /** A fresh leaf holding {@code t}'s values, so that each sub-run starts again from the file's inputs. */
    private static Tensor leaf(Tensor t) {
        return t.detach().clone().requiresGrad(true);
    }

    /** Every parameter of {@code m} from the input of the same state-dict key, in the inputs' dtype. */
    private static void load(Module m, Map<String, Tensor> in, ParityCase c) {
        m.to(require(in, c, "x").dtype());
        try (NoGrad _ = NoGrad.enter()) {
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) e.getValue().copy_(require(in, c, e.getKey()));
        }
    }

    private static void grads(Module m, String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) out.put(prefix + "grad/" + e.getKey(), e.getValue().grad());
    }

    private static Tensor require(Map<String, Tensor> in, ParityCase c, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }

    private static boolean flag(ParityCase c, String name) {
        if (!(c.params().get(name) instanceof Boolean b)) {
            throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not a boolean: " + c.params().get(name));
        }
        return b;
    }

    private static String string(ParityCase c, String name) {
        if (!(c.params().get(name) instanceof String s)) {
            throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not a string: " + c.params().get(name));
        }
        return s;
    }
}
