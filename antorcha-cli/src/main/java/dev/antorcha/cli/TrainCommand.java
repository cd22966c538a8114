package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.Cuda;
import dev.antorcha.data.Batch;
import dev.antorcha.data.BatchIterator;
import dev.antorcha.data.DataLoader;
import dev.antorcha.nn.Loss;
import dev.antorcha.nn.Module;
import dev.antorcha.optim.Adadelta;
import dev.antorcha.optim.Adagrad;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.RMSprop;
import dev.antorcha.optim.AdamW;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.SGD;
import dev.antorcha.optim.StepLR;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.vision.datasets.MNIST;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code antorcha train}: the tutorial's job, with its defaults, or another network's recipe
 * ({@code --model}). Options the recipe fixes default to the recipe's values.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Download the data, train a network (the tutorial's by default), report test accuracy, "
                + "save the weights and plot the loss.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "mlp",
            description = "mlp: the tutorial's network (3 Linear layers, Adam 0.001, batch 128, 3 epochs); "
                    + "cnn: PyTorch's MNIST example (2 convolutions, max pooling, dropout, Adadelta 1.0 with "
                    + "StepLR 0.7, batch 64 shuffled, 14 epochs, normalized input); "
                    + "mnist-rnn: PyTorch's MNIST RNN example (an LSTM over the 28 rows, BatchNorm1d, dropout, "
                    + "Adadelta 0.1 with StepLR 0.7, batch 64 shuffled, 14 epochs, normalized input) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--epochs", description = "passes over the training set (default: the model's, 3 for mlp, 14 for cnn and mnist-rnn)")
    Integer epochs;

    @Option(names = "--batch-size", description = "images per iteration (default: the model's, 128 for mlp, 64 for cnn and mnist-rnn)")
    Integer batchSize;

    @Option(names = "--lr", description = "learning rate, positive (default: the model's, 0.001 for mlp, 1.0 for cnn, 0.1 for mnist-rnn)")
    Double lr;

    @Option(names = "--optimizer",
            description = "adam, adamw, sgd (momentum 0.9), adadelta, rmsprop or adagrad, with PyTorch's defaults "
                    + "(default: the model's, adam for mlp, adadelta for cnn and mnist-rnn)")
    String optimizer;

    @Option(names = "--hidden", defaultValue = "100,50", split = ",", paramLabel = "H1,H2", hideParamSyntax = true,
            description = "sizes of the two hidden layers of the mlp (default: ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--shuffle", negatable = true,
            description = "shuffle the training set each epoch (default: the model's; the tutorial does not, cnn and mnist-rnn do)")
    Boolean shuffle;

    @Option(names = "--seed", defaultValue = "0",
            description = "seed for initialisation and shuffling: the same seed gives the same run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "CPU threads (default: all cores); results do not depend on it")
    Integer threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, cuda (or cuda:N), or auto: the GPU when one is usable, else the CPU (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--plot", defaultValue = "losses.png", description = "loss plot, PNG (default: ${DEFAULT-VALUE})")
    Path plot;

    @Option(names = "--save", defaultValue = "classifier.safetensors", description = "weights file (default: ${DEFAULT-VALUE})")
    Path save;

    @Option(names = "--losses", paramLabel = "FILE", description = "also write every iteration's loss as CSV (iteration,loss)")
    Path lossesCsv;

    @Option(names = "--quiet", description = "no progress bar or per-epoch lines")
    boolean quiet;

    @Option(names = "--lr-step", paramLabel = "N",
            description = "multiply the learning rate by --lr-gamma every N epochs, PyTorch's StepLR "
                    + "(default: the model's, off for mlp, 1 for cnn and mnist-rnn; 0: off)")
    Integer lrStep;

    @Option(names = "--lr-gamma", paramLabel = "G", defaultValue = "0.7",
            description = "factor of --lr-step, as in PyTorch's MNIST example (default: ${DEFAULT-VALUE})")
    double lrGamma;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "after every epoch, and when Ctrl-C stops the run at the end of an iteration (a second "
                    + "Ctrl-C quits at once), save what --resume needs in DIR; the previous checkpoint is replaced "
                    + "only once the new one is complete")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the run checkpointed in DIR, to the same weights as if it had never stopped "
                    + "(and keep checkpointing there unless --checkpoint says otherwise). Options left out take "
                    + "the checkpoint's values; one given with another value is refused, except --epochs "
                    + "(the total, to extend or shorten the run)")
    Path resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        applyRecipe();
        validate();
        Checkpoint resumed = Checkpoint.prepare(this, spec.commandLine().getParseResult());
        outputs().check();   // after prepare: a resumed run may take its hidden sizes from the checkpoint
        if (threads != null) Antorcha.setNumThreads(threads);
        Antorcha.manualSeed(seed);
        ModelKind kind = kind();
        MNIST<Tensor> images = data.load(true, quiet, kind.transform());
        MNIST<Tensor> test = data.load(false, quiet, kind.transform());
        DataLoader<Batch> imageLoader = DataLoader.builder(images).batchSize(batchSize).shuffle(shuffle).build();

        LossPlot.prepareInBackground();
        Device on = device();   // checked in validate(), before any data is read
        Module classifier = kind.create(hidden);
        classifier.to(on);   // before the optimizer takes the parameters' memory
        if (!quiet && on.type() != Device.Type.CPU) {
            System.out.println("device: " + on + ", " + dev.antorcha.backend.Backends.forDevice(on).describeKernels());
        }
        Loss lossFunction = kind.loss();
        Optimizer opt = optimizer(classifier);
        TrainingState run = new TrainingState(kind, classifier, opt, lrStep > 0 ? new StepLR(opt, lrStep, lrGamma) : null,
                RunSettings.of(this));
        if (resumed != null) resumed.restore(run);   // weights, optimizer, scheduler, losses, generator
        Path checkpointDir = checkpoint != null ? checkpoint : resume;
        if (resumed != null && checkpointDir.equals(resume)) run.savedAt = run.totalIterations();
        List<Float> losses = run.losses;
        Progress progress = new Progress(System.out, Progress.stdoutIsTerminal(), !quiet);
        Evaluation eval = null;
        Warmup.stop();
        try (Interrupts interrupts = Interrupts.install()) {
            for (int e = run.epoch; e < epochs; e++) {
                if (interrupts.requested()) return interrupted(run, checkpointDir, interrupts);
                long te = System.nanoTime();
                run.rngAtEpochStart = Antorcha.getRngState();   // before the loader draws the epoch's order
                BatchIterator<Batch> batches = imageLoader.iterator();
                for (int k = 0; k < run.iteration; k++) batches.next();   // done before the checkpoint
                int first = losses.size() - run.iteration;
                progress.start(String.format(Locale.ROOT, "epoch %d/%d", e + 1, epochs), imageLoader.size());
                classifier.train();
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    Tensor output = classifier.forward(batch.input().to(on));
                    classifier.zeroGrad();
                    Tensor error = lossFunction.forward(output, batch.target().to(on));
                    error.backward();
                    opt.step();
                    float loss = error.item();
                    if (!Float.isFinite(loss)) throw diverged(loss, e, run.iteration + 1);
                    losses.add(loss);
                    progress.step(++run.iteration, loss, batch.size());
                    if (interrupts.requested()) return interrupted(run, checkpointDir, interrupts);
                }
                double seconds = (System.nanoTime() - te) / 1e9;
                run.epoch++;
                run.iteration = 0;
                if (run.scheduler != null) run.scheduler.step();
                run.rngAtEpochStart = Antorcha.getRngState();
                if (checkpointDir != null) saveCheckpoint(run, checkpointDir);
                if (quiet) continue;   // the per-epoch accuracy is only for the epoch line
                eval = evaluate(classifier, test);
                double sum = 0;
                for (float l : losses.subList(first, losses.size())) sum += l;
                progress.finish(String.format(Locale.ROOT, "epoch %d/%d: mean loss %.4f, test accuracy %.2f%%, %.2f s",
                        e + 1, epochs, sum / (losses.size() - first), eval.accuracy(), seconds));
            }
            if (!interrupts.finish()) return interrupted(run, checkpointDir, interrupts);
        }
        if (eval == null) eval = evaluate(classifier, test);
        OutputFiles.write("--save", save, () -> ModelFiles.save(classifier, kind, save, data.choice().option));
        if (lossesCsv != null) OutputFiles.write("--losses", lossesCsv, () -> writeCsv(losses));
        LossPlot lossPlot = LossPlot.builder(losses).iterationsPerEpoch(imageLoader.size())
                .title(data.choice().option + ": loss per iteration").build();
        OutputFiles.write("--plot", plot, () -> lossPlot.save(plot));
        if (!quiet) System.out.println("saved weights to " + save + ", loss plot to " + plot);
        System.out.println(eval.accuracyLine());
        System.out.printf(Locale.ROOT, "total time: %.2f s%n", secondsSinceStart(t0));
        return 0;
    }

    private static void saveCheckpoint(TrainingState run, Path dir) throws java.io.IOException {
        if (run.savedAt == run.totalIterations()) return;
        Checkpoint.save(dir, run);
        run.savedAt = run.totalIterations();
    }

    /** Ends a run stopped by Ctrl-C or SIGTERM: checkpoint, one line, exit status 130. */
    private int interrupted(TrainingState run, Path dir, Interrupts interrupts) throws java.io.IOException {
        try {
            String where;
            if (dir == null) {
                where = "nothing saved (train with --checkpoint DIR to be able to resume)";
            } else if (run.totalIterations() == 0) {
                where = "nothing to checkpoint yet";
            } else {
                saveCheckpoint(run, dir);
                where = "checkpoint in " + dir + " (resume with --resume " + dir + ")";
            }
            if (!quiet && Progress.stdoutIsTerminal()) System.out.print("\r\u001b[K");   // the progress bar's line
            System.out.flush();
            System.err.println("interrupted " + run.position() + "; " + where);   // at epoch E, iteration I | after epoch E
            System.err.flush();
            return 130;   // the JVM's own status for SIGINT; it exits with 143 for SIGTERM whatever this says
        } finally {
            interrupts.settled();
        }
    }

    /** Wall time since the command line started ({@code Main}'s first instruction). */
    static double secondsSinceStart(long t0) {
        return (System.nanoTime() - Math.min(t0, Main.START_NANOS)) / 1e9;
    }

    /**
     * The device to train on: {@code auto} is the first GPU when CUDA can be used, else the CPU; a
     * GPU asked for by name that cannot be used is an error that says why.
     */
    private Device device() {
        String d = device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("auto")) return Cuda.isAvailable() ? Device.cuda() : Device.CPU;
        Device parsed;
        try {
            parsed = Device.of(d);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--device takes cpu, cuda, cuda:N or auto, got '" + device + "'");
        }
        if (parsed.type() == Device.Type.CUDA && !Cuda.isAvailable()) {
            throw new UsageException("--device " + device + ": " + Cuda.unavailableReason());
        }
        if (parsed.type() == Device.Type.CUDA && (checkpoint != null || resume != null)) {
            throw new UsageException("--checkpoint and --resume run on the CPU only for now (--device cpu)");
        }
        return parsed;
    }

    /** The model's choice, a usage error when unknown. */
    ModelKind kind() {
        return ModelKind.parse(model);
    }

    /**
     * Fills the options left out with the model's recipe. A resumed run then adopts the
     * checkpoint's values for the options left out ({@link RunSettings#adopt}).
     */
    private void applyRecipe() {
        ModelKind.Recipe r = kind().recipe;
        if (epochs == null) epochs = r.epochs();
        if (batchSize == null) batchSize = r.batchSize();
        if (lr == null) lr = r.lr();
        if (optimizer == null) optimizer = r.optimizer();
        if (lrStep == null) lrStep = r.lrStep();
        if (shuffle == null) shuffle = r.shuffle();
        if (kind() != ModelKind.MLP && spec.commandLine().getParseResult().hasMatchedOption("--hidden")) {
            throw new UsageException("--hidden sets the mlp's layers; --model " + kind() + " has fixed sizes");
        }
    }

    private void validate() {
        kind();
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
        device();
    }

    /**
     * The three outputs with roughly what each will hold: the weights' float32 values, a plot of
     * a few hundred kilobytes, a CSV line per iteration (a training set of 60,000 at most).
     */
    private OutputFiles outputs() {
        long params = kind().parameterCount(hidden);
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

    /** Accuracy, loss and confusion on the test set, in the model's test batches. */
    private Evaluation evaluate(Module model, MNIST<Tensor> test) {
        return Evaluation.of(model, test, kind().recipe.testBatch(), test.classes().size());
    }

    private static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "adadelta", "rmsprop", "adagrad");

    private UsageException unknownOptimizer() {
        return new UsageException("unknown optimizer '" + optimizer + "' (expected adam, adamw, sgd, adadelta, rmsprop or adagrad)");
    }

    private Optimizer optimizer(Module model) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(model.parameters(), lr);
            case "adamw" -> new AdamW(model.parameters(), lr);   // PyTorch's defaults, weight decay 0.01
            case "sgd" -> new SGD(model.parameters(), new SGD.Options(lr, 0.9, 0, 0, false));
            case "adadelta" -> new Adadelta(model.parameters(), lr);   // PyTorch's defaults: rho 0.9, eps 1e-6
            case "rmsprop" -> new RMSprop(model.parameters(), lr);
            case "adagrad" -> new Adagrad(model.parameters(), lr);
            default -> throw unknownOptimizer();
        };
    }

    private void writeCsv(List<Float> losses) throws java.io.IOException {
        StringBuilder sb = new StringBuilder("iteration,loss\n");
        for (int i = 0; i < losses.size(); i++) sb.append(i).append(',').append(losses.get(i)).append('\n');
        AtomicFiles.write(lossesCsv, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
