package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/**
 * Sigmoid + binary cross-entropy in one numerically stable expression; targets in [0, 1] of the
 * input's shape; an optional {@code posWeight} (broadcast over the last dim) weighs positives.
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, reduction, posWeight);
    }
}
