package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities {@code [N, C]} at int64 targets {@code [N]}, with an
 * optional weight per class: the weighted mean divides by the sum of the weights of the counted
 * targets, as PyTorch's {@code nn.NLLLoss}.
 */
public class NLLLoss extends Loss {
    private final long ignoreIndex;
    private final Tensor weight;

    public NLLLoss() {
        this(Reduction.MEAN, -100);
    }

    public NLLLoss(Reduction reduction, long ignoreIndex) {
        this(null, reduction, ignoreIndex);
    }

    /** {@code nn.NLLLoss(weight, ignore_index=..., reduction=...)}; {@code weight} [C] or null. */
    public NLLLoss(Tensor weight, Reduction reduction, long ignoreIndex) {
        super(reduction);
        this.ignoreIndex = ignoreIndex;
        this.weight = weight;
    }

    /** The class weights, or null. */
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, weight, reduction, ignoreIndex);
    }
}
