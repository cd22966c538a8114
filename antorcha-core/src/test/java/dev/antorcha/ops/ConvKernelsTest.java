package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 kernels (im2col on the packed GEMM) against the float64 direct loops on the same
 * values, at sizes that reach every path: small products (one thread), one image (the GEMM splits
 * the work) and many (images are the tasks, patches packed straight into GEMM panels whose last
 * panel is partly empty, the weight gradient sums more chunks than threads), images larger than
 * one col block, groups, stride and dilation, 3×3 convolutions of 16 channels or more (Winograd's
 * forward and input gradient: padding 0 to 2, rows of tiles that do and do not fill vectors, output
 * panels of 12, 8 and 4; F(4×4, 3×3): outputs that are not whole tiles, rows shorter than a vector, outputs by 32 and by 16
 * at a time); and bitwise the same results with one thread and two.
 */
class ConvKernelsTest {

    record Geometry(String name, int n, int c, int h, int w, int o, int k, int stride, int pad, int dil, int groups) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Geometry> geometries() {
        return Stream.of(
                new Geometry("MNIST conv2 shape, batch 3", 3, 32, 26, 26, 64, 3, 1, 0, 1, 1),
                new Geometry("MNIST conv1 shape, batch 8 (9 patch rows)", 8, 1, 28, 28, 32, 3, 1, 0, 1, 1),
                new Geometry("one channel, 7 outputs (odd), rows of 19: the first layer's weight gradient", 5, 1, 12, 21, 7, 3, 1, 0, 1, 1),
                new Geometry("groups 3, stride 2, dilation 2, batch 16", 16, 12, 41, 39, 18, 3, 2, 2, 2, 3),
                new Geometry("one image", 1, 8, 12, 12, 16, 3, 1, 1, 1, 1),
                new Geometry("batch 19 (uneven chunks)", 19, 3, 9, 7, 5, 3, 2, 1, 1, 1),
                new Geometry("image larger than a col block", 2, 16, 60, 50, 8, 3, 1, 1, 1, 1),
                new Geometry("groups, stride 3, dilation 2", 4, 6, 17, 15, 9, 3, 3, 2, 2, 3),
                new Geometry("Winograd, padding 1: 13 tiles a row, 24 outputs", 4, 16, 30, 26, 24, 3, 1, 1, 1, 1),
                new Geometry("Winograd, padding 2: 9 tiles a row, 20 outputs", 2, 20, 18, 16, 20, 3, 1, 2, 1, 1),
                new Geometry("F(4×4, 3×3), padding 1: outputs not whole tiles, 48 outputs", 3, 16, 19, 22, 48, 3, 1, 1, 1, 1),
                new Geometry("F(4×4, 3×3), padding 2: rows shorter than 16, 80 outputs", 2, 32, 10, 11, 80, 3, 1, 2, 1, 1));
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        assertThat(x).hasSameSizeAs(y);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    private static Tensor[] run(Geometry g, Tensor x, Tensor w, Tensor b, Tensor gy) {
        Tensor xx = x.detach().requiresGrad(true), ww = w.detach().requiresGrad(true), bb = b.detach().requiresGrad(true);
        int[] s = {g.stride()}, p = {g.pad()}, d = {g.dil()};
        Tensor y = F.conv2d(xx, ww, bb, s, p, d, g.groups());
        y.backward(gy);
        // the transposed convolution reads gy-shaped inputs and gives x-shaped outputs
        Tensor t = F.convTranspose2d(gy, ww, null, s, p, new int[] {0}, g.groups(), d);
        return new Tensor[] {y, xx.grad(), ww.grad(), bb.grad(), t};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void float32MatchesFloat64AndIgnoresTheThreadCount(Geometry g) {
        Antorcha.manualSeed(7);
        Tensor x = Antorcha.randn(g.n(), g.c(), g.h(), g.w()), w = Antorcha.randn(g.o(), g.c() / g.groups(), g.k(), g.k());
        Tensor b = Antorcha.randn(g.o());
        int ho = (g.h() + 2 * g.pad() - g.dil() * (g.k() - 1) - 1) / g.stride() + 1;
        int wo = (g.w() + 2 * g.pad() - g.dil() * (g.k() - 1) - 1) / g.stride() + 1;
        Tensor gy = Antorcha.randn(g.n(), g.o(), ho, wo);
        Tensor[] f32 = run(g, x, w, b, gy);
        Tensor[] f64 = run(g, x.to(DType.FLOAT64), w.to(DType.FLOAT64), b.to(DType.FLOAT64), gy.to(DType.FLOAT64));
        String[] names = {"y", "dx", "dW", "db", "conv_transpose2d"};
        // float32 sums of a few thousand products: rounding stays below 1e-5 of the largest value; 2e-5
        // where the passes may take F(4×4, 3×3) and F(3×3, 4×4) (channels and outputs in whole
        // vectors of 16, on AVX-512), whose transforms multiply by up to 25 and 64: its rounding is
        // known to be about ten times the direct sum's (here up to 9e-6 against 2e-7 to 6e-7)
        double bound = g.k() == 3 && g.stride() == 1 && g.dil() == 1 && g.groups() == 1 && g.c() % 16 == 0
                && g.o() % 16 == 0 ? 2e-5 : 1e-5;
        for (int i = 0; i < names.length; i++) {
            assertThat(f32[i].dtype()).isEqualTo(DType.FLOAT32);
            double scale = f64[i].abs().max().item();
            assertThat(maxAbsDiff(f32[i], f64[i])).as(names[i]).isLessThan(bound * scale);
        }
        int threads = x.backend().numThreads();
        try {
            x.backend().setNumThreads(1);
            Tensor[] one = run(g, x, w, b, gy);
            x.backend().setNumThreads(2);
            Tensor[] two = run(g, x, w, b, gy);
            for (int i = 0; i < names.length; i++) {
                assertThat(one[i].toFloatArray()).as(names[i]).containsExactly(two[i].toFloatArray());
                assertThat(one[i].toFloatArray()).as(names[i]).containsExactly(f32[i].toFloatArray());
            }
        } finally {
            x.backend().setNumThreads(threads);
        }
    }
}
