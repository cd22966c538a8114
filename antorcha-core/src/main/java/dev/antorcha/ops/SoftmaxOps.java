package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.GradMode;
import dev.antorcha.autograd.Graph;
import dev.antorcha.autograd.Node;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.backend.Backend;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * softmax, logSoftmax and logsumexp, composed from primitives (their gradients come from the
 * composition), except softmax and logSoftmax over the last dim, which have their own kernels. Each subtracts the detached row maximum first, so inputs of ±100 neither
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
        return m.where(finite, Factory.scalarOn(m, 0, m.dtype()));
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
        if (x.dim() == 0 || d == x.dim() - 1) return logSoftmaxLastDim(x);
        Tensor shifted = x.sub(shift(x, d));
        return shifted.sub(shifted.exp().sum(d, true).log());
    }

    public static Tensor softmax(Tensor x, int dim) {
        Checks.resultType("softmax", Checks.operand(x));
        if (x.dtype() == DType.BFLOAT16) return softmax(x.to(DType.FLOAT32), dim).to(DType.BFLOAT16);
        Checks.floating("softmax", x);
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0 || d == x.dim() - 1) return softmaxLastDim(x);
        Tensor e = x.sub(shift(x, d)).exp();
        return e.div(e.sum(d, true));
    }

    /**
     * Softmax over the last dim (attention's scores, a classifier's logits) on the backend's fused
     * kernel: the composition above makes eight passes and as many temporaries, and autograd then
     * differentiates each; here one kernel each way, {@code dx = y·(g − Σ g·y)} per row.
     */
    private static Tensor softmaxLastDim(Tensor x) {
        Backend be = x.backend();
        Tensor y;
        try (NoGrad _ = NoGrad.enter()) {
            y = be.empty(x.dtype(), x.layout().shape());
            if (x.numel() > 0) be.softmax(x.detach().contiguous(), y);
        }
        int[] shape = x.layout().shape();
        return Graph.record(y, "SoftmaxBackward0", inputs(x), saved(y), (g, n) -> {
            Tensor dx = be.empty(y.dtype(), shape);
            if (y.numel() > 0) be.softmaxBackward(y, g.to(y.dtype()).contiguous(), dx);
            return grads(dx);
        });
    }

    /**
     * Log-softmax over the last dim (a language model's or classifier's log-probabilities) on the
     * backend's fused kernel: one pass for the maximum, one for the sum of exponentials, one to
     * write; the backward {@code dx = g − exp(y)·Σ g} per row, also one kernel, where the
     * composition made five passes forward and differentiated each.
     */
    private static Tensor logSoftmaxLastDim(Tensor x) {
        Backend be = x.backend();
        Tensor y;
        try (NoGrad _ = NoGrad.enter()) {
            y = be.empty(x.dtype(), x.layout().shape());
            if (x.numel() > 0) be.logSoftmax(x.detach().contiguous(), y);
        }
        int[] shape = x.layout().shape();
        return Graph.record(y, "LogSoftmaxBackward0", inputs(x), saved(y), (g, n) -> {
            Tensor dx = be.empty(y.dtype(), shape);
            if (y.numel() > 0) be.logSoftmaxBackward(y, g.to(y.dtype()).contiguous(), dx);
            return grads(dx);
        }, LOG_SOFTMAX_LAST_DIM);
    }

    /** Marks the nodes of {@link #logSoftmaxLastDim}, so that {@link #pickLogSoftmax} recognises its outputs. */
    private static final Object LOG_SOFTMAX_LAST_DIM = new Object();

    /**
     * {@code logp.gather(1, index.unsqueeze(1)).squeeze(1)} for {@code nll_loss}, where {@code logp}
     * ({@code [N, C]}) is the output of {@code log_softmax} over its last dim, or a view of one that
     * only merges its leading dims ({@code out.view(-1, ntokens)} in a language model), and records a
     * gradient; otherwise null (the caller gathers). The values are the gather's; the backward goes
     * straight to the log-softmax's input: {@code dx = dY − exp(y)·Σ dY} per row for the gradient
     * {@code dY} that the gather's backward would scatter into {@code [N, C]} zeros, computed without
     * writing {@code dY} out ({@link Backend#logSoftmaxBackwardOneHot}), in the same bits. A language
     * model's {@code [N, vocabulary]} gradient is then made once instead of twice. Other uses of the
     * log-probabilities still reach the log-softmax's own backward, and the gradients add up there.
     *
     * @param index int64 {@code [N]}, each in {@code [0, C)}
     */
    public static Tensor pickLogSoftmax(Tensor logp, Tensor index) {
        if (logp.dim() != 2 || !GradMode.isEnabled() || logp.gradFn() == null) return null;
        Tensor y;
        if (Graph.recordedBy(logp, LOG_SOFTMAX_LAST_DIM)) {
            y = logp;
        } else {
            y = logp.base();
            if (y == null || !Graph.recordedBy(y, LOG_SOFTMAX_LAST_DIM) || !logp.gradFn().name().equals("ViewBackward0")
                    || logp.gradFn().nextFunctions()[0] != y.gradFn() || !logp.isContiguous() || !y.isContiguous()
                    || logp.layout().offset() != y.layout().offset() || logp.numel() != y.numel()
                    || y.dim() == 0 || y.size(-1) != logp.size(1)) {
                return null;
            }
        }
        Node logSoftmax = y.gradFn();
        Tensor idx = index.contiguous();
        Tensor picked;
        try (NoGrad _ = NoGrad.enter()) {
            picked = logp.detach().gather(1, idx.unsqueeze(1)).squeeze(1);
        }
        Backend be = y.backend();
        int[] shape = y.layout().shape();
        return Graph.recordOnInputsOf(picked, "LogSoftmaxGatherBackward", logSoftmax, saved(y, idx), (g, n) -> {
            Tensor dx = be.empty(y.dtype(), shape);
            if (y.numel() > 0) be.logSoftmaxBackwardOneHot(y, idx, g.to(y.dtype()).contiguous(), dx);
            return grads(dx);
        });
    }
}
