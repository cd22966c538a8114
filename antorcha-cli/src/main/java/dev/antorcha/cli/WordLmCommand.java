package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.data.Corpus;
import dev.antorcha.data.TextBatches;
import dev.antorcha.examples.RNNModel;
import dev.antorcha.examples.WordLanguageModel;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code antorcha word-lm DATA_DIR}: PyTorch's word-level language model example
 * ({@link WordLanguageModel}, its recipe's defaults) with a progress bar, the per-epoch lines of
 * the example, a loss plot and the weights saved under the Python model's state-dict names.
 */
@Command(name = "word-lm", mixinStandardHelpOptions = true,
        description = "Train PyTorch's word-level language model (pytorch/examples word_language_model) on a folder "
                + "of train.txt, valid.txt and test.txt: validation perplexity per epoch, test perplexity at the end, "
                + "weights saved with PyTorch's names, the loss plotted.")
final class WordLmCommand implements Callable<Integer> {
    /** The example's evaluation batch size, fixed as its {@code eval_batch_size = 10}. */
    static final int EVAL_BATCH = 10;

    @Parameters(index = "0", paramLabel = "DATA_DIR",
            description = "folder holding train.txt, valid.txt and test.txt, one sentence or paragraph per line (WikiText-2's layout)")
    Path data;

    @Option(names = "--model", paramLabel = "TYPE", defaultValue = "LSTM",
            description = "recurrent network: LSTM, GRU, RNN_TANH or RNN_RELU (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--tied", description = "tie the word embedding and softmax weights (needs --nhid equal to --emsize)")
    boolean tied;

    @Option(names = "--emsize", defaultValue = "200", description = "size of the word embeddings (default: ${DEFAULT-VALUE})")
    int emsize;

    @Option(names = "--nhid", defaultValue = "200", description = "hidden units per layer (default: ${DEFAULT-VALUE})")
    int nhid;

    @Option(names = "--nlayers", defaultValue = "2", description = "recurrent layers (default: ${DEFAULT-VALUE})")
    int nlayers;

    @Option(names = "--lr", defaultValue = "20", description = "initial learning rate, divided by 4 whenever the "
            + "validation loss does not improve (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--clip", defaultValue = "0.25", description = "gradient clipping: the largest total norm (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--epochs", defaultValue = "40", description = "passes over the training text (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "20", description = "parallel columns of the training text (default: ${DEFAULT-VALUE}; evaluation uses 10)")
    int batchSize;

    @Option(names = "--bptt", defaultValue = "35", description = "sequence length of a chunk (default: ${DEFAULT-VALUE})")
    int bptt;

    @Option(names = "--dropout", defaultValue = "0.2", description = "dropout applied to layers, 0 = none (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--seed", defaultValue = "1111", description = "random seed: the same seed gives the same run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "CPU threads (default: all cores); results do not depend on it")
    Integer threads;

    @Option(names = "--save", defaultValue = "model.safetensors", description = "weights file (default: ${DEFAULT-VALUE})")
    Path save;

    @Option(names = "--plot", defaultValue = "losses.png", description = "loss plot, PNG (default: ${DEFAULT-VALUE})")
    Path plot;

    @Option(names = "--losses", paramLabel = "FILE", description = "also write every chunk's loss as CSV (iteration,loss)")
    Path lossesCsv;

    @Option(names = "--quiet", description = "no progress bar or per-epoch lines")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        String type = validate();
        Corpus corpus = new Corpus(data);
        Tensor train = batchify(corpus.train(), batchSize, "train.txt", "--batch-size " + batchSize);
        Tensor valid = batchify(corpus.valid(), EVAL_BATCH, "valid.txt", "the evaluation's " + EVAL_BATCH);
        Tensor test = batchify(corpus.test(), EVAL_BATCH, "test.txt", "the evaluation's " + EVAL_BATCH);
        int ntokens = corpus.dictionary().size();
        int chunks = WordLanguageModel.chunks(train.size(0), bptt);
        outputs(ntokens, chunks).check();
        if (threads != null) Antorcha.setNumThreads(threads);
        Antorcha.manualSeed(seed);
        LossPlot.prepareInBackground();
        RNNModel net = new RNNModel(type, ntokens, emsize, nhid, nlayers, dropout, tied);
        if (!quiet) {
            System.out.printf(Locale.ROOT, "%s: vocabulary of %,d words; train %,d tokens in %d columns, %d chunks of %d per epoch%n",
                    data, ntokens, corpus.train().size(0), batchSize, chunks, bptt);
        }
        List<Float> losses = new ArrayList<>();
        Progress progress = new Progress(System.out, Progress.stdoutIsTerminal(), !quiet, "tok/s");
        double rate = lr;
        Double best = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long te = System.nanoTime();
            progress.start(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), chunks);
            int e = epoch;
            WordLanguageModel.train(net, train, bptt, rate, clip, (chunk, total, loss, tokens) -> {
                if (!Float.isFinite(loss)) throw diverged(loss, e, chunk);
                losses.add(loss);
                progress.step(chunk, loss, tokens);
            });
            double val = WordLanguageModel.evaluate(net, valid, bptt);
            progress.finish(String.format(Locale.ROOT, "epoch %d: %.2f s, lr %s, valid ppl %.2f", epoch,
                    (System.nanoTime() - te) / 1e9, WordLanguageModel.pyG(rate), Math.exp(val)));
            if (best == null || val < best) {
                best = val;
            } else {
                rate /= 4.0;
            }
        }
        double testLoss = WordLanguageModel.evaluate(net, test, bptt);
        OutputFiles.write("--save", save, () -> SafeTensors.save(net.stateDict(), metadata(ntokens), save));
        if (lossesCsv != null) OutputFiles.write("--losses", lossesCsv, () -> writeCsv(losses));
        LossPlot lossPlot = LossPlot.builder(losses).iterationsPerEpoch(chunks)
                .title(data.getFileName() + ": " + type + (tied ? " (tied)" : "") + " loss per chunk").build();
        OutputFiles.write("--plot", plot, () -> lossPlot.save(plot));
        if (!quiet) System.out.println("saved weights to " + save + ", loss plot to " + plot);
        System.out.printf(Locale.ROOT, "test ppl: %.2f%n", Math.exp(testLoss));
        System.out.printf(Locale.ROOT, "total time: %.2f s%n", TrainCommand.secondsSinceStart(t0));
        return 0;
    }

    /** The options' own checks, before any file is read; returns the recurrent type in the example's spelling. */
    private String validate() {
        String type = model.toUpperCase(Locale.ROOT);
        if (!RNNModel.TYPES.contains(type)) {
            throw new UsageException("unknown --model '" + model + "' (expected LSTM, GRU, RNN_TANH or RNN_RELU)");
        }
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        positive("--bptt", bptt);
        positive("--emsize", emsize);
        positive("--nhid", nhid);
        positive("--nlayers", nlayers);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new UsageException("--lr must be a positive finite number, got " + Doubles.format(lr));
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new UsageException("--clip must be a positive finite number, got " + Doubles.format(clip));
        }
        if (!(dropout >= 0 && dropout < 1)) throw new UsageException("--dropout must be in [0, 1), got " + Doubles.format(dropout));
        if (tied && nhid != emsize) {
            throw new UsageException("--tied needs --nhid equal to --emsize (got " + nhid + " and " + emsize + ")");
        }
        if (threads != null && threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
        return type;
    }

    private static void positive(String option, int value) {
        if (value < 1) throw new UsageException(option + " must be >= 1, got " + value);
    }

    /** {@link TextBatches#batchify}, with at least two rows (a chunk needs a next row for its targets). */
    private Tensor batchify(Tensor ids, int columns, String file, String what) {
        if (ids.size(0) < 2 * columns) {
            throw new IllegalArgumentException(data.resolve(file) + " has " + ids.size(0) + " tokens: too few for "
                    + what + " columns of at least 2 tokens each (give more text or a smaller batch)");
        }
        return TextBatches.batchify(ids, columns);
    }

    /** The weights file's metadata: enough to rebuild the network (the vocabulary comes from the corpus). */
    private Map<String, String> metadata(int ntokens) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("antorcha.model", "word-lm");
        meta.put("antorcha.rnn_type", model.toUpperCase(Locale.ROOT));
        meta.put("antorcha.ntoken", Integer.toString(ntokens));
        meta.put("antorcha.tied", Boolean.toString(tied));
        meta.put("antorcha.corpus", String.valueOf(data.toAbsolutePath().normalize().getFileName()));
        return meta;
    }

    /** The outputs with roughly what each will hold: the weights' float32 values (a tied matrix twice), the plot, the CSV. */
    private OutputFiles outputs(int ntokens, int chunks) {
        long params = 2L * ntokens * emsize + ntokens + 4L * nlayers * nhid * (Math.max(emsize, nhid) + nhid + 2);
        return new OutputFiles().add("--save", save, 4 * params + 4096).add("--plot", plot, 256 * 1024)
                .add("--losses", lossesCsv, 24L * chunks * epochs + 64);
    }

    private IllegalStateException diverged(float loss, int epoch, int chunk) {
        return new IllegalStateException(String.format(Locale.ROOT,
                "the loss became %s at epoch %d, chunk %d: training diverged (try a smaller --lr than %s or --clip than %s); "
                        + "nothing was saved", Doubles.format(loss), epoch, chunk, Doubles.format(lr), Doubles.format(clip)));
    }

    private void writeCsv(List<Float> losses) throws IOException {
        StringBuilder sb = new StringBuilder("iteration,loss\n");
        for (int i = 0; i < losses.size(); i++) sb.append(i).append(',').append(losses.get(i)).append('\n');
        AtomicFiles.write(lossesCsv, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
