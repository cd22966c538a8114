package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.examples.TimeSequence;
import dev.antorcha.io.SafeTensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code antorcha time-sequence}: PyTorch's {@code time_sequence_prediction} example
 * ({@link TimeSequence}), its losses printed as the Python prints them, its figure after every step.
 */
@Command(name = "time-sequence", mixinStandardHelpOptions = true,
        description = "PyTorch's time_sequence_prediction example: two LSTMCells in float64 trained with LBFGS on sine "
                + "waves, predicting 1000 further values; prints each step's train and test loss and plots the predictions.")
final class TimeSequenceCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "15", description = "LBFGS steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--waves", defaultValue = "100", description = "sine waves, the first 3 held out for the test (default: ${DEFAULT-VALUE})")
    int waves;

    @Option(names = "--length", defaultValue = "1000", description = "values per wave (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--future", defaultValue = "1000", description = "further values predicted after each step (default: ${DEFAULT-VALUE})")
    int future;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the initialisation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "CPU threads for the computation (default: 1: the products of 97 rows by 51"
            + " are too small to share, and the antorcha launcher gives the other cores to the collector);"
            + " results do not depend on it")
    Integer threads;

    @Option(names = "--plot", defaultValue = "predict%d.png",
            description = "figure of the predictions after each step, PNG; %%d is replaced by the step, as the example's "
                    + "predict%%d.pdf (a name without %%d holds the latest) (default: ${DEFAULT-VALUE})")
    Path plot;

    @Option(names = "--no-plot", description = "draw no figure")
    boolean noPlot;

    @Option(names = "--save", paramLabel = "FILE", description = "also save the trained weights (safetensors, PyTorch's names: lstm1.weight_ih, ...)")
    Path save;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) throw new UsageException("--steps must be >= 1, got " + steps);
        if (waves < 4) throw new UsageException("--waves must be >= 4 (3 are held out for the test), got " + waves);
        if (length < 2) throw new UsageException("--length must be >= 2, got " + length);
        if (future < 0) throw new UsageException("--future must be >= 0, got " + future);
        if (threads != null && threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
        Path figure = noPlot ? null : plot;
        new OutputFiles().add("--plot", figure == null ? null : TimeSequence.plotFile(figure, 0), 512 * 1024)
                .add("--save", save, 200_000).check();
        int before = Antorcha.getNumThreads();
        Antorcha.setNumThreads(threads != null ? threads : 1);
        var settings = new TimeSequence.Settings(steps, waves, length, future, seed, figure);
        TimeSequence.Result r;
        try {
            r = TimeSequence.run(settings, System.out, Main.START_NANOS);
        } finally {
            Antorcha.setNumThreads(before);   // the process's setting again (the command may run inside another program)
        }
        if (save != null) {
            OutputFiles.write("--save", save, () -> SafeTensors.save(r.model().stateDict(),
                    Map.of("format", "pt", "antorcha.model", "time-sequence"), save));
        }
        double last = r.losses().getLast().train();
        if (!Double.isFinite(last)) {
            System.err.println("antorcha: training diverged (train loss " + last + ")");
            return 1;
        }
        return 0;
    }
}
