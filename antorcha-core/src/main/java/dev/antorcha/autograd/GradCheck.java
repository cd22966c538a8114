package dev.antorcha.autograd;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks an op's backward against central finite differences, like
 * {@code torch.autograd.gradcheck}: in float64 with its tolerances for float64 inputs, with
 * looser ones for float32. The scalar checked is
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

    /**
     * With the tolerances of the inputs' precision: PyTorch's gradcheck defaults (eps 1e-6, atol
     * 1e-5, rtol 1e-3) when every floating input is float64, else float32 ones (eps 1e-3, atol and
     * rtol 1e-2), since a float32 difference quotient with eps 1e-6 is mostly rounding noise.
     */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        boolean f64 = inputs.length > 0;
        for (Tensor t : inputs) if (t.dtype().isFloatingPoint() && t.dtype() != DType.FLOAT64) f64 = false;
        return f64 ? check(f, 1e-6, 1e-5, 1e-3, inputs) : check(f, 1e-3, 1e-2, 1e-2, inputs);
    }

    public static Result check(Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.dtype().isFloatingPoint() && !t.requiresGrad() && t.isLeaf()) t.requiresGrad(true);
            if (t.requiresGrad()) t.setGrad(null);
        }
        Tensor out = f.apply(inputs);
        double[] w = weights(out.numel(), out.dtype());
        Tensor wt = dev.antorcha.tensor.Factory.ofDoubles(w, out.shape().toArray()).to(out.dtype());
        out.mul(wt).sum().backward();
        Result worst = new Result(true, -1, -1, 0, 0, "gradcheck passed");
        double worstRatio = -1;
        try (NoGrad _ = NoGrad.enter()) {
            for (int i = 0; i < inputs.length; i++) {
                Tensor x = inputs[i];
                if (!x.requiresGrad()) continue;
                double[] analytic = x.grad() == null ? new double[x.numel()] : x.grad().toDoubleArray();
                Layout l = x.layout();
                int[] idx = new int[l.rank()];
                for (int e = 0; e < x.numel(); e++) {
                    int pos = l.indexOf(idx);
                    double orig = read(x, pos);
                    double plus = weighted(f.apply(perturb(x, pos, orig + eps, inputs)), w);
                    double minus = weighted(f.apply(perturb(x, pos, orig - eps, inputs)), w);
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
                                + ": input " + i + " " + x.shape() + " " + x.dtype().torchName() + " element " + e
                                + ": analytic " + analytic[e] + ", numeric " + numeric
                                + " (tolerance " + (atol + rtol * Math.abs(numeric)) + ")");
                    }
                    for (int d = l.rank() - 1; d >= 0 && ++idx[d] == l.shape()[d]; d--) idx[d] = 0;
                }
            }
        }
        return worst;
    }

    /** Fixed weights in [0.5, 1.5), rounded to float for a float32 output (so L is exact in its dtype). */
    private static double[] weights(int n, DType dtype) {
        SplittableRandom r = new SplittableRandom(12345);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double v = 0.5 + r.nextDouble();
            w[i] = dtype == DType.FLOAT64 ? v : (float) v;
        }
        return w;
    }

    /** Element {@code pos} of {@code x}'s memory, read through its backend in x's precision. */
    private static double read(Tensor x, int pos) {
        if (x.dtype() == DType.FLOAT64) {
            double[] cell = new double[1];
            x.backend().copyToHost(x, pos, cell, 0, 1);
            return cell[0];
        }
        float[] cell = new float[1];
        x.backend().copyToHost(x, pos, cell, 0, 1);
        return cell[0];
    }

    /** Sets element {@code pos} of {@code x}'s memory to {@code value} (rounded to x's dtype); returns {@code inputs}. */
    private static Tensor[] perturb(Tensor x, int pos, double value, Tensor[] inputs) {
        if (x.dtype() == DType.FLOAT64) x.backend().copyFromHost(new double[] {value}, 0, x, pos, 1);
        else x.backend().copyFromHost(new float[] {(float) value}, 0, x, pos, 1);
        return inputs;
    }

    private static double weighted(Tensor out, double[] w) {
        double[] v = out.toDoubleArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += v[i] * w[i];
        return s;
    }
}
