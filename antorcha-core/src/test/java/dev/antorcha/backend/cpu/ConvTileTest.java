package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct convolution's tile ({@link FloatKernels#convTile}) of each kernel set against the
 * arithmetic it promises, bit for bit: for every row count (the 12-, 8- and 4-row tiles of the
 * SIMD kernels) and column count (a partial run), a chain of fused multiply-adds over the steps in
 * order from zero, reading the image at each step's tap; nothing outside the tile written.
 */
class ConvTileTest {
    @ParameterizedTest
    @MethodSource("dev.antorcha.backend.cpu.KernelsTest#kernels")
    void everyTileHeightAndWidthGivesThePromisedBits(FloatKernels k) {
        SplittableRandom r = new SplittableRandom(3);
        int channels = 5, kh = 3, kw = 2, width = 13, plane = 4 * width, kk = channels * kh * kw, lanes = k.convNr();
        int[] taps = new int[kk];
        for (int ch = 0, q = 0; ch < channels; ch++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) taps[q++] = ch * plane + u * width + v;
            }
        }
        float[] x = new float[channels * plane + lanes], ap = new float[3 + kk * Gemm.MR];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < ap.length; i++) ap[i] = (float) r.nextDouble(-1, 1);
        int ldc = 17, xOff = 2, aOff = 3;
        for (int rows = 1; rows <= Gemm.MR; rows++) {
            for (int cols = 1; cols <= lanes; cols++) {
                float[] c = new float[Gemm.MR * ldc];
                Arrays.fill(c, Float.NaN);
                k.convTile(ap, aOff, x, xOff, taps, kk, c, 0, ldc, rows, cols, new float[Gemm.MR * lanes]);
                for (int i = 0; i < Gemm.MR; i++) {
                    for (int j = 0; j < ldc; j++) {
                        if (i >= rows || j >= cols) {
                            assertThat(c[i * ldc + j]).as("outside the %dx%d tile", rows, cols).isNaN();
                            continue;
                        }
                        float acc = 0f;
                        for (int q = 0; q < kk; q++) acc = Math.fma(ap[aOff + q * Gemm.MR + i], x[xOff + taps[q] + j], acc);
                        assertThat(c[i * ldc + j]).as("%dx%d tile, (%d, %d)", rows, cols, i, j).isEqualTo(acc);
                    }
                }
            }
        }
    }
}
