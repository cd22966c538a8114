package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The two tiers of {@link TieredKernels} give bitwise the same results for every call they both
 * serve, so the moment of the switch cannot change a training run.
 */
class TieredKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    private float[] rand(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void scalarTierRoundsExactlyLikeTheSimdTier() {
        var simd = VectorizationProvider.simdKernels();
        Assumptions.assumeTrue(simd.isPresent(), "jdk.incubator.vector absent: there is only one tier");
        FloatKernels hot = simd.get(), cold = new FmaScalarKernels(hot.gemmNr());
        int nr = hot.gemmNr();
        for (int kc : new int[] {1, 7, 64, 512}) {
            float[] a = rand(Gemm.MR * kc), b = rand(nr * kc);
            for (int rows : new int[] {Gemm.MR, 3}) {
                for (boolean acc : new boolean[] {false, true}) {
                    float[] c1 = rand(Gemm.MR * nr), c2 = c1.clone();
                    hot.gemmTile(kc, a, 0, b, 0, c1, 0, nr, rows, rows == Gemm.MR ? nr : nr - 5, acc);
                    cold.gemmTile(kc, a, 0, b, 0, c2, 0, nr, rows, rows == Gemm.MR ? nr : nr - 5, acc);
                    assertThat(c2).as("gemmTile kc=%d rows=%d acc=%b", kc, rows, acc).containsExactly(c1);
                }
            }
        }
        int n = 1001;
        float[] x = rand(n), y = rand(n);
        float[] y1 = y.clone(), y2 = y.clone();
        hot.axpy(0.37f, x, 0, y1, 0, n);
        cold.axpy(0.37f, x, 0, y2, 0, n);
        assertThat(y2).containsExactly(y1);
        for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM,
                BinaryOp.MINIMUM, BinaryOp.MASK_POSITIVE}) {
            for (int bs : new int[] {0, 1}) {
                float[] o1 = new float[n], o2 = new float[n];
                hot.binary(op, x, 0, 1, y, 0, bs, o1, 0, 1, n);
                cold.binary(op, x, 0, 1, y, 0, bs, o2, 0, 1, n);
                assertThat(o2).as("%s bs=%d", op, bs).containsExactly(o1);
            }
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.COPY, UnaryOp.NEG, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.SQRT, UnaryOp.CLAMP}) {
            float[] o1 = new float[n], o2 = new float[n];
            hot.unary(op, x, 0, 1, o1, 0, 1, n, -0.5f, 0.5f);
            cold.unary(op, x, 0, 1, o2, 0, 1, n, -0.5f, 0.5f);
            assertThat(o2).as("%s", op).containsExactly(o1);
        }
        assertThat(cold.max(x, 0, n, false)).isEqualTo(hot.max(x, 0, n, false));
        assertThat(cold.max(x, 0, n, true)).isEqualTo(hot.max(x, 0, n, true));
        var step = new AdamStep(0.9f, 0.1f, 0.999f, 0.001f, -0.003f, 0.04f, 1e-8f, 0.01f, true, 1f, false);
        float[][] s1 = {rand(n), rand(n), rand(n), new float[n]}, s2 = {s1[0].clone(), s1[1].clone(), s1[2].clone(), new float[n]};
        hot.adam(s1[0], s1[1], s1[2], s1[3], null, n, step);
        cold.adam(s2[0], s2[1], s2[2], s2[3], null, n, step);
        for (int k = 0; k < 4; k++) assertThat(s2[k]).containsExactly(s1[k]);
    }
}
