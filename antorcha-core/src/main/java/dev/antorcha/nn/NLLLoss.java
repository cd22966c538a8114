package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/** Negative log-likelihood of log-probabilities {@code [N, C]} at int64 targets {@code [N]}. */
public class NLLLoss extends Loss {
    private final long ignoreIndex;

    public NLLLoss() {
        this(Reduction.MEAN, -100);
    }

    public NLLLoss(Reduction reduction, long ignoreIndex) {
        super(reduction);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, reduction, ignoreIndex);
    }
}
