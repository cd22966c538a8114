package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** max(0, x) element-wise: {@code [*] → [*]}. */
public class ReLU extends Module {
    /** A stateless ReLU layer (no parameters). */
    public ReLU() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }
}
