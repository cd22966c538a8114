package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.Tensor;

/**
 * The error function as a primitive, and GELU composed from it (or from tanh), so that GELU's
 * backward is the engine's chain rule through two well-tested primitives.
 */
public final class ActivationOps {
    private static final double SQRT1_2 = 0.7071067811865476;   // 1/√2, torch's M_SQRT1_2
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;   // √(2/π), torch's kBeta / M_SQRT2

    private ActivationOps() {
    }

    /** {@code torch.erf(x)}: d/dx erf(x) = 2/√π · e^(−x²). Integer inputs compute in float32, as torch. */
    public static Tensor erf(Tensor x) {
        Args.tensor(x, "erf", "input");
        Tensor out = UnaryOps.map(UnaryOp.ERF, x, 0, 0);
        if (!x.dtype().isFloatingPoint()) return out;
        return Graph.record(out, "ErfBackward0", inputs(x), saved(x),
                (g, n) -> grads(g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI))));
    }

    /**
     * {@code F.gelu(x, approximate)}: {@code "none"} is the exact {@code x·Φ(x) = x/2 · (1 + erf(x/√2))};
     * {@code "tanh"} is {@code x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³)))}.
     */
    public static Tensor gelu(Tensor x, String approximate) {
        Args.tensor(x, "gelu", "input");
        Args.nonNull(approximate, "gelu", "approximate", "a String");
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"GeluKernelImpl\" not implemented for '" + x.dtype().scalarTypeName()
                    + "' (input of shape " + x.shape() + "; convert it with .to(DType.FLOAT32))");
        }
        return switch (approximate) {
            case "none" -> x.mul(0.5).mul(erf(x.mul(SQRT1_2)).add(1));
            case "tanh" -> {
                Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
                yield x.mul(0.5).mul(inner.tanh().add(1));
            }
            default -> throw new IllegalArgumentException("approximate argument must be either none or tanh, got '"
                    + approximate + "'");
        };
    }
}
