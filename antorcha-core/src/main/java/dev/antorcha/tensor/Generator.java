package dev.antorcha.tensor;

/**
 * A seeded source of random numbers, PyTorch's {@code torch.Generator}. The default one is
 * seeded by {@code Antorcha.manualSeed}; the same seed gives the same numbers on every run and
 * every thread count, because draws happen on the calling thread in a fixed order.
 *
 * <p>The numbers are those of {@link java.util.SplittableRandom} with the same seed (SplitMix64,
 * computed here because the JDK class hides its state): {@link #getState()} and
 * {@link #setState(Tensor)} save and restore the position in the sequence, so that a training
 * resumed from a checkpoint shuffles its later epochs exactly as the uninterrupted run.
 *
 * <pre>{@code
 * Tensor state = generator.getState();   // before an epoch
 * generator.setState(state);             // later, maybe in another process: the same draws again
 * }</pre>
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(System.nanoTime());
    /** SplittableRandom's increment for an unsplit generator. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long initialSeed;
    /** SplitMix64's counter: each draw adds {@link #GOLDEN_GAMMA} and mixes the sum. */
    private long seed;

    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The generator used by factories and initialisers that are not given one. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    public synchronized Generator manualSeed(long seed) {
        this.initialSeed = seed;
        this.seed = seed;
        return this;
    }

    /** The seed last given to {@link #manualSeed} or the constructor ({@code initial_seed()}). */
    public synchronized long initialSeed() {
        return initialSeed;
    }

    /**
     * The position in the sequence, PyTorch's {@code get_state()}: an int64 tensor
     * {@code [initial seed, counter]} (a copy; PyTorch's is an opaque byte tensor, ours is as opaque
     * but smaller). Only {@link #setState} should interpret it.
     */
    public synchronized Tensor getState() {
        return Factory.ofLongs(new long[] {initialSeed, seed}, new int[] {2});
    }

    /**
     * Continues from a state returned by {@link #getState()} (of this or any generator), PyTorch's
     * {@code set_state()}: the following draws are those that followed the {@code getState()} call.
     *
     * @throws IllegalArgumentException when {@code state} is not an int64 tensor of shape [2]
     */
    public synchronized Generator setState(Tensor state) {
        java.util.Objects.requireNonNull(state, "setState(): argument 'state' must be a Tensor, not null");
        if (state.dtype() != DType.INT64 || state.dim() != 1 || state.size(0) != 2) {
            throw new IllegalArgumentException("a generator state is an int64 tensor of shape [2] (from getState()), got "
                    + state.dtype().torchName() + " " + state.shape());
        }
        long[] v = state.toLongArray();
        initialSeed = v[0];
        seed = v[1];
        return this;
    }

    /** SplittableRandom's nextLong: Stafford's mix13 of the advanced counter. */
    private long nextLong() {
        return mix13(seed += GOLDEN_GAMMA);
    }

    /** Stafford's mix13 of a counter: the draw at that place in the sequence. */
    private static long mix13(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** SplittableRandom's nextInt: Stafford's mix4, high 32 bits. */
    private int nextInt() {
        long z = seed += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** RandomGenerator's nextDouble: 53 random bits in [0, 1). */
    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** RandomGenerator's nextInt(bound): rejects the over-represented values, so every value is equally likely. */
    private int bounded(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        int m = bound - 1;
        int r = nextInt();
        if ((bound & m) == 0) return r & m;
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1) {
            // draw again
        }
        return r;
    }

    /** Uniform in [0, 1). */
    public synchronized float nextFloat() {
        return (float) nextDouble();
    }

    /** Uniform in [lo, hi). */
    public void fillUniform(float[] out, int off, int n, double lo, double hi) {
        fillUniformAt(reserve(n), 0, out, off, n, lo, hi);
    }

    /**
     * Reserves the next {@code n} draws for {@link #fillUniformAt}: returns the position before
     * them and moves past them, as {@code n} float draws would. A draw depends only on its place
     * in the sequence, so a large fill can be split between threads and give the same numbers.
     */
    public synchronized long reserve(long n) {
        if (n < 0) throw new IllegalArgumentException("reserve: the number of draws must be >= 0, got " + n);
        long at = seed;
        seed += n * GOLDEN_GAMMA;
        return at;
    }

    /**
     * Draws {@code first … first+n-1} after position {@code at} (from {@link #reserve}), uniform in
     * [lo, hi), into {@code out[off …]}: what {@link #fillUniform} writes at those places.
     */
    public static void fillUniformAt(long at, long first, float[] out, int off, int n, double lo, double hi) {
        long z0 = at + first * GOLDEN_GAMMA;
        for (int i = 0; i < n; i++) {
            float v = (float) (lo + (hi - lo) * ((mix13(z0 + (i + 1) * GOLDEN_GAMMA) >>> 11) * 0x1.0p-53));
            // Rounding to float can land exactly on hi; keep the interval half-open.
            out[off + i] = v < hi ? v : Math.nextDown((float) hi);
        }
    }

    /** Standard normal (Box–Muller, both values used). */
    public synchronized void fillNormal(float[] out, int off, int n, double mean, double std) {
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - nextDouble(), u2 = nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[off + i] = (float) (mean + std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) out[off + i + 1] = (float) (mean + std * r * Math.sin(2 * Math.PI * u2));
        }
    }

    /** Uniform in [lo, hi) in double precision: the same draws as the float version, not rounded to float. */
    public synchronized void fillUniform(double[] out, int off, int n, double lo, double hi) {
        for (int i = 0; i < n; i++) {
            double v = lo + (hi - lo) * nextDouble();
            out[off + i] = v < hi ? v : Math.nextDown(hi);
        }
    }

    /** Normal in double precision: the same draws as the float version, not rounded to float. */
    public synchronized void fillNormal(double[] out, int off, int n, double mean, double std) {
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - nextDouble(), u2 = nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[off + i] = mean + std * r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < n) out[off + i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
        }
    }

    /** Uniform integer in [0, bound). */
    public synchronized int nextInt(int bound) {
        return bounded(bound);
    }

    /** A random permutation of 0..n-1 (Fisher–Yates). */
    public synchronized int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = bounded(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
