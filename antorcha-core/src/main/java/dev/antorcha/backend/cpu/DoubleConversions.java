package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Copies between float64 and float32 or int64 (the pairs of the training paths; every other pair
 * goes through {@link Conversions}): to float32 rounds to nearest, from float32 and int64 the
 * values are exact in double.
 */
final class DoubleConversions {
    private DoubleConversions() {
    }

    /** {@code dst = src} element-wise where one of them is FLOAT64 and the other FLOAT32 or INT64. */
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
        float[] d = CpuStorage.floats(dst);
        Strided.forEachRow(shape, st, offs, (p, in, n) -> {
            for (int i = 0; i < n; i++) d[p[1] + i * in[1]] = (float) s[p[0] + i * in[0]];
        });
    }
}
