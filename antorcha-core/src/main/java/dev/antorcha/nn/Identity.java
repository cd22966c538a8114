package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/** Returns its input unchanged: {@code [*] → [*]}. */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
