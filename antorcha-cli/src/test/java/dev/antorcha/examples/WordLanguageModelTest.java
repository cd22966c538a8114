package dev.antorcha.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.cli.TextCorpus;
import dev.antorcha.data.Corpus;
import dev.antorcha.data.TextBatches;
import dev.antorcha.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch's word-language-model example translated to Java ({@link WordLanguageModel}, {@link RNNModel}). */
class WordLanguageModelTest {
    /** PyTorch's RNNModel('LSTM', ntoken, ninp, nhid, 2).state_dict().keys(), in order (the parity cases list the same). */
    static final List<String> LSTM_KEYS = List.of("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
            "rnn.bias_hh_l0", "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight",
            "decoder.bias");

    @Test
    void anEpochOnATinyCorpusLowersTheLossOfEveryRecurrentType(@TempDir Path tmp) throws Exception {
        Corpus corpus = new Corpus(TextCorpus.write(tmp.resolve("text"), 4000));
        Tensor train = TextBatches.batchify(corpus.train(), 4);
        Tensor valid = TextBatches.batchify(corpus.valid(), 10);
        int ntokens = corpus.dictionary().size();
        for (String type : RNNModel.TYPES) {
            Antorcha.manualSeed(1111);
            RNNModel model = new RNNModel(type, ntokens, 16, 16, 2, 0.0, false);
            double before = WordLanguageModel.evaluate(model, valid, 10);
            List<Float> losses = new ArrayList<>();
            // the recipe's lr of 20 is for its 200 units: 16 learn at a smaller one
            WordLanguageModel.train(model, train, 10, type.equals("LSTM") ? 5.0 : 2.0, 0.25,
                    (chunk, chunks, loss, tokens) -> losses.add(loss));
            double after = WordLanguageModel.evaluate(model, valid, 10);
            // an untrained model is close to uniform over the vocabulary: log(ntokens)
            assertThat(before).as(type).isBetween(Math.log(ntokens) - 0.2, Math.log(ntokens) + 0.2);
            assertThat(after).as(type + ": valid loss after one epoch").isLessThan(before - 0.5);
            assertThat(losses).hasSize(WordLanguageModel.chunks(train.size(0), 10));
            assertThat(mean(losses.subList(losses.size() - 10, losses.size()))).as(type).isLessThan(mean(losses.subList(0, 10)));
        }
    }

    @Test
    void theStateDictHasPyTorchsNamesAndATiedWeightIsOneParameterUnderTwoNames() {
        RNNModel untied = new RNNModel("LSTM", 50, 16, 16, 2, 0.2, false);
        assertThat(untied.stateDict().keySet()).containsExactlyElementsOf(LSTM_KEYS);
        RNNModel tied = new RNNModel("LSTM", 50, 16, 16, 2, 0.2, true);
        assertThat(tied.stateDict().keySet()).containsExactlyElementsOf(LSTM_KEYS);
        assertThat(tied.decoder.weight).isSameAs(tied.encoder.weight);
        assertThat(tied.parameters()).hasSize(untied.parameters().size() - 1);
        assertThat(tied.stateDict().get("decoder.weight").toFloatArray()).containsExactly(tied.stateDict().get("encoder.weight").toFloatArray());
        assertThat(new RNNModel("GRU", 50, 16, 8, 1, 0, false).stateDict().get("rnn.weight_ih_l0").shape().toArray())
                .containsExactly(3 * 8, 16);
        assertThat(new RNNModel("RNN_RELU", 50, 16, 8, 1, 0, false).stateDict().get("rnn.weight_hh_l0").shape().toArray())
                .containsExactly(8, 8);
    }

    @Test
    void initialisationIsTheExamples() {
        Antorcha.manualSeed(0);
        RNNModel m = new RNNModel("LSTM", 300, 20, 20, 1, 0.2, false);
        for (Tensor w : List.of(m.encoder.weight, m.decoder.weight)) {
            float[] v = w.toFloatArray();
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            assertThat(lo).isGreaterThanOrEqualTo(-0.1f).isLessThan(-0.09f);
            assertThat(hi).isLessThanOrEqualTo(0.1f).isGreaterThan(0.09f);
        }
        assertThat(m.decoder.bias.toFloatArray()).containsOnly(0f);
    }

    @Test
    void forwardShapesAndTheHiddenStateCarriesOver() {
        Antorcha.manualSeed(2);
        RNNModel m = new RNNModel("LSTM", 30, 8, 8, 2, 0.0, false);
        m.eval();
        Tensor data = Antorcha.tensor(new long[] {1, 2, 3, 4, 5, 6}, 3, 2);
        RNNModel.Output o = m.forward(data, m.initHidden(2));
        assertThat(o.logProbs().shape().toArray()).containsExactly(3, 2, 30);
        assertThat(o.hidden().h().shape().toArray()).containsExactly(2, 2, 8);
        assertThat(o.hidden().c().shape().toArray()).containsExactly(2, 2, 8);
        // the whole sequence at once equals two pieces with the state carried between them
        RNNModel.Output a = m.forward(data.narrow(0, 0, 2), m.initHidden(2));
        RNNModel.Output b = m.forward(data.narrow(0, 2, 1), a.hidden().detach());
        float[] whole = o.logProbs().narrow(0, 2, 1).contiguous().toFloatArray(), parts = b.logProbs().toFloatArray();
        for (int i = 0; i < whole.length; i++) assertThat(parts[i]).isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(new RNNModel("GRU", 30, 8, 8, 2, 0.0, false).initHidden(3).c()).isNull();
    }

    @Test
    void badArgumentsAreTheExamplesErrors() {
        assertThatThrownBy(() -> new RNNModel("LSTMX", 10, 4, 4, 1, 0, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']");
        assertThatThrownBy(() -> new RNNModel("LSTM", 10, 4, 6, 1, 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nhid must be equal to emsize");
    }

    /** The learning rate is printed as Python's f"{lr:g}" prints it (values from Python 3). */
    @Test
    void learningRatesPrintAsPython() {
        double[] lrs = {20, 5, 1.25, 0.3125, 0.078125, 0.01953125, 0.0048828125, 0.001220703125, 0.00030517578125,
                7.62939453125e-05, 1e6, 123456.0, 0.0001, 1234567.0};
        String[] python = {"20", "5", "1.25", "0.3125", "0.078125", "0.0195312", "0.00488281", "0.0012207", "0.000305176",
                "7.62939e-05", "1e+06", "123456", "0.0001", "1.23457e+06"};
        for (int i = 0; i < lrs.length; i++) assertThat(WordLanguageModel.pyG(lrs[i])).isEqualTo(python[i]);
    }

    private static double mean(List<Float> xs) {
        double s = 0;
        for (float x : xs) s += x;
        return s / xs.size();
    }
}
