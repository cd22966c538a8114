package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused layer-norm kernels against the float64 composition they replaced (mean, centred
 * squares, their mean, {@code 1/sqrt(var + eps)}, scale and shift as tensor ops, differentiated by
 * autograd): on random shapes, with and without weight and bias, groups offset by +10 and +1e4, on
 * the scalar and the SIMD loops, and bitwise the same with one thread or two.
 */
class LayerNormKernelsTest {
    private static final double EPS = 1e-5;
    private static final int[][] SHAPES = {{1, 1}, {3, 5}, {7, 8}, {37, 13}, {5, 200}, {300, 515}, {2, 3, 4, 9}};

    /** Random values around {@code offset}, as a float32 tensor (float64 holds the same values). */
    private static Tensor values(SplittableRandom r, double offset, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (offset + r.nextGaussian() * (1 + r.nextInt(3)));
        return Antorcha.tensor(v, shape);
    }

    /** The float64 composition, differentiable: {@code x, w, b} float64 leaves (w, b nullable). */
    private static Tensor composition(Tensor x, Tensor w, Tensor b, int groupDims) {
        int[] dims = new int[groupDims];
        for (int i = 0; i < groupDims; i++) dims[i] = x.dim() - groupDims + i;
        Tensor xc = x.sub(x.mean(dims, true));
        Tensor y = xc.div(xc.mul(xc).mean(dims, true).add(EPS).sqrt());
        if (w != null) y = y.mul(w);
        return b == null ? y : y.add(b);
    }

    private static void assertClose(Tensor actual, Tensor expected, double tol, String what) {
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        assertThat(a).as(what).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - e[i])).as("%s [%d]: %s vs %s", what, i, a[i], e[i]).isLessThanOrEqualTo(tol * (1 + Math.abs(e[i])));
        }
    }

    /** Forward and every gradient of F.layerNorm in {@code dtype} against the float64 composition. */
    private static void checkAgainstComposition(SplittableRandom r, int[] shape, int groupDims, double offset, DType dtype,
                                                boolean affine, boolean withBias) {
        int[] ns = java.util.Arrays.copyOfRange(shape, shape.length - groupDims, shape.length);
        Tensor x = values(r, offset, shape), g = values(r, 0, shape);
        Tensor w = affine ? values(r, 1, ns) : null, b = withBias ? values(r, 0, ns) : null;

        Tensor xd = x.to(DType.FLOAT64).requiresGrad(true);
        Tensor wd = w == null ? null : w.to(DType.FLOAT64).requiresGrad(true), bd = b == null ? null : b.to(DType.FLOAT64).requiresGrad(true);
        Tensor ref = composition(xd, wd, bd, groupDims);
        ref.backward(g.to(DType.FLOAT64));

        Tensor xt = x.to(dtype).requiresGrad(true);
        Tensor wt = w == null ? null : w.to(dtype).requiresGrad(true), bt = b == null ? null : b.to(dtype).requiresGrad(true);
        Tensor y = F.layerNorm(xt, ns, wt, bt, EPS);
        y.backward(g.to(dtype));

        double tol = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        String what = dtype + " " + java.util.Arrays.toString(shape) + " groups of " + groupDims + " dims, offset " + offset;
        assertClose(y, ref, tol, what + " y");
        assertClose(xt.grad(), xd.grad(), tol, what + " dx");
        if (wt != null) assertClose(wt.grad(), wd.grad(), tol, what + " dweight");
        if (bt != null) assertClose(bt.grad(), bd.grad(), tol, what + " dbias");
    }

    @Test
    void layerNormEqualsTheFloat64CompositionOnRandomShapes() {
        SplittableRandom r = new SplittableRandom(15);
        for (int[] shape : SHAPES) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (double offset : new double[] {0, 10, 1e4}) {
                    int groupDims = shape.length > 2 ? 2 : 1;
                    checkAgainstComposition(r, shape, groupDims, offset, dtype, true, true);
                    checkAgainstComposition(r, shape, groupDims, offset, dtype, r.nextBoolean(), false);
                }
            }
        }
    }

    /**
     * The scalar and the SIMD kernels, called directly, both match the composition's forward
     * (mean, rstd and y) and gradients: the SIMD loops are only taken by a backend that runs
     * {@link PanamaKernels}, so the default backend alone would leave one of them untested.
     */
    @Test
    void scalarAndSimdKernelsBothMatchTheComposition() {
        SplittableRandom r = new SplittableRandom(7);
        for (FloatKernels k : KernelsTest.kernels()) {
            CpuBackend be = new CpuBackend(k);
            for (int[] shape : new int[][] {{9, 3}, {37, 13}, {4, 200}, {130, 515}}) {
                int rows = shape[0], n = shape[1];
                Tensor x = values(r, 1e4, shape), w = values(r, 1, n), b = values(r, 0, n), g = values(r, 0, shape);
                Tensor xd = x.to(DType.FLOAT64).requiresGrad(true), wd = w.to(DType.FLOAT64).requiresGrad(true);
                Tensor bd = b.to(DType.FLOAT64).requiresGrad(true);
                Tensor ref = composition(xd, wd, bd, 1);
                ref.backward(g.to(DType.FLOAT64));
                Tensor y = be.empty(DType.FLOAT32, shape), mean = be.empty(DType.FLOAT64, rows), rstd = be.empty(DType.FLOAT64, rows);
                Tensor dx = be.empty(DType.FLOAT32, shape), dw = be.empty(DType.FLOAT32, n), db = be.empty(DType.FLOAT32, n);
                be.layerNorm(x, w, b, EPS, n, y, mean, rstd);
                be.layerNormBackward(g, x, mean, rstd, w, n, dx, dw, db);
                String what = k.description() + " " + rows + "x" + n;
                try (NoGrad _ = NoGrad.enter()) {
                    Tensor xs = xd.detach();
                    assertClose(mean, xs.mean(1), 1e-15, what + " mean");
                    Tensor xc = xs.sub(xs.mean(1, true));
                    assertClose(rstd, Antorcha.onesLike(mean).div(xc.mul(xc).mean(1).add(EPS).sqrt()), 1e-12, what + " rstd");
                }
                assertClose(y, ref, 2e-5, what + " y");
                assertClose(dx, xd.grad(), 2e-5, what + " dx");
                assertClose(dw, wd.grad(), 2e-5, what + " dweight");
                assertClose(db, bd.grad(), 2e-5, what + " dbias");
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        int before = Antorcha.getNumThreads();
        try {
            float[][] one = run(1), two = run(2);
            for (int i = 0; i < one.length; i++) assertThat(two[i]).as("output %d", i).isEqualTo(one[i]);
        } finally {
            Antorcha.setNumThreads(before);
        }
    }

    /** y, dx, dweight, dbias of a shape large enough to be split into blocks and run in parallel. */
    private static float[][] run(int threads) {
        Antorcha.setNumThreads(threads);
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = values(r, 10, 700, 200).requiresGrad(true), w = values(r, 1, 200).requiresGrad(true);
        Tensor b = values(r, 0, 200).requiresGrad(true), g = values(r, 0, 700, 200);
        Tensor y = F.layerNorm(x, new int[] {200}, w, b, EPS);
        y.backward(g);
        return new float[][] {y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray()};
    }

    @Test
    void aNonContiguousInputAndAFloat64WeightAreNormalisedAsTheirContiguousFloat32Forms() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor base = values(r, 3, 6, 4);
        Tensor x = base.transpose(0, 1).requiresGrad(true);   // [4, 6], not contiguous
        Tensor w = values(r, 1, 6).to(DType.FLOAT64).requiresGrad(true);
        Tensor y = F.layerNorm(x, new int[] {6}, w, null, EPS);
        Tensor xd = base.transpose(0, 1).to(DType.FLOAT64).requiresGrad(true), wd = w.detach().requiresGrad(true);
        Tensor ref = composition(xd, wd, null, 1);
        Tensor g = values(r, 0, 4, 6);
        y.backward(g);
        ref.backward(g.to(DType.FLOAT64));
        assertThat(y.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(w.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertClose(y, ref, 2e-5, "y");
        assertClose(x.grad(), xd.grad(), 2e-5, "dx");
        assertClose(w.grad(), wd.grad(), 2e-5, "dweight");
    }
}
