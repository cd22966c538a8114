package dev.antorcha.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Cosine annealing from the initial learning rate to {@code etaMin} over {@code tMax} epochs,
 * using PyTorch's recursive form (so it composes with other changes to the rate).
 */
public class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    // initialStep() calls computeLr() from the constructor (PyTorch's step to epoch 0); it runs
    // after this class's fields are set and reads nothing a further subclass would add.
    @SuppressWarnings("this-escape")
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected List<Double> computeLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            double lr = groups.get(i).lr(), base = baseLrs.get(i);
            if (lastEpoch == 0) {
                out.add(lr);
            } else if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
                out.add(lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
            } else {
                out.add((1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr - etaMin) + etaMin);
            }
        }
        return out;
    }
}
