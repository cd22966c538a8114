package dev.antorcha.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers, PyTorch's {@code torch.Generator}. The default one is
 * seeded by {@code Antorcha.manualSeed}; the same seed gives the same numbers on every run and
 * every thread count, because draws happen on the calling thread in a fixed order.
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(System.nanoTime());

    private SplittableRandom random;

    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The generator used by factories and initialisers that are not given one. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    public synchronized Generator manualSeed(long seed) {
        random = new SplittableRandom(seed);
        return this;
    }

    /** Uniform in [0, 1). */
    public synchronized float nextFloat() {
        return (float) random.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public synchronized void fillUniform(float[] out, int off, int n, double lo, double hi) {
        for (int i = 0; i < n; i++) {
            float v = (float) (lo + (hi - lo) * random.nextDouble());
            // Rounding to float can land exactly on hi; keep the interval half-open.
            out[off + i] = v < hi ? v : Math.nextDown((float) hi);
        }
    }

    /** Standard normal (Box–Muller, both values used). */
    public synchronized void fillNormal(float[] out, int off, int n, double mean, double std) {
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - random.nextDouble(), u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[off + i] = (float) (mean + std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) out[off + i + 1] = (float) (mean + std * r * Math.sin(2 * Math.PI * u2));
        }
    }

    /** Uniform integer in [0, bound). */
    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A random permutation of 0..n-1 (Fisher–Yates). */
    public synchronized int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
