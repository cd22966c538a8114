package dev.antorcha.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * The options of {@code train} that decide what a run computes, by option name, as the command
 * line writes them. A checkpoint records them so that {@code --resume} continues the same run:
 * an option the user leaves out takes the checkpoint's value (as a PyTorch script restores its
 * arguments with the checkpoint), and one given with another value is refused, since the resumed
 * run would silently be a different one. {@code --epochs} is recorded and adopted too but may be
 * changed, to extend or shorten a run; {@code --threads}, paths and display options never matter.
 */
final class RunSettings {
    /** Options that must agree; --epochs is handled apart. */
    static final String EPOCHS = "--epochs";

    private RunSettings() {
    }

    /** Checks the scheduler options (the others are checked by the command). */
    static void validate(TrainCommand cmd) {
        if (cmd.lrStep < 0) throw new UsageException("--lr-step must be >= 1 (or 0: off), got " + cmd.lrStep);
        if (!(cmd.lrGamma > 0) || Double.isInfinite(cmd.lrGamma)) {
            throw new UsageException("--lr-gamma must be a positive finite number, got " + Doubles.format(cmd.lrGamma));
        }
    }

    /** The settings of {@code cmd}, normalised (so {@code --lr 1e-3} and {@code --lr 0.001} agree). */
    static Map<String, String> of(TrainCommand cmd) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--model", cmd.kind().option);
        m.put("--dataset", cmd.data.choice().option);
        m.put("--hidden", cmd.hidden[0] + "," + cmd.hidden[1]);
        m.put("--optimizer", cmd.optimizer.toLowerCase(Locale.ROOT));
        m.put("--lr", Double.toString(cmd.lr));
        m.put("--batch-size", Integer.toString(cmd.batchSize));
        m.put("--shuffle", Boolean.toString(cmd.shuffle));
        m.put("--seed", Long.toString(cmd.seed));
        m.put("--lr-step", Integer.toString(cmd.lrStep));
        m.put("--lr-gamma", Double.toString(cmd.lrGamma));
        m.put(EPOCHS, Integer.toString(cmd.epochs));
        return m;
    }

    /**
     * Makes {@code cmd} continue the run of {@code saved}: adopts each setting not on the command
     * line, refuses one given with a different value.
     *
     * @throws IllegalArgumentException naming the first option that differs, both values and the remedy
     */
    static void adopt(TrainCommand cmd, Map<String, String> saved, ParseResult given, Path dir) {
        Map<String, String> mine = of(cmd);
        for (var e : saved.entrySet()) {
            String option = e.getKey(), theirs = e.getValue();
            if (!mine.containsKey(option)) {
                throw new IllegalArgumentException(dir.resolve(Checkpoint.MANIFEST) + ": unknown setting '" + option
                        + "' (written by another version of antorcha?)");
            }
            if (theirs.equals(mine.get(option))) continue;
            if (given.hasMatchedOption(option)) {
                if (option.equals(EPOCHS)) continue;   // extending or shortening the run is allowed
                throw new UsageException(option + " " + mine.get(option) + " differs from the checkpoint in " + dir
                        + ", trained with " + option + " " + theirs + ": leave " + option
                        + " out to continue that run, or start a new run without --resume");
            }
            set(cmd, option, theirs, dir);
        }
        for (String option : mine.keySet()) {
            // checkpoints written before --model existed are the tutorial's network
            if (option.equals("--model") && !saved.containsKey(option) && mine.get(option).equals(ModelKind.MLP.option)) continue;
            if (!saved.containsKey(option)) {
                throw new IllegalArgumentException(dir.resolve(Checkpoint.MANIFEST) + ": setting '" + option + "' is missing");
            }
        }
    }

    private static void set(TrainCommand cmd, String option, String value, Path dir) {
        try {
            switch (option) {
                case "--model" -> cmd.model = value;
                case "--dataset" -> cmd.data.dataset = value;
                case "--hidden" -> {
                    String[] h = value.split(",");
                    cmd.hidden = new int[] {Integer.parseInt(h[0]), Integer.parseInt(h[1])};
                }
                case "--optimizer" -> cmd.optimizer = value;
                case "--lr" -> cmd.lr = Double.parseDouble(value);
                case "--batch-size" -> cmd.batchSize = Integer.parseInt(value);
                case "--shuffle" -> cmd.shuffle = Boolean.parseBoolean(value);
                case "--seed" -> cmd.seed = Long.parseLong(value);
                case "--lr-step" -> cmd.lrStep = Integer.parseInt(value);
                case "--lr-gamma" -> cmd.lrGamma = Double.parseDouble(value);
                case EPOCHS -> cmd.epochs = Integer.parseInt(value);
                default -> throw new IllegalStateException(option);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(dir.resolve(Checkpoint.MANIFEST) + ": setting " + option + " has the bad value '"
                    + value + "'", e);
        }
    }
}
