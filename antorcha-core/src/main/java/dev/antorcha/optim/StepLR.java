package dev.antorcha.optim;

import java.util.List;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs. */
public class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    // initialStep() calls computeLr() from the constructor (PyTorch's step to epoch 0); it runs
    // after this class's fields are set and reads nothing a further subclass would add.
    @SuppressWarnings("this-escape")
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lastLr();
        return groups.stream().map(g -> g.lr() * gamma).toList();
    }
}
