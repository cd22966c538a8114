package dev.antorcha.nn;

import dev.antorcha.tensor.Tensor;

/** Flattens dims {@code startDim..endDim} (default 1..-1): {@code [N, *] → [N, ∏*]}. */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return dev.antorcha.ops.Args.tensor(input, "flatten", "input").flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
