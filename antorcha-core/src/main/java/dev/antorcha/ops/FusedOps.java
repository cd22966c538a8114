package dev.antorcha.ops;

import static dev.antorcha.autograd.Graph.grads;
import static dev.antorcha.autograd.Graph.inputs;
import static dev.antorcha.autograd.Graph.saved;

import dev.antorcha.autograd.Graph;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

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
        Tensor wt = w.detach().t();
        Tensor out = x.backend().empty(DType.FLOAT32, x2.size(0), outF);
        x.backend().matmul(x2, wt, out);   // backend calls record nothing
        if (b != null) x.backend().binary(BinaryOp.ADD, out, b, out);
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
     * Cross-entropy of logits {@code [N, C]} and int64 targets {@code [N]}: per row
     * {@code -((x_t - m) - log Σ exp(x - m))}, rows whose target is {@code ignoreIndex} give 0
     * and are not counted by the mean. {@code reduction}: 0 none, 1 mean, 2 sum.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, int reduction, long ignoreIndex) {
        Tensor x = logits.isContiguous() && logits.layout().offset() == 0 ? logits : logits.contiguousCopy();
        int n = x.size(0), c = x.size(1);
        float[] xv = x.storage().floats();
        long[] t = target.toLongArray();
        float[] loss = new float[n];
        float[] logSumExp = new float[n];
        int count = rowLosses(xv, t, n, c, ignoreIndex, loss, logSumExp);
        Tensor out;
        if (reduction == 0) {
            out = dev.antorcha.tensor.Factory.of(loss, new int[] {n});
        } else {
            float sum = 0;
            for (float v : loss) sum += v;
            out = dev.antorcha.tensor.Factory.scalar(reduction == 1 ? sum / count : sum, DType.FLOAT32);
        }
        final int counted = count;
        return Graph.record(out, "NllLossBackward0", inputs(logits), saved(logits), (g, needs) -> {
            float[] gv = g.contiguousCopy().storage().floats();
            Tensor d = logits.backend().empty(DType.FLOAT32, n, c);
            rowGrads(xv, t, n, c, ignoreIndex, logSumExp, gv, reduction, counted, d.storage().floats());
            return grads(d);
        });
    }

    // The row loops live in small methods of their own: inside crossEntropy they made the JIT
    // compile the whole method (with the graph recording inlined) again and again, on-stack
    // and normally, while the first epoch ran.

    /** Fills {@code loss} and {@code logSumExp} per row; returns the rows that count (target ≠ ignoreIndex). */
    private static int rowLosses(float[] xv, long[] t, int n, int c, long ignoreIndex, float[] loss, float[] logSumExp) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, xv[row + j]);
            if (Float.isInfinite(m)) m = 0;
            float s = 0;
            for (int j = 0; j < c; j++) s += (float) Math.exp(xv[row + j] - m);
            float log = (float) Math.log(s);
            logSumExp[i] = m + log;
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= c) {
                throw new IllegalArgumentException("Target " + t[i] + " is out of bounds (" + c + " classes).");
            }
            loss[i] = -((xv[row + (int) t[i]] - m) - log);
            count++;
        }
        return count;
    }

    /** {@code dv = scale · (softmax - onehot)} per counted row; ignored rows stay 0. */
    private static void rowGrads(float[] xv, long[] t, int n, int c, long ignoreIndex, float[] logSumExp, float[] gv,
                                 int reduction, int counted, float[] dv) {
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) continue;
            float scale = reduction == 0 ? gv[i] : reduction == 1 ? gv[0] / counted : gv[0];
            int row = i * c;
            for (int j = 0; j < c; j++) dv[row + j] = scale * (float) Math.exp(xv[row + j] - logSumExp[i]);
            dv[row + (int) t[i]] -= scale;
        }
    }
}
