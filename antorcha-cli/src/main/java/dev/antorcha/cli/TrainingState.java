package dev.antorcha.cli;

import dev.antorcha.nn.Module;
import dev.antorcha.optim.LRScheduler;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a training run stands: the objects it updates, every loss so far, and its position,
 * {@code epoch} finished epochs plus {@code iteration} iterations of the next one.
 * {@code rngAtEpochStart} is the default generator's state before that epoch drew its order,
 * which is what a resume needs to draw the same order again.
 */
final class TrainingState {
    final Module model;
    final ModelKind kind;
    final Optimizer optimizer;
    /** Null without --lr-step. */
    final LRScheduler scheduler;
    final Map<String, String> settings;
    final List<Float> losses = new ArrayList<>();
    int epoch;
    int iteration;
    Tensor rngAtEpochStart;
    /** {@link #totalIterations()} when the checkpoint folder last got this run's state; -1 before. */
    int savedAt = -1;

    TrainingState(ModelKind kind, Module model, Optimizer optimizer, LRScheduler scheduler, Map<String, String> settings) {
        this.kind = kind;
        this.model = model;
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        this.settings = settings;
    }

    /** Optimizer steps taken since the run began, in all processes. */
    int totalIterations() {
        return losses.size();
    }

    /** "at epoch 2, iteration 130" (the epoch in progress, 1-based, and its iterations done), or "after epoch 2". */
    String position() {
        return iteration == 0 && epoch > 0 ? "after epoch " + epoch : "at epoch " + (epoch + 1) + ", iteration " + iteration;
    }
}
