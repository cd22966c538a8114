package dev.antorcha.examples;

import dev.antorcha.Antorcha;
import dev.antorcha.data.Corpus;
import dev.antorcha.data.TextBatches;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.functional.F;
import dev.antorcha.nn.utils.ClipGrad;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's word-level language model (pytorch/examples, {@code word_language_model/main.py})
 * translated line for line: the corpus batchified into 20 columns (10 for evaluation), chunks of
 * 35 tokens, the {@link RNNModel} (LSTM by default, 200 units, 2 layers, dropout 0.2), the hidden
 * state carried from chunk to chunk and detached, plain SGD written out by hand with the gradients
 * clipped to norm 0.25, the learning rate 20 divided by 4 whenever the validation loss does not
 * improve. Prints each epoch's validation perplexity and, at the end, the test perplexity.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp antorcha.jar dev.antorcha.examples.WordLanguageModel DATA_DIR [EPOCHS] [--tied] [--model LSTM|GRU|RNN_TANH|RNN_RELU]
 * </pre>
 * DATA_DIR holds {@code train.txt}, {@code valid.txt} and {@code test.txt}. {@code antorcha word-lm}
 * runs the same program with a progress bar, a loss plot and the weights saved.
 */
public final class WordLanguageModel {
    private WordLanguageModel() {
    }

    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        List<String> positional = new ArrayList<>();
        String kind = "LSTM";
        boolean tied = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) kind = args[++i];
            else if (args[i].equals("--tied")) tied = true;
            else positional.add(args[i]);
        }
        if (positional.isEmpty()) {
            System.err.println("usage: WordLanguageModel DATA_DIR [EPOCHS] [--tied] [--model LSTM|GRU|RNN_TANH|RNN_RELU]");
            System.exit(2);
        }
        Path root = Path.of(positional.get(0));
        int epochs = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 1;
        Antorcha.manualSeed(1111);
        Corpus corpus = new Corpus(root);
        Tensor train = TextBatches.batchify(corpus.train(), 20);
        Tensor valid = TextBatches.batchify(corpus.valid(), 10);
        Tensor test = TextBatches.batchify(corpus.test(), 10);
        int ntokens = corpus.dictionary().size();
        RNNModel model = new RNNModel(kind, ntokens, 200, 200, 2, 0.2, tied);
        System.out.println("antorcha | num_threads " + Antorcha.getNumThreads() + " | vocab " + ntokens);
        double lr = 20.0;
        Double best = null;
        int bptt = 35;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t = System.nanoTime();
            train(model, train, bptt, lr, 0.25, null);
            double val = evaluate(model, valid, bptt);
            System.out.printf(Locale.ROOT, "epoch %d: %.2f s, lr %s, valid ppl %.2f%n", epoch, (System.nanoTime() - t) / 1e9,
                    pyG(lr), Math.exp(val));
            if (best == null || val < best) {
                best = val;
            } else {
                lr /= 4.0;   // anneal the learning rate when the validation loss stops improving
            }
        }
        System.out.printf(Locale.ROOT, "test ppl: %.2f%n", Math.exp(evaluate(model, test, bptt)));
        System.out.printf(Locale.ROOT, "total time: %.2f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** What {@link #train} reports after each chunk: its index (from 1), the number of chunks, its loss and tokens. */
    @FunctionalInterface
    public interface ChunkListener {
        void chunkDone(int chunk, int chunks, float loss, int tokens);
    }

    /** The number of chunks {@link #train} and {@link #evaluate} read from a source of {@code rows} rows. */
    public static int chunks(int rows, int bptt) {
        return (rows - 1 + bptt - 1) / bptt;
    }

    /**
     * One epoch of the example's {@code train()}: for each chunk, detach the hidden state, zero the
     * gradients, forward, NLL loss, backward, clip the gradients' total norm to {@code clip}, then
     * {@code p.data.add_(p.grad, alpha=-lr)} for every parameter (a tied one once).
     *
     * @param train    the batchified training data, {@code [rows, batch]}
     * @param listener called after each chunk (null: none)
     */
    public static void train(RNNModel model, Tensor train, int bptt, double lr, double clip, ChunkListener listener) {
        // Turn on training mode which enables dropout.
        model.train();
        int ntokens = model.encoder.weight.size(0);
        RNNModel.Hidden hidden = model.initHidden(train.size(1));
        int chunks = chunks(train.size(0), bptt);
        List<Parameter> parameters = model.parameters();
        for (int batch = 0, i = 0; i < train.size(0) - 1; batch++, i += bptt) {
            TextBatches.Chunk chunk = TextBatches.getBatch(train, i, bptt);
            // Starting each batch, we detach the hidden state from how it was previously produced.
            // If we didn't, the model would try backpropagating all the way to start of the dataset.
            hidden = hidden.detach();
            model.zeroGrad();
            RNNModel.Output output = model.forward(chunk.data(), hidden);
            hidden = output.hidden();
            Tensor loss = F.nllLoss(output.logProbs().view(-1, ntokens), chunk.targets());
            loss.backward();
            // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
            ClipGrad.clipGradNorm_(parameters, clip);
            for (Parameter p : parameters) {
                p.detach().add_(p.grad(), -lr);   // p.data.add_(p.grad, alpha=-lr)
            }
            if (listener != null) listener.chunkDone(batch + 1, chunks, loss.item(), chunk.targets().size(0));
        }
    }

    /**
     * The example's {@code evaluate()}: the mean NLL loss per token over {@code source}
     * ({@code [rows, batch]}), read in chunks of {@code bptt} with the hidden state carried over,
     * in eval mode (no dropout) and without recording a graph.
     */
    public static double evaluate(RNNModel model, Tensor source, int bptt) {
        // Turn on evaluation mode which disables dropout.
        model.eval();
        double totalLoss = 0;
        int ntokens = model.encoder.weight.size(0);
        RNNModel.Hidden hidden = model.initHidden(source.size(1));
        try (var _ = Antorcha.noGrad()) {
            for (int i = 0; i < source.size(0) - 1; i += bptt) {
                TextBatches.Chunk chunk = TextBatches.getBatch(source, i, bptt);
                RNNModel.Output output = model.forward(chunk.data(), hidden);
                totalLoss += chunk.data().size(0) * (double) F.nllLoss(output.logProbs().view(-1, ntokens), chunk.targets()).item();
                hidden = output.hidden().detach();
            }
        }
        return totalLoss / (source.size(0) - 1);
    }

    /** Python's {@code f"{x:g}"}: six significant digits, trailing zeros dropped, exponent below 1e-4 or from 1e6. */
    public static String pyG(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return Double.isNaN(x) ? "nan" : Double.isInfinite(x) ? (x > 0 ? "inf" : "-inf") : (1 / x < 0 ? "-0" : "0");
        }
        BigDecimal d = new BigDecimal(x).round(new MathContext(6, java.math.RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String m = d.movePointLeft(exp).stripTrailingZeros().toPlainString();
            return m + (exp < 0 ? "e-" : "e+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
