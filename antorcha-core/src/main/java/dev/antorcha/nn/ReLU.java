package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** max(0, x) element-wise: {@code [*] → [*]}. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }
}
