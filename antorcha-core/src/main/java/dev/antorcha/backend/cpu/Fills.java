package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/** The CPU's generated fills: {@code arange} and the random ones, into a contiguous tensor at {@code from}. */
final class Fills {
    private Fills() {
    }

    static void arange(Tensor t, int from, double start, double step) {
        int n = t.numel();
        if (t.dtype() == DType.INT64) {
            long[] d = CpuStorage.longs(t);
            for (int i = 0; i < n; i++) d[from + i] = (long) (start + i * step);
        } else if (t.dtype() == DType.FLOAT64) {
            double[] d = CpuStorage.doubles(t);
            for (int i = 0; i < n; i++) d[from + i] = start + i * step;
        } else {
            float[] d = CpuStorage.floats(t);
            for (int i = 0; i < n; i++) d[from + i] = (float) (start + i * step);
        }
    }

    static void uniform(Tensor t, int from, Generator g, double lo, double hi, boolean simd) {
        if (t.dtype() == DType.FLOAT64) {
            g.fillUniform(CpuStorage.doubles(t), from, t.numel(), lo, hi);
            return;
        }
        float[] d = CpuStorage.floats(t);
        int n = t.numel();
        boolean vectors = simd && PanamaFills.available();
        if (n < PARALLEL_DRAWS || Parallel.threads() < 2) {
            if (vectors) PanamaFills.uniformAt(g.reserve(n), 0, d, from, n, lo, hi);
            else g.fillUniform(d, from, n, lo, hi);
            return;
        }
        // A large fill (dropout's mask) in blocks on every thread: each block computes its draws
        // from their place in the sequence, so the numbers are those of one sequential fill.
        long at = g.reserve(n);
        Parallel.forEach(DRAW_BLOCKS, true, b -> {
            int i0 = (int) ((long) n * b / DRAW_BLOCKS), i1 = (int) ((long) n * (b + 1) / DRAW_BLOCKS);
            if (vectors) PanamaFills.uniformAt(at, i0, d, from + i0, i1 - i0, lo, hi);
            else Generator.fillUniformAt(at, i0, d, from + i0, i1 - i0, lo, hi);
        });
    }

    /** Draws from which a float32 uniform fill is split between the threads, and into how many blocks. */
    private static final int PARALLEL_DRAWS = 1 << 16, DRAW_BLOCKS = 8;

    static void normal(Tensor t, int from, Generator g, double mean, double std) {
        if (t.dtype() == DType.FLOAT64) {   // drawn in double precision, as torch's float64 draws are
            g.fillNormal(CpuStorage.doubles(t), from, t.numel(), mean, std);
            return;
        }
        g.fillNormal(CpuStorage.floats(t), from, t.numel(), mean, std);
    }
}
