package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/** Returns its input unchanged: {@code [*] → [*]}. */
public class Identity extends Module {
    /** A stateless Identity layer (no parameters). */
    public Identity() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
