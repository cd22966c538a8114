package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** {@code x} where positive, {@code negativeSlope · x} elsewhere: {@code [*] → [*]}. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
