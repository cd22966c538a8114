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

    static void uniform(Tensor t, int from, Generator g, double lo, double hi) {
        if (t.dtype() == DType.FLOAT64) {
            g.fillUniform(CpuStorage.doubles(t), from, t.numel(), lo, hi);
            return;
        }
        g.fillUniform(CpuStorage.floats(t), from, t.numel(), lo, hi);
    }

    static void normal(Tensor t, int from, Generator g, double mean, double std) {
        if (t.dtype() == DType.FLOAT64) {   // drawn in double precision, as torch's float64 draws are
            g.fillNormal(CpuStorage.doubles(t), from, t.numel(), mean, std);
            return;
        }
        g.fillNormal(CpuStorage.floats(t), from, t.numel(), mean, std);
    }
}
