package dev.antorcha.nn;

import dev.antorcha.nn.functional.Losses;
import dev.antorcha.tensor.Tensor;

/**
 * PyTorch's {@code nn.SmoothL1Loss}: quadratic ({@code 0.5 d^2 / beta}) for differences below
 * {@code beta}, linear ({@code |d| - 0.5 beta}) beyond, so outliers pull with a bounded gradient.
 */
public class SmoothL1Loss extends Loss {
    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (beta < 0 || Double.isNaN(beta)) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta (got " + beta + ")");
        }
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    @Override
    public String toString() {
        return "SmoothL1Loss(beta=" + beta + ")";
    }
}
