package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/**
 * A loss criterion, PyTorch's {@code _Loss}: {@code forward(input, target)} returns the loss
 * (a scalar unless the reduction is {@code NONE}).
 */
public abstract class Loss {
    protected final Reduction reduction;

    protected Loss(Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException("reduction must be one of NONE, MEAN, SUM, got null");
        this.reduction = reduction;
    }

    public abstract Tensor forward(Tensor input, Tensor target);

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "()";
    }
}
