package dev.antorcha.examples;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Dropout;
import dev.antorcha.nn.Embedding;
import dev.antorcha.nn.GRU;
import dev.antorcha.nn.Init;
import dev.antorcha.nn.LSTM;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.RNN;
import dev.antorcha.nn.RNNOptions;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * The network of PyTorch's word-language-model example ({@code word_language_model/model.py}'s
 * {@code RNNModel}): an encoder (embedding), a recurrent module and a decoder (linear layer to the
 * vocabulary), with dropout after the encoder and after the recurrent module.
 * {@code [seq_len, batch]} token ids and a hidden state → {@code [seq_len, batch, ntoken]}
 * log-probabilities and the next hidden state. Its state dict has the Python class's names
 * ({@code encoder.weight}, {@code rnn.weight_ih_l0}, ..., {@code decoder.weight}, {@code decoder.bias}),
 * so weights saved here load into the Python model with {@code strict=True} and back.
 *
 * <pre>{@code
 * RNNModel model = new RNNModel("LSTM", ntokens, 200, 200, 2, 0.2, false);
 * RNNModel.Hidden hidden = model.initHidden(20);
 * RNNModel.Output out = model.forward(data, hidden);   // data [35, 20] -> logProbs [35, 20, ntokens]
 * }</pre>
 */
// Registration hands `this` to Module's maps before the fields below are all set; Module only
// stores the reference, as PyTorch's __init__ does, so nothing reads a half-built model.
@SuppressWarnings("this-escape")
public class RNNModel extends Module {
    /** The recurrent modules {@code rnnType} may name, as the Python example spells them. */
    public static final List<String> TYPES = List.of("LSTM", "GRU", "RNN_TANH", "RNN_RELU");

    public final Dropout drop;
    public final Embedding encoder;
    /** An {@link LSTM}, a {@link GRU} or an {@link RNN}, as {@link #rnnType} says. */
    public final Module rnn;
    public final Linear decoder;
    public final String rnnType;
    public final int nhid;
    public final int nlayers;

    /**
     * A hidden state: {@code h [nlayers, batch, nhid]}, and for an LSTM also its cell state
     * {@code c} (null otherwise), Python's {@code (h, c)} tuple or lone tensor.
     */
    public record Hidden(Tensor h, Tensor c) {
        /** The same values cut from the graph that produced them, the example's {@code repackage_hidden}. */
        public Hidden detach() {
            return new Hidden(h.detach(), c == null ? null : c.detach());
        }
    }

    /** A forward's result: {@code [seq_len, batch, ntoken]} log-probabilities and the final hidden state. */
    public record Output(Tensor logProbs, Hidden hidden) {
    }

    /**
     * @param rnnType LSTM, GRU, RNN_TANH or RNN_RELU
     * @param ntoken  the vocabulary's size
     * @param ninp    the embedding size
     * @param nhid    the hidden units per layer
     * @param nlayers the recurrent layers
     * @param dropout the dropout probability (after the encoder, between layers, before the decoder)
     * @param tieWeights share the encoder's and the decoder's weight ({@code nhid} must equal {@code ninp})
     */
    public RNNModel(String rnnType, int ntoken, int ninp, int nhid, int nlayers, double dropout, boolean tieWeights) {
        String type = rnnType == null ? "" : rnnType.toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("An invalid option for `--model` was supplied ('" + rnnType
                    + "'), options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']");
        }
        this.drop = registerModule("drop", new Dropout(dropout));
        this.encoder = registerModule("encoder", new Embedding(ntoken, ninp));
        RNNOptions options = RNNOptions.defaults().numLayers(nlayers).dropout(dropout);
        this.rnn = registerModule("rnn", switch (type) {
            case "LSTM" -> new LSTM(ninp, nhid, options);
            case "GRU" -> new GRU(ninp, nhid, options);
            default -> new RNN(ninp, nhid, options.nonlinearity(type.equals("RNN_TANH") ? "tanh" : "relu"));
        });
        this.decoder = registerModule("decoder", new Linear(nhid, ntoken));
        // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016) and "Tying Word
        // Vectors and Word Classifiers" (Inan et al. 2016): one matrix for both ends.
        if (tieWeights) {
            if (nhid != ninp) throw new IllegalArgumentException("When using the tied flag, nhid must be equal to emsize");
            decoder.setParameter("weight", encoder.weight);
        }
        this.rnnType = type;
        this.nhid = nhid;
        this.nlayers = nlayers;
        initWeights();
    }

    private void initWeights() {
        double initrange = 0.1;
        Init.uniform_(encoder.weight, -initrange, initrange);
        try (var _ = Antorcha.noGrad()) {
            decoder.bias.zero_();   // nn.init.zeros_
        }
        Init.uniform_(decoder.weight, -initrange, initrange);
    }

    /** {@code input [seq_len, batch]} int64 with the given hidden state (null: zeros). */
    public Output forward(Tensor input, Hidden hidden) {
        Tensor emb = drop.forward(encoder.forward(input));
        Tensor output;
        Hidden next;
        if (rnn instanceof LSTM lstm) {
            LSTM.Output o = lstm.forward(emb, hidden == null ? null : new LSTM.State(hidden.h(), hidden.c()));
            output = o.output();
            next = new Hidden(o.state().h(), o.state().c());
        } else {
            RNN.Output o = rnn instanceof GRU gru ? gru.forward(emb, hidden == null ? null : hidden.h())
                    : ((RNN) rnn).forward(emb, hidden == null ? null : hidden.h());
            output = o.output();
            next = new Hidden(o.hN(), null);
        }
        output = drop.forward(output);
        Tensor decoded = decoder.forward(output);
        return new Output(F.logSoftmax(decoded, -1), next);
    }

    /** The log-probabilities from a zero hidden state: {@code [seq_len, batch]} → {@code [seq_len, batch, ntoken]}. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).logProbs();
    }

    /** Zeros for {@code bsz} columns, in the model's dtype. */
    public Hidden initHidden(int bsz) {
        var dtype = decoder.bias.dtype();
        Tensor h = Antorcha.zeros(dtype, nlayers, bsz, nhid);
        return new Hidden(h, rnnType.equals("LSTM") ? Antorcha.zeros(dtype, nlayers, bsz, nhid) : null);
    }
}
