package dev.antorcha.nn.utils;

import dev.antorcha.autograd.NoGrad;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, PyTorch 1.13's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}:
 * in place on the {@code .grad} of each parameter that has one (the others are skipped). Pass
 * {@code module.parameters()}, which lists a shared parameter once, so that it counts once in the norm
 * and is scaled once.
 *
 * <pre>{@code
 * loss.backward();
 * ClipGrad.clipGradNorm_(model.parameters(), 0.25);
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@code clip_grad_norm_(parameters, max_norm)}: the 2-norm. */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /** {@code clip_grad_norm_(parameters, max_norm, norm_type)}; {@code Double.POSITIVE_INFINITY} for the max norm. */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm_(parameters, maxNorm, normType, false);
    }

    /**
     * Scales every gradient by {@code min(max_norm / (total + 1e-6), 1)}, where {@code total} is the
     * {@code normType}-norm of all gradients together (the norm of the per-tensor norms; for infinity the
     * largest |element|), computed as torch does in the gradients' dtype. Every gradient is multiplied,
     * by exactly 1 when no clipping is needed. Returns {@code total}, the norm before clipping, as a 0-d
     * tensor (0 when no parameter has a gradient). With {@code errorIfNonfinite} a NaN or infinite total
     * throws instead of scaling.
     */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType,
                                       boolean errorIfNonfinite) {
        List<Tensor> grads = grads(parameters, "clipGradNorm_");
        if (Double.isNaN(normType) || normType <= 0) {
            throw new IllegalArgumentException("clip_grad_norm_: norm_type must be positive (or infinity), got " + normType);
        }
        if (grads.isEmpty()) return Factory.scalar(0, DType.FLOAT32);   // no gradient: no device to follow
        DType dt = grads.get(0).dtype();
        Tensor total;
        try (NoGrad _ = NoGrad.enter()) {
            Tensor[] norms = new Tensor[grads.size()];
            for (int i = 0; i < norms.length; i++) norms[i] = norm(grads.get(i), normType).to(dt);
            total = norm(dev.antorcha.ops.JoinOps.stack(norms, 0), normType).to(dt);
            if (errorIfNonfinite) {
                double t = total.doubleItem();
                if (Double.isNaN(t) || Double.isInfinite(t)) {
                    throw new IllegalStateException("The total norm of order " + normType + " for gradients from `parameters` "
                            + "is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the "
                            + "non-finite norm anyway, set `error_if_nonfinite=False`");
                }
            }
            // torch: clip_coef = max_norm / (total + 1e-6), i.e. (total + 1e-6).reciprocal() * max_norm, in dt
            Tensor denom = total.add(1e-6);
            Tensor coef = Factory.scalarOn(denom, 1, dt).div(denom).mul(maxNorm).clampMax(1.0);
            for (Tensor g : grads) g.mul_(coef.to(g.dtype()));
        }
        return total;
    }

    /** {@code clip_grad_value_(parameters, clip_value)}: every gradient element clamped to {@code [-clip, clip]} in place. */
    public static void clipGradValue_(Iterable<? extends Tensor> parameters, double clipValue) {
        List<Tensor> grads = grads(parameters, "clipGradValue_");
        try (NoGrad _ = NoGrad.enter()) {
            for (Tensor g : grads) g.clamp_(-clipValue, clipValue);
        }
    }

    /** The p-norm of all of {@code g}'s elements, computed in float64 (torch accumulates float32 in double on the CPU). */
    private static Tensor norm(Tensor g, double p) {
        if (g.numel() == 0) return Factory.scalarOn(g, 0, DType.FLOAT64);
        // no |·| pass: squares are positive; and no float64 copy of the gradient (a language
        // model's are millions of values a step): the backend widens each value as it squares it
        if (p == 2 && (g.dtype() == DType.FLOAT32 || g.dtype() == DType.FLOAT64)) {
            return Factory.scalarOn(g, g.backend().sumOfSquaresInFloat64(g.detach()), DType.FLOAT64).sqrt();
        }
        Tensor d = g.detach().to(DType.FLOAT64);
        if (p == 2) return d.mul(d).sum().sqrt();
        Tensor a = d.abs();
        if (Double.isInfinite(p)) return a.max();
        if (p == 1) return a.sum();
        return a.pow(p).sum().pow(1 / p);
    }

    private static List<Tensor> grads(Iterable<? extends Tensor> parameters, String op) {
        Args.nonNull(parameters, op, "parameters", "an Iterable of Tensors");
        List<Tensor> out = new ArrayList<>();
        int i = 0;
        for (Tensor p : parameters) {
            if (p == null) {
                throw new NullPointerException(op + "(): argument 'parameters' must hold a Tensor at every position, but element "
                        + i + " is null");
            }
            if (p.grad() != null) out.add(p.grad());
            i++;
        }
        return out;
    }
}
