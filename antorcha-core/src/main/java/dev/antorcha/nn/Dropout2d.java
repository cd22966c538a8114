package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * In training, zeroes whole channels ({@code x[n, c]}) with probability {@code p} and scales the
 * others by {@code 1/(1-p)}; in eval mode, the identity. {@code [N, C, H, W] → same}: neighbouring
 * pixels of a feature map are correlated, so dropping single elements would barely regularise.
 */
public class Dropout2d extends Module {
    private final double p;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout2d(input, p, isTraining(), Generator.defaultGenerator());
    }

    @Override
    protected String extraRepr() {
        return "p=" + Reprs.pyFloat(p) + ", inplace=False";
    }
}
