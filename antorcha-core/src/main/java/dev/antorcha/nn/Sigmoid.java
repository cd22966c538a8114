package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** 1 / (1 + exp(-x)) element-wise: {@code [*] → [*]}. */
public class Sigmoid extends Module {
    /** A stateless Sigmoid layer (no parameters). */
    public Sigmoid() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }
}
