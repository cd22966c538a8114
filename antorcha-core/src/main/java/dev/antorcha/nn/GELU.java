package dev.antorcha.nn;

import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;

/**
 * The Gaussian error linear unit, PyTorch's {@code nn.GELU}: {@code x·Φ(x)} exactly ({@code "none"}, the
 * default) or with the tanh approximation ({@code "tanh"}). {@code [*] → [*]}.
 *
 * <pre>{@code
 * Tensor y = new GELU().forward(x);
 * }</pre>
 */
public class GELU extends Module {
    private final String approximate;

    public GELU() {
        this("none");
    }

    /** {@code approximate} is {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) {
        Args.nonNull(approximate, "GELU", "approximate", "a String");
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh, got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        Args.tensor(input, "GELU", "input");
        return F.gelu(input, approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
