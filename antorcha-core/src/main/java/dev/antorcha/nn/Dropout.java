package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * In training, zeroes each element with probability {@code p} and scales the rest by
 * {@code 1/(1-p)}; in eval mode, the identity. {@code [*] → [*]}.
 */
public class Dropout extends Module {
    private final double p;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining(), Generator.defaultGenerator());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p + ", inplace=False";
    }
}
