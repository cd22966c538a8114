package dev.antorcha.ops;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * softmax, logSoftmax and logsumexp, composed from primitives (their gradients come from the
 * composition). Each subtracts the detached row maximum first, so inputs of ±100 neither
 * overflow nor underflow: the result is mathematically unchanged by the shift. On bfloat16 they
 * compute in float32 and round once, as PyTorch's CPU kernels do (each primitive rounding to
 * bfloat16 on the way would lose most of the precision).
 */
public final class SoftmaxOps {
    private SoftmaxOps() {
    }

    /** The detached max along dim (keepDim), with infinite maxima replaced by 0 as torch does. */
    private static Tensor shift(Tensor x, int dim) {
        Tensor m = x.detach().amax(dim, true);
        Tensor finite = m.abs().lt(Double.POSITIVE_INFINITY);
        return m.where(finite, Factory.scalar(0, m.dtype()));
    }

    public static Tensor logsumexp(Tensor x, int dim, boolean keepDim) {
        Checks.floating("logsumexp", x);
        int d = Shape.normalizeDim(dim, x.dim());
        Tensor m = shift(x, d);
        Tensor r = x.sub(m).exp().sum(d, true).log().add(m);
        return keepDim ? r : r.squeeze(d);
    }

    /** {@code log(softmax(x))} computed as {@code (x - m) - log(sum(exp(x - m)))}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        Checks.resultType("log_softmax", Checks.operand(x));   // PyTorch's refusals first
        if (x.dtype() == DType.BFLOAT16) return logSoftmax(x.to(DType.FLOAT32), dim).to(DType.BFLOAT16);
        Checks.floating("log_softmax", x);                      // then the kernels this build has
        int d = Shape.normalizeDim(dim, x.dim());
        Tensor shifted = x.sub(shift(x, d));
        return shifted.sub(shifted.exp().sum(d, true).log());
    }

    public static Tensor softmax(Tensor x, int dim) {
        Checks.resultType("softmax", Checks.operand(x));
        if (x.dtype() == DType.BFLOAT16) return softmax(x.to(DType.FLOAT32), dim).to(DType.BFLOAT16);
        Checks.floating("softmax", x);
        int d = Shape.normalizeDim(dim, x.dim());
        Tensor e = x.sub(shift(x, d)).exp();
        return e.div(e.sum(d, true));
    }
}
