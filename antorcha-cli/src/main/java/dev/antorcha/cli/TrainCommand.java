package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.data.Batch;
import dev.antorcha.data.DataLoader;
import dev.antorcha.examples.Classifier;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.AdamW;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.SGD;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.MNIST;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code antorcha train}: the tutorial's job, with its defaults. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Download the data, train the tutorial's network, report test accuracy, save the weights and plot the loss.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--epochs", defaultValue = "3", description = "passes over the training set (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "images per iteration (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001",
            description = "learning rate, positive (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--hidden", defaultValue = "100,50", split = ",", paramLabel = "H1,H2", hideParamSyntax = true,
            description = "sizes of the two hidden layers (default: ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--shuffle", description = "shuffle the training set each epoch (the tutorial does not)")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "0",
            description = "seed for initialisation and shuffling: the same seed gives the same run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "CPU threads (default: all cores); results do not depend on it")
    Integer threads;

    @Option(names = "--plot", defaultValue = "losses.png", description = "loss plot, PNG (default: ${DEFAULT-VALUE})")
    Path plot;

    @Option(names = "--save", defaultValue = "classifier.safetensors", description = "weights file (default: ${DEFAULT-VALUE})")
    Path save;

    @Option(names = "--losses", paramLabel = "FILE", description = "also write every iteration's loss as CSV (iteration,loss)")
    Path lossesCsv;

    @Option(names = "--quiet", description = "no progress bar or per-epoch lines")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        validate();
        outputs().check();
        if (threads != null) Antorcha.setNumThreads(threads);
        Antorcha.manualSeed(seed);
        MNIST<Tensor> images = data.load(true, quiet);
        MNIST<Tensor> test = data.load(false, quiet);
        DataLoader<Batch> imageLoader = DataLoader.builder(images).batchSize(batchSize).shuffle(shuffle).build();

        LossPlot.prepareInBackground();
        Classifier classifier = new Classifier(hidden[0], hidden[1]);
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        Optimizer opt = optimizer(classifier);
        List<Float> losses = new ArrayList<>();
        Progress progress = new Progress(System.out, Progress.stdoutIsTerminal(), !quiet);
        Evaluation eval = null;
        Warmup.stop();
        for (int e = 0; e < epochs; e++) {
            long te = System.nanoTime();
            progress.start(String.format(Locale.ROOT, "epoch %d/%d", e + 1, epochs), imageLoader.size());
            int i = 0;
            for (Batch batch : imageLoader) {
                Tensor output = classifier.forward(batch.input());
                classifier.zeroGrad();
                Tensor error = lossFunction.forward(output, batch.target());
                error.backward();
                opt.step();
                float loss = error.item();
                if (!Float.isFinite(loss)) throw diverged(loss, e, i + 1);
                losses.add(loss);
                progress.step(++i, loss, batch.size());
            }
            double seconds = (System.nanoTime() - te) / 1e9;
            if (quiet) continue;   // the per-epoch accuracy is only for the epoch line
            eval = evaluate(classifier, test);
            progress.finish(String.format(Locale.ROOT, "epoch %d/%d: mean loss %.4f, test accuracy %.2f%%, %.2f s",
                    e + 1, epochs, progress.meanLoss(i), eval.accuracy(), seconds));
        }
        if (eval == null) eval = evaluate(classifier, test);
        OutputFiles.write("--save", save, () -> ModelFiles.save(classifier, save, data.choice().option));
        if (lossesCsv != null) OutputFiles.write("--losses", lossesCsv, () -> writeCsv(losses));
        LossPlot lossPlot = LossPlot.builder(losses).iterationsPerEpoch(imageLoader.size())
                .title(data.choice().option + ": loss per iteration").build();
        OutputFiles.write("--plot", plot, () -> lossPlot.save(plot));
        if (!quiet) System.out.println("saved weights to " + save + ", loss plot to " + plot);
        System.out.println(eval.accuracyLine());
        System.out.printf(Locale.ROOT, "total time: %.2f s%n", secondsSinceStart(t0));
        return 0;
    }

    /** Wall time since the command line started ({@code Main}'s first instruction). */
    static double secondsSinceStart(long t0) {
        return (System.nanoTime() - Math.min(t0, Main.START_NANOS)) / 1e9;
    }

    private void validate() {
        if (epochs < 1) throw new UsageException("--epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new UsageException("--batch-size must be >= 1, got " + batchSize);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UsageException("--lr must be a positive finite number, got " + Doubles.format(lr));
        }
        if (hidden.length != 2 || hidden[0] < 1 || hidden[1] < 1) {
            throw new UsageException("--hidden takes two positive sizes like 100,50, got "
                    + java.util.Arrays.toString(hidden));
        }
        data.choice();
        if (!OPTIMIZERS.contains(optimizer.toLowerCase(Locale.ROOT))) throw unknownOptimizer();
        if (threads != null && threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
    }

    /**
     * The three outputs with roughly what each will hold: the weights' float32 values, a plot of
     * a few hundred kilobytes, a CSV line per iteration (a training set of 60,000 at most).
     */
    private OutputFiles outputs() {
        long params = 784L * hidden[0] + hidden[0] + (long) hidden[0] * hidden[1] + hidden[1] + hidden[1] * 10L + 10;
        long iterations = (long) epochs * ((60_000 + batchSize - 1) / batchSize);
        return new OutputFiles().add("--save", save, 4 * params + 4096).add("--plot", plot, 256 * 1024)
                .add("--losses", lossesCsv, 24 * iterations + 64);
    }

    /** Training that has produced a nan or infinite loss cannot recover: stop, keep the old files, say why. */
    private IllegalStateException diverged(float loss, int epoch, int iteration) {
        return new IllegalStateException(String.format(Locale.ROOT,
                "the loss became %s at epoch %d, iteration %d: training diverged (try a smaller --lr than %s); nothing was saved",
                Doubles.format(loss), epoch + 1, iteration, Doubles.format(lr)));
    }

    /** Accuracy, loss and confusion on the test set, in batches of 1000. */
    private static Evaluation evaluate(Classifier model, MNIST<Tensor> test) {
        return Evaluation.of(model, test, 1000, test.classes().size());
    }

    private static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd");

    private UsageException unknownOptimizer() {
        return new UsageException("unknown optimizer '" + optimizer + "' (expected adam, adamw or sgd)");
    }

    private Optimizer optimizer(Classifier model) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(model.parameters(), lr);
            case "adamw" -> new AdamW(model.parameters(), lr);   // PyTorch's defaults, weight decay 0.01
            case "sgd" -> new SGD(model.parameters(), new SGD.Options(lr, 0.9, 0, 0, false));
            default -> throw unknownOptimizer();
        };
    }

    private void writeCsv(List<Float> losses) throws java.io.IOException {
        StringBuilder sb = new StringBuilder("iteration,loss\n");
        for (int i = 0; i < losses.size(); i++) sb.append(i).append(',').append(losses.get(i)).append('\n');
        AtomicFiles.write(lossesCsv, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
