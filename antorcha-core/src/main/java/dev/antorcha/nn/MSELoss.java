package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/** Mean squared error {@code (input - target)²}, same shapes (or broadcastable). */
public class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, reduction);
    }
}
