package dev.antorcha.autograd;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks an op's backward against central finite differences, like
 * {@code torch.autograd.gradcheck} but in float32. The scalar checked is
 * {@code L = sum(f(inputs) * w)} for a fixed random {@code w}, so every output element
 * contributes; L is accumulated in double to keep the difference quotient clean.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in[0].mul(in[1]), a, b);
 * assert r.passed() : r;
 * }</pre>
 * Inputs may be non-contiguous views; their elements are perturbed through their layout.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Outcome: passed, and the worst element found (input index, flat element, both values). */
    public record Result(boolean passed, int input, int element, double analytic, double numeric, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, 1e-3, 1e-2, 1e-2, inputs);
    }

    public static Result check(Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.dtype() == DType.FLOAT32 && !t.requiresGrad() && t.isLeaf()) t.requiresGrad(true);
            if (t.requiresGrad()) t.setGrad(null);
        }
        Tensor out = f.apply(inputs);
        float[] w = weights(out.numel());
        Tensor wt = dev.antorcha.tensor.Factory.of(w, out.shape().toArray());
        out.mul(wt).sum().backward();
        Result worst = new Result(true, -1, -1, 0, 0, "gradcheck passed");
        double worstRatio = -1;
        try (NoGrad _ = NoGrad.enter()) {
            for (int i = 0; i < inputs.length; i++) {
                Tensor x = inputs[i];
                if (!x.requiresGrad()) continue;
                float[] analytic = x.grad() == null ? new float[x.numel()] : x.grad().toFloatArray();
                Layout l = x.layout();
                int[] idx = new int[l.rank()];
                float[] cell = new float[1];
                for (int e = 0; e < x.numel(); e++) {
                    int pos = l.indexOf(idx);
                    x.backend().copyToHost(x, pos, cell, 0, 1);
                    float orig = cell[0];
                    double plus = weighted(f.apply(perturb(x, pos, (float) (orig + eps), inputs)), w);
                    double minus = weighted(f.apply(perturb(x, pos, (float) (orig - eps), inputs)), w);
                    perturb(x, pos, orig, inputs);
                    double numeric = (plus - minus) / (2 * eps);
                    double diff = Math.abs(numeric - analytic[e]);
                    double ratio = diff / (atol + rtol * Math.abs(numeric));
                    // NaN compares false with everything: count it as the worst possible mismatch.
                    if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY;
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        boolean ok = ratio <= 1;
                        worst = new Result(ok, i, e, analytic[e], numeric, (ok ? "gradcheck passed" : "gradcheck failed")
                                + ": input " + i + " " + x.shape() + " element " + e + ": analytic " + analytic[e]
                                + ", numeric " + numeric + " (tolerance " + (atol + rtol * Math.abs(numeric)) + ")");
                    }
                    for (int d = l.rank() - 1; d >= 0 && ++idx[d] == l.shape()[d]; d--) idx[d] = 0;
                }
            }
        }
        return worst;
    }

    private static float[] weights(int n) {
        SplittableRandom r = new SplittableRandom(12345);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (0.5 + r.nextDouble());
        return w;
    }

    /** Sets element {@code pos} of {@code x}'s memory to {@code value} through its backend; returns {@code inputs}. */
    private static Tensor[] perturb(Tensor x, int pos, float value, Tensor[] inputs) {
        x.backend().copyFromHost(new float[] {value}, 0, x, pos, 1);
        return inputs;
    }

    private static double weighted(Tensor out, float[] w) {
        float[] v = out.toFloatArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += (double) v[i] * w[i];
        return s;
    }
}
