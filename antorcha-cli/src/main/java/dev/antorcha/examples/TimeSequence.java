package dev.antorcha.examples;

import dev.antorcha.Antorcha;
import dev.antorcha.cli.PredictionPlot;
import dev.antorcha.nn.MSELoss;
import dev.antorcha.optim.LBFGS;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's {@code time_sequence_prediction} example, translated line for line (see README): 100
 * sine waves of length 1000 with random phase shifts (numpy's {@code RandomState(2)}, the same
 * shifts as the Python), the {@link Sequence} network in float64, MSE loss, LBFGS with lr 0.8 and a
 * closure; after each step the test loss on 3 held-out waves while the network also predicts 1000
 * further values, and the figure of those predictions. Prints what the Python prints:
 * {@code step N: train loss L, test loss T}, then {@code total time: N.NN s}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp antorcha.jar dev.antorcha.examples.TimeSequence [STEPS]
 * </pre>
 */
public final class TimeSequence {
    private TimeSequence() {
    }

    /**
     * What the run does: {@code steps} LBFGS steps on {@code waves} sine waves of {@code length}
     * values (the first 3 held out for the test), predicting {@code future} further values; the
     * figure after step {@code i} goes to {@code plot} with {@code %d} replaced by {@code i} (null:
     * no figure). The example's: 15 steps, 100 waves of 1000, 1000 future values, {@code predict%d.png}.
     */
    public record Settings(int steps, int waves, int length, int future, long seed, Path plot) {
        public Settings {
            if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
            if (waves < 4) throw new IllegalArgumentException("waves must be >= 4 (3 are held out for the test), got " + waves);
            if (length < 2) throw new IllegalArgumentException("length must be >= 2 (inputs and next values), got " + length);
            if (future < 0) throw new IllegalArgumentException("future must be >= 0, got " + future);
        }

        public static Settings example() {
            return new Settings(15, 100, 1000, 1000, 0, Path.of("predict%d.png"));
        }
    }

    /** The losses printed after one step. */
    public record StepLosses(double train, double test) {
    }

    /** The losses of every step and the trained network. */
    public record Result(List<StepLosses> losses, Sequence model) {
    }

    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        Settings s = Settings.example();
        if (args.length > 0) s = new Settings(Integer.parseInt(args[0]), s.waves(), s.length(), s.future(), s.seed(), s.plot());
        run(s, System.out, t0);
    }

    /** The example's sine waves {@code [N, L]}: {@code sin((j + shift_i) / T)}, shifts in {@code [-4T, 4T)} from numpy's seed 2. */
    public static Tensor sineWaves(int T, int L, int N) {
        long[] shift = new RandomState(2).randint(-4L * T, 4L * T, N);
        double[] x = new double[N * L];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < L; j++) x[i * L + j] = Math.sin((j + shift[i]) / 1.0 / T);
        }
        return Antorcha.tensor(x, N, L);
    }

    /** The example's program; prints each step's losses and the total time since {@code t0} (a {@code System.nanoTime()}). */
    public static Result run(Settings s, PrintStream out, long t0) throws IOException {
        Antorcha.manualSeed(s.seed());
        return run(s, new Sequence(), out, t0);
    }

    /** The program with a network of the caller's (tests start from known weights). */
    static Result run(Settings s, Sequence seq, PrintStream out, long t0) throws IOException {
        Tensor data = sineWaves(20, s.length(), s.waves());
        int n = s.waves(), l = s.length();
        Tensor x = data.slice(0, 3, n).slice(1, 0, l - 1), y = data.slice(0, 3, n).slice(1, 1, l);
        Tensor tx = data.slice(0, 0, 3).slice(1, 0, l - 1), ty = data.slice(0, 0, 3).slice(1, 1, l);
        seq.toDouble();
        MSELoss criterion = new MSELoss();
        LBFGS optimizer = new LBFGS(seq.parameters(), 0.8);
        List<StepLosses> losses = new ArrayList<>();
        for (int i = 0; i < s.steps(); i++) {
            double trainLoss = optimizer.step(() -> {
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(seq.forward(x), y);
                loss.backward();
                return loss;
            }).doubleItem();
            double testLoss;
            Tensor pred;
            try (var _ = Antorcha.noGrad()) {
                pred = seq.forward(tx, s.future());
                testLoss = criterion.forward(pred.slice(1, 0, l - 1), ty).doubleItem();
            }
            out.println("step " + i + ": train loss " + PyFormat.g6(trainLoss) + ", test loss " + PyFormat.g6(testLoss));
            out.flush();
            losses.add(new StepLosses(trainLoss, testLoss));
            if (s.plot() != null) plot(pred, l - 1, plotFile(s.plot(), i));
        }
        out.printf(Locale.ROOT, "total time: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        return new Result(losses, seq);
    }

    /** {@code pattern} with {@code %d} replaced by the step, as the example's {@code 'predict%d.pdf' % i}. */
    public static Path plotFile(Path pattern, int step) {
        String name = pattern.getFileName().toString();
        return name.contains("%d") ? pattern.resolveSibling(name.replace("%d", Integer.toString(step))) : pattern;
    }

    /** The example's {@code draw(y[k], color)} for each wave: solid over the input steps, dotted over the future. */
    private static void plot(Tensor pred, int inputLength, Path file) throws IOException {
        int waves = pred.size(0), width = pred.size(1);
        double[] flat = pred.toDoubleArray();
        double[][] rows = new double[waves][width];
        for (int k = 0; k < waves; k++) System.arraycopy(flat, k * width, rows[k], 0, width);
        new PredictionPlot(rows, inputLength).save(file);
    }
}
