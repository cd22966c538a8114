package dev.antorcha.examples;

/**
 * numpy's legacy {@code np.random.RandomState(seed)} as far as the time-series example uses it:
 * the MT19937 generator seeded as numpy seeds it with an integer, and {@code randint(low, high, n)}
 * with numpy's masked rejection sampling, so that the Java example draws the very phase shifts of
 * the Python one (its data, not only data like it).
 */
final class RandomState {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int pos;

    RandomState(long seed) {
        // numpy's mt19937_seed: Knuth's initialisation of the state from a 32-bit seed
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    /** The next 32 bits of MT19937 (its genrand_int32). */
    private int nextInt() {
        if (pos == N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            pos = 0;
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@code randint(low, high, n)}: {@code n} integers in {@code [low, high)}, as numpy draws them. */
    long[] randint(long low, long high, int n) {
        if (high <= low) throw new IllegalArgumentException("randint: low >= high (" + low + " >= " + high + ")");
        long rng = high - 1 - low;
        if (rng > 0xFFFFFFFFL) throw new IllegalArgumentException("randint: ranges above 2^32 are not supported, got " + (rng + 1));
        long mask = rng;   // the smallest all-ones mask covering rng
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v;
            do {
                v = Integer.toUnsignedLong(nextInt()) & mask;
            } while (v > rng);
            out[i] = low + v;
        }
        return out;
    }
}
