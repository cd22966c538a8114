package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** {@code softmax} along {@code dim}: {@code [*] → [*]}. */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
