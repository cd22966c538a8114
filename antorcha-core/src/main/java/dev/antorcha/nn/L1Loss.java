package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/** Mean absolute error {@code |input - target|}. */
public class L1Loss extends Loss {
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, reduction);
    }
}
