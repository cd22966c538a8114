package dev.antorcha.nn;

import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * Parameter initialisers, PyTorch's {@code nn.init}; each fills a dense tensor in place from a
 * generator (the default one, seeded by {@code Antorcha.manualSeed}, unless one is given).
 */
public final class Init {
    private Init() {
    }

    /** fan_in and fan_out of a weight {@code [out, in, *kernel]}. */
    public static int[] fanInAndFanOut(Tensor w) {
        if (w.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape "
                    + w.shape() + ")");
        }
        int receptive = 1;
        for (int d = 2; d < w.dim(); d++) receptive *= w.size(d);
        return new int[] {w.size(1) * receptive, w.size(0) * receptive};
    }

    /** U(lo, hi) in place. */
    public static Tensor uniform_(Tensor t, double lo, double hi, Generator g) {
        dense(t);
        try (NoGrad _ = NoGrad.enter()) {
            t.backend().uniform(t, g, lo, hi);
            t.storage().bumpVersion();
        }
        return t;
    }

    public static Tensor uniform_(Tensor t, double lo, double hi) {
        return uniform_(t, lo, hi, Generator.defaultGenerator());
    }

    /** N(mean, std²) in place. */
    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        dense(t);
        t.backend().normal(t, g, mean, std);
        t.storage().bumpVersion();
        return t;
    }

    /**
     * He/Kaiming uniform for leaky-relu slope {@code a} in fan-in mode:
     * bound = sqrt(2 / (1 + a²)) · sqrt(3 / fan_in). With a = √5 (Linear's default) this is 1/√fan_in.
     */
    public static Tensor kaimingUniform_(Tensor w, double a, Generator g) {
        int fanIn = fanInAndFanOut(w)[0];
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.sqrt(3.0 / fanIn);
        return uniform_(w, -bound, bound, g);
    }

    /** Glorot/Xavier uniform: bound = gain · sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor w, double gain, Generator g) {
        int[] f = fanInAndFanOut(w);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(w, -bound, bound, g);
    }

    private static void dense(Tensor t) {
        if (!t.isContiguous()) throw new IllegalArgumentException("initialisers need a contiguous tensor, got a view of shape " + t.shape());
        if (!t.dtype().isFloatingPoint()) throw new IllegalArgumentException("initialisers need a float32 or float64 tensor, got " + t.dtype().torchName());
    }
}
