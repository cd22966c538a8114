package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.function.Function;
import java.util.function.Supplier;

/** Input builders and assertions shared by the op tests (not a test class itself). */
final class OpsTestSupport {
    private OpsTestSupport() {
    }

    /** One gradcheck case: a name for the report, the function, and a fresh-input supplier. */
    record Case(String name, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case gc(String name, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        return new Case(name, f, inputs);
    }

    /**
     * Runs GradCheck on the case (seeded) and asserts it passes and that every float input got a
     * gradient with at least one non-zero element, so an all-zero backward on a flat function
     * cannot pass unnoticed.
     */
    static void assertGradCheck(Case c) {
        Antorcha.manualSeed(1234 + c.name().hashCode());
        Tensor[] in = c.inputs().get();
        GradCheck.Result r = GradCheck.check(c.f(), in);
        assertThat(r.passed()).as("%s: %s", c.name(), r).isTrue();
        for (int i = 0; i < in.length; i++) {
            if (in[i].dtype() != DType.FLOAT32) continue;
            assertThat(in[i].grad()).as("%s: grad of input %d", c.name(), i).isNotNull();
            float maxAbs = 0;
            for (float v : in[i].grad().toFloatArray()) maxAbs = Math.max(maxAbs, Math.abs(v));
            assertThat(maxAbs).as("%s: grad of input %d is all zero", c.name(), i).isGreaterThan(0f);
        }
    }

    /** Standard normal values. */
    static Tensor randn(int... shape) {
        return Antorcha.randn(shape);
    }

    /** Uniform in [lo, hi). */
    static Tensor uniform(double lo, double hi, int... shape) {
        float[] v = Antorcha.rand(shape).toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * v[i]);
        return Antorcha.tensor(v, shape);
    }

    /**
     * Values {@code step * k + offset} for random integers {@code k} in {@code [lo, hi)}: a
     * grid that keeps every value at least {@code min(|offset|, step - |offset|)} away from
     * the points {@code step * k} (kinks of abs/relu, clamp bounds, the other operand's grid).
     */
    static Tensor grid(double step, double offset, int lo, int hi, int... shape) {
        float[] v = Antorcha.rand(shape).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            int k = lo + Math.min(hi - lo - 1, (int) Math.floor(v[i] * (hi - lo)));
            v[i] = (float) (step * k + offset);
        }
        return Antorcha.tensor(v, shape);
    }

    /** Random non-zero magnitudes in [0.5, 2) with random sign (safe divisors). */
    static Tensor awayFromZero(int... shape) {
        float[] m = uniform(0.5, 2, shape).toFloatArray();
        float[] s = Antorcha.rand(shape).toFloatArray();
        for (int i = 0; i < m.length; i++) if (s[i] < 0.5f) m[i] = -m[i];
        return Antorcha.tensor(m, shape);
    }

    /** A random permutation of {@code 0.25 * (0..n-1) - n/8}: all values at least 0.25 apart. */
    static Tensor distinct(int... shape) {
        int n = Antorcha.zeros(shape).numel();
        int[] perm = dev.antorcha.tensor.Generator.defaultGenerator().permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (0.25 * perm[i] - n / 8.0);
        return Antorcha.tensor(v, shape);
    }

    /**
     * A leaf with the same values as {@code t} but a non-contiguous layout over its storage: for
     * rank >= 2 the transpose of a contiguous transposed copy, for rank 1 every other element of a
     * buffer twice as long. The result is a detached strided leaf that requires grad.
     */
    static Tensor strided(Tensor t) {
        Tensor leaf;
        if (t.dim() >= 2) {
            int last = t.dim() - 1;
            Tensor base = t.transpose(0, last).contiguousCopy();
            leaf = base.transpose(0, last).detach();
        } else if (t.dim() == 1) {
            int n = t.numel();
            float[] buf = new float[2 * n];
            float[] v = t.toFloatArray();
            for (int i = 0; i < n; i++) buf[2 * i] = v[i];
            leaf = Antorcha.tensor(buf, 2 * n).slice(0, 0, 2 * n, 2).detach();
        } else {
            throw new IllegalArgumentException("a 0-d tensor cannot be non-contiguous");
        }
        assertThat(leaf.isContiguous()).as("strided leaf must be non-contiguous").isFalse();
        assertThat(leaf.toFloatArray()).containsExactly(t.toFloatArray());
        return leaf.requiresGrad(true);
    }

    static Tensor[] of(Tensor... t) {
        return t;
    }

    /** Asserts shape and row-major values within an absolute tolerance. */
    static void assertValues(Tensor t, int[] shape, double tol, double... expected) {
        assertThat(t.shape().toArray()).as("shape").containsExactly(shape);
        float[] v = t.toFloatArray();
        assertThat(v).as("numel").hasSize(expected.length);
        for (int i = 0; i < v.length; i++) {
            assertThat((double) v[i]).as("element %d of %s", i, t).isCloseTo(expected[i], within(tol));
        }
    }

    static double[] doubles(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
