package dev.antorcha.parity;

import dev.antorcha.Antorcha;
import dev.antorcha.data.TextBatches;
import dev.antorcha.nn.Embedding;
import dev.antorcha.nn.GRU;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.RNN;
import dev.antorcha.nn.RNNOptions;
import dev.antorcha.nn.functional.F;
import dev.antorcha.nn.utils.ClipGrad;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code word_lm} and {@code word_lm_tied} network cases of {@code PARITY_FORMAT_SEQ.md}:
 * PyTorch's word-language-model {@code RNNModel} without dropout (encoder, recurrent layers,
 * decoder; the tied case shares one Parameter between the encoder and the decoder), its forward
 * values and gradients on the first chunk, then the example's hand-written SGD steps with gradient
 * clipping over the chunks of the case's source.
 */
final class WordLmCases {
    private WordLmCases() {
    }

    static boolean handles(String kind) {
        return kind.equals("word_lm") || kind.equals("word_lm_tied");
    }

    /** The example's {@code RNNModel} without dropout; sizes and the recurrent type from the case. */
    static final class Model extends Module {
        final Embedding encoder;
        final Module rnn;
        final Linear decoder;
        final String type;
        final int ntoken;

        /** A forward's log-probabilities {@code [bptt * batch, ntoken]} and final state ({@code c} null unless LSTM). */
        record Output(Tensor logProbs, Tensor h, Tensor c) {
        }

        @SuppressWarnings("this-escape")
        Model(String type, int ntoken, int ninp, int nhid, int nlayers, boolean tied) {
            this.type = type;
            this.ntoken = ntoken;
            encoder = registerModule("encoder", new Embedding(ntoken, ninp));
            RNNOptions o = RNNOptions.defaults().numLayers(nlayers);
            rnn = registerModule("rnn", switch (type) {
                case "LSTM" -> new LSTM(ninp, nhid, o);
                case "GRU" -> new GRU(ninp, nhid, o);
                case "RNN_TANH", "RNN_RELU" -> new RNN(ninp, nhid, o.nonlinearity(type.substring(4).toLowerCase(Locale.ROOT)));
                default -> throw new IllegalArgumentException("word_lm: unknown model '" + type + "' (LSTM, GRU, RNN_TANH or RNN_RELU)");
            });
            decoder = registerModule("decoder", new Linear(nhid, ntoken));
            if (tied) decoder.setParameter("weight", encoder.weight);
        }

        Output forward(Tensor data, Tensor h, Tensor c) {
            Tensor emb = encoder.forward(data);
            Tensor output;
            Tensor hN, cN = null;
            if (rnn instanceof LSTM lstm) {
                LSTM.Output o = lstm.forward(emb, new LSTM.State(h, c));
                output = o.output();
                hN = o.state().h();
                cN = o.state().c();
            } else {
                RNN.Output o = rnn instanceof GRU gru ? gru.forward(emb, h) : ((RNN) rnn).forward(emb, h);
                output = o.output();
                hN = o.hN();
            }
            Tensor decoded = decoder.forward(output);
            return new Output(F.logSoftmax(decoded.view(-1, ntoken), 1), hN, cN);
        }

        @Override
        public Tensor forward(Tensor data) {
            throw new UnsupportedOperationException("word_lm: call forward(data, h, c)");
        }
    }

    static Map<String, Tensor> run(ParityCase c, Map<String, Tensor> in) {
        Map<String, Tensor> init = NetworkCases.initialState(in);
        Tensor source = in.get("source");
        int bptt = (int) c.param("bptt"), batch = source.size(1);
        int nlayers = (int) c.param("nlayers"), nhid = (int) c.param("nhid");
        Map<String, Tensor> out = new LinkedHashMap<>();

        // batch 0 from a zero state: log-probabilities, loss, final state, gradients
        Model model = fresh(c, init);
        TextBatches.Chunk first = TextBatches.getBatch(source, 0, bptt);
        Model.Output o = model.forward(first.data(), zeros(model, nlayers, batch, nhid), lstmCell(model, nlayers, batch, nhid));
        Tensor loss = F.nllLoss(o.logProbs(), first.targets());
        loss.backward();
        out.put("log_probs", o.logProbs());
        out.put("loss", loss);
        out.put("hidden/h", o.h());
        if (o.c() != null) out.put("hidden/c", o.c());
        // every state-dict key, a tied weight under both of its names
        model.stateDict().keySet().forEach(k -> out.put("grad/" + k, model.getParameter(k).grad()));

        // the example's train(): hidden carried and detached, clipping, p.data.add_(p.grad, alpha=-lr)
        Model trained = fresh(c, init);
        double lr = c.param("lr"), clip = c.param("clip");
        List<Parameter> parameters = trained.parameters();
        Tensor h = zeros(trained, nlayers, batch, nhid), cell = lstmCell(trained, nlayers, batch, nhid);
        int steps = (int) c.param("steps");
        double[] losses = new double[steps], norms = new double[steps];
        int step = 0;
        for (int i = 0; i < source.size(0) - 1 && step < steps; i += bptt, step++) {
            TextBatches.Chunk chunk = TextBatches.getBatch(source, i, bptt);
            h = h.detach();
            cell = cell == null ? null : cell.detach();
            trained.zeroGrad();
            Model.Output r = trained.forward(chunk.data(), h, cell);
            h = r.h();
            cell = r.c();
            Tensor l = F.nllLoss(r.logProbs(), chunk.targets());
            l.backward();
            norms[step] = ClipGrad.clipGradNorm_(parameters, clip).doubleItem();
            for (Parameter p : parameters) p.detach().add_(p.grad(), -lr);
            losses[step] = l.doubleItem();
        }
        if (step != steps) {
            throw new IllegalArgumentException("word_lm: the source's " + source.size(0) + " rows give " + step
                    + " chunks of " + bptt + ", the case asks for " + steps + " steps");
        }
        out.put("losses", Antorcha.tensor(losses).toFloat());   // float32 values, held exactly by the doubles
        out.put("total_norms", Antorcha.tensor(norms).toFloat());
        trained.stateDict().forEach((k, v) -> out.put("step" + steps + "/" + k, v.contiguousCopy()));
        return out;
    }

    private static Model fresh(ParityCase c, Map<String, Tensor> init) {
        Object type = c.params().getOrDefault("model", "LSTM");
        Model m = new Model(String.valueOf(type).toUpperCase(Locale.ROOT), (int) c.param("ntoken"), (int) c.param("ninp"),
                (int) c.param("nhid"), (int) c.param("nlayers"), Boolean.TRUE.equals(c.params().get("tied")));
        m.loadStateDict(init, true);
        return m;
    }

    private static Tensor zeros(Model m, int nlayers, int batch, int nhid) {
        return Antorcha.zeros(m.decoder.bias.dtype(), nlayers, batch, nhid);
    }

    private static Tensor lstmCell(Model m, int nlayers, int batch, int nhid) {
        return m.rnn instanceof LSTM ? zeros(m, nlayers, batch, nhid) : null;
    }
}
