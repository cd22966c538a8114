package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;

/** {@code logSoftmax} along {@code dim}: {@code [*] → [*]}. */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
