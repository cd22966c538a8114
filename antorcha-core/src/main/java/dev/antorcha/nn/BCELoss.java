package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities in [0, 1] (e.g. sigmoid outputs) and targets of their
 * shape, PyTorch's {@code nn.BCELoss}; each log is clamped at -100, so a probability of exactly 0
 * or 1 costs at most 100 instead of infinity. An optional {@code weight} broadcasts to the input.
 * For logits, {@link BCEWithLogitsLoss} is the numerically stable choice.
 */
public class BCELoss extends Loss {
    private final Tensor weight;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    /** The element weight, or null. */
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }
}
