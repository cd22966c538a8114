package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Copies between float64 and the other storages, with PyTorch's conversion rules: to float32
 * rounds to nearest, to int64 truncates toward zero ({@code .long()}), to bool is {@code != 0};
 * from float32, int64 and bool the values are exact in double.
 */
final class DoubleConversions {
    private DoubleConversions() {
    }

    /** {@code dst = src} element-wise where exactly one of them (or both) is FLOAT64. */
    static void convert(Tensor src, Tensor dst, int[] shape, int[][] st, int[] offs) {
        DType from = src.dtype(), to = dst.dtype();
        if (to == DType.FLOAT64) {
            double[] d = CpuStorage.doubles(dst);
            if (from == DType.INT64) {
                long[] s = CpuStorage.longs(src);
                Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                    for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]];
                });
            } else {
                float[] s = CpuStorage.floats(src);
                Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                    for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = s[p[0] + i * in[0]];
                });
            }
            return;
        }
        double[] s = CpuStorage.doubles(src);
        if (to == DType.INT64) {
            long[] d = CpuStorage.longs(dst);
            Strided.forEachRow(shape, st, offs, (p, in, n) -> {
                for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = (long) s[p[0] + i * in[0]];
            });
            return;
        }
        float[] d = CpuStorage.floats(dst);
        boolean bool = to == DType.BOOL;
        Strided.forEachRow(shape, st, offs, (p, in, n) -> {
            for (int i = 0; i < n; i++) {
                double v = s[p[0] + i * in[0]];
                d[p[1] + i * in[1]] = bool ? (v != 0 ? 1f : 0f) : (float) v;
            }
        });
    }
}
