package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/**
 * Sigmoid + binary cross-entropy in one numerically stable expression; targets in [0, 1] of the
 * input's shape; an optional {@code posWeight} (broadcast over the last dim) weighs positives.
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor posWeight;
    private final Tensor weight;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        this(null, reduction, posWeight);
    }

    /** {@code nn.BCEWithLogitsLoss(weight, reduction=..., pos_weight=...)}; either tensor may be null. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.weight = weight;
        this.posWeight = posWeight;
    }

    /** The per-class weight of positive targets, or null. */
    public Tensor posWeight() {
        return posWeight;
    }

    /** The element weight, or null. */
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, weight, reduction, posWeight);
    }
}
