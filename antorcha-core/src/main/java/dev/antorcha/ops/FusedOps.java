package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.lang.ref.Reference;

/**
 * Fused primitives that are measurably faster than their compositions (DESIGN principle 1):
 * {@code linear} (matmul + bias in one node, bias gradient as a column sum) and
 * {@code crossEntropy} over class indices (log-softmax and NLL in one pass per row, backward
 * {@code softmax - onehot}). Each is tested against the composition it replaces.
 */
public final class FusedOps {
    private FusedOps() {
    }

    /** {@code x Wᵀ + b}: {@code [*, in] → [*, out]} ({@code b} may be null). */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        int in = w.size(1), outF = w.size(0);
        int[] xs = x.shape().toArray();
        Tensor x2 = x.dim() == 2 ? x : x.detach().reshape(-1, in);
        Checks.sameDevice("linear", x, w);
        if (b != null) Checks.sameDevice("linear", x, b);
        Checks.floating("linear", x);
        Checks.sameDtype("linear", x, w);
        if (b != null) Checks.sameDtype("linear", x, b);
        Tensor out = x.backend().uninitialized(x.dtype(), x2.size(0), outF);
        x.backend().linear(x2, w.detach(), b, out);   // backend calls record nothing
        Reference.reachabilityFence(x2);
        int[] outShape = xs.clone();
        outShape[outShape.length - 1] = outF;
        Tensor y = x.dim() == 2 ? out : out.viewOf(out.layout().view(outShape));
        Tensor[] ins = b == null ? inputs(x, w) : inputs(x, w, b);
        return Graph.record(y, b == null ? "MmBackward0" : "AddmmBackward0", ins, saved(x, w), (g, n) -> {
            Tensor g2 = g.dim() == 2 ? g : g.reshape(-1, outF);
            Tensor dx = n[0] ? g2.matmul(w).reshape(xs) : null;
            Tensor dw = n[1] ? g2.t().matmul(x.dim() == 2 ? x : x.reshape(-1, in)) : null;
            Tensor db = b != null && n[2] ? g2.sum(0) : null;
            return b == null ? grads(dx, dw) : grads(dx, dw, db);
        });
    }

    /**
     * Inverted dropout of a float32 tensor in one kernel pass: the same draws, mask and products as
     * {@code x.mul(rand(g, shape).ge(p).to(FLOAT32).mul(1 / (1 - p)))} (so the same bits), without
     * its four intermediate tensors; the backward multiplies by the saved mask.
     */
    public static Tensor dropout(Tensor x, double p, Generator g) {
        Backend be = x.backend();
        Tensor xd = x.isContiguous() && x.layout().offset() == 0 ? x.detach() : x.contiguousCopy().detach();
        int[] shape = x.shape().toArray();
        Tensor mask = be.uninitialized(DType.FLOAT32, shape), out = be.uninitialized(DType.FLOAT32, shape);
        be.uniform(mask, g, 0, 1);
        be.dropout(xd, mask, p, out);
        Reference.reachabilityFence(xd);
        Graph.record(out, "MulBackward0", inputs(x), saved(), (grad, n) -> {
            if (Graph.mayOverwrite(grad) && grad.dtype() == DType.FLOAT32 && grad.shape().equals(mask.shape())) {
                be.binary(BinaryOp.MUL, grad, mask, grad);   // the same product, into the donated gradient
                return grads(grad);
            }
            return grads(grad.mul(mask));
        });
        Graph.spentWith(out, mask);
        return out;
    }

    /**
     * Cross-entropy of logits {@code [N, C]} and int64 targets {@code [N]}: per row
     * {@code -((x_t - m) - log Σ exp(x - m))}, rows whose target is {@code ignoreIndex} give 0
     * and are not counted by the mean. {@code reduction}: 0 none, 1 mean, 2 sum.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, int reduction, long ignoreIndex) {
        Checks.sameDevice("cross_entropy", logits, target);
        Tensor x = logits.isContiguous() && logits.layout().offset() == 0 ? logits : logits.contiguousCopy();
        int n = x.size(0), c = x.size(1);
        Backend be = x.backend();
        DType dtype = x.dtype();
        Tensor out = reduction == 0 ? be.empty(dtype, n) : be.empty(dtype);
        Tensor logSumExp = be.empty(dtype, n);
        Tensor t = target.contiguousCopy();     // the targets as they were at the forward
        int counted = be.crossEntropy(x, t, ignoreIndex, reduction, out, logSumExp);
        return Graph.record(out, "NllLossBackward0", inputs(logits), saved(logits), (g, needs) -> {
            Tensor d = be.empty(dtype, n, c);
            be.crossEntropyBackward(x, t, ignoreIndex, logSumExp, g, reduction, counted, d);
            return grads(d);
        });
    }
}
