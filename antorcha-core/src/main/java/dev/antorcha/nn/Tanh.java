package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** tanh(x) element-wise: {@code [*] → [*]}. */
public class Tanh extends Module {
    /** A stateless Tanh layer (no parameters). */
    public Tanh() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }
}
