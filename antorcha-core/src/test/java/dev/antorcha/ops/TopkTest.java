package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** topk and max/min along a dim: hand-computed values and indices, the tie rules, gradients, errors. */
class TopkTest {

    private static Tensor x64(int seed, int... shape) {
        return Antorcha.randn(new Generator(seed), shape).toDouble().detach();
    }

    private static void gradOk(Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = GradCheck.check(f, in);
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    @Test
    void topkLargestAndSmallest() {
        Tensor x = Antorcha.tensor(new float[] {3, -1, 7, 0.5f, 2, 9, -4, 1}, 2, 4);
        ValuesIndices top = x.topk(2, 1, true, true);
        assertThat(top.values().toFloatArray()).containsExactly(7, 3, 9, 2);
        assertThat(top.indices().toLongArray()).containsExactly(2, 0, 1, 0);
        assertThat(top.indices().dtype()).isEqualTo(DType.INT64);
        ValuesIndices low = x.topk(3, -1, false, true);
        assertThat(low.values().toFloatArray()).containsExactly(-1, 0.5f, 3, -4, 1, 2);
        assertThat(low.indices().toLongArray()).containsExactly(1, 3, 0, 2, 3, 0);
        assertThat(x.topk(1).values().toFloatArray()).containsExactly(7, 9);   // last dim, largest
        ValuesIndices cols = x.topk(1, 0, true, true);                       // a strided dim
        assertThat(cols.values().toFloatArray()).containsExactly(3, 9, 7, 1);
        assertThat(cols.indices().toLongArray()).containsExactly(0, 1, 0, 1);
        assertThat(x.topk(0, 1, true, true).values().shape().toArray()).containsExactly(2, 0);
    }

    @Test
    void topkOfOtherDtypesAndNaN() {
        Tensor big = Antorcha.tensor(new long[] {(1L << 60) + 1, (1L << 60), (1L << 60) + 2});   // not exact as doubles
        assertThat(big.topk(2).indices().toLongArray()).containsExactly(2, 0);
        assertThat(big.topk(2).values().toLongArray()).containsExactly((1L << 60) + 2, (1L << 60) + 1);
        Tensor d = Antorcha.tensor(new double[] {1e-300, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e300});
        assertThat(d.topk(2).indices().toLongArray()).containsExactly(2, 4);   // NaN is the largest, as torch
        assertThat(d.topk(2, 0, false, true).indices().toLongArray()).containsExactly(3, 1);
        assertThat(Antorcha.tensor(new float[] {2, 5, 3}).to(DType.INT32).topk(1).indices().toLongArray()).containsExactly(1);
    }

    @Test
    void topkTiesKeepIndexOrder() {
        Tensor x = Antorcha.tensor(new float[] {2, 0, 2, 0, 1, 0, 1, 1});
        ValuesIndices top = x.topk(3);
        assertThat(top.values().toFloatArray()).containsExactly(2, 2, 1);
        assertThat(top.indices().toLongArray()).containsExactly(0, 2, 4);
        ValuesIndices low = x.topk(3, 0, false, true);
        assertThat(low.values().toFloatArray()).containsExactly(0, 0, 0);
        assertThat(low.indices().toLongArray()).containsExactly(1, 3, 5);
    }

    @Test
    void topkOfALongFibreMatchesASort() {
        int n = 1000;
        Tensor x = Antorcha.randn(new Generator(5), 3, n);
        float[] v = x.toFloatArray();
        ValuesIndices r = x.topk(50, 1, false, true);
        float[] got = r.values().toFloatArray();
        for (int row = 0; row < 3; row++) {
            float[] sorted = java.util.Arrays.copyOfRange(v, row * n, (row + 1) * n);
            java.util.Arrays.sort(sorted);
            assertThat(java.util.Arrays.copyOfRange(got, row * 50, (row + 1) * 50))
                    .containsExactly(java.util.Arrays.copyOf(sorted, 50));
        }
    }

    @Test
    void topkGradientGoesToTheSelectedElements() {
        Tensor x = Antorcha.tensor(new float[] {3, -1, 7, 0.5f}).requiresGrad(true);
        ValuesIndices r = x.topk(2);
        assertThat(r.values().gradFn().name()).isEqualTo("TopkBackward0");
        r.values().backward(Antorcha.tensor(new float[] {10, 20}));
        assertThat(x.grad().toFloatArray()).containsExactly(20, 0, 10, 0);
        gradOk(in -> in[0].topk(2, 1, true, true).values(), x64(1, 3, 5));
        gradOk(in -> in[0].topk(3, 0, false, true).values(), x64(2, 4, 3, 2));
    }

    @Test
    void topkErrors() {
        Tensor x = Antorcha.zeros(2, 3);
        assertThatThrownBy(() -> x.topk(4, 1, true, true))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("selected index k out of range");
        assertThatThrownBy(() -> x.topk(-1, 1, true, true)).hasMessageStartingWith("selected index k out of range");
        assertThatThrownBy(() -> x.topk(1, 2, true, true)).isExactlyInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void maxMinAlongADimGiveTheFirstOccurrence() {
        Tensor x = Antorcha.tensor(new float[] {
            1, 5, 5,
            0, 0, -2,
            -2, 3, -2}, 3, 3);
        ValuesIndices mx = x.max(1);
        assertThat(mx.values().toFloatArray()).containsExactly(5, 0, 3);
        assertThat(mx.indices().toLongArray()).containsExactly(1, 0, 1);
        ValuesIndices mn = x.min(1, true);
        assertThat(mn.values().shape().toArray()).containsExactly(3, 1);
        assertThat(mn.indices().shape().toArray()).containsExactly(3, 1);
        assertThat(mn.values().toFloatArray()).containsExactly(1, -2, -2);
        assertThat(mn.indices().toLongArray()).containsExactly(0, 2, 0);
        ValuesIndices col = x.max(0, false);
        assertThat(col.values().toFloatArray()).containsExactly(1, 5, 5);
        assertThat(col.indices().toLongArray()).containsExactly(0, 0, 0);
        Tensor nan = Antorcha.tensor(new double[] {1, Double.NaN, 3, Double.NaN});
        assertThat(nan.max(0).indices().longItem()).isEqualTo(1);   // NaN wins, the first one
        assertThat(nan.max(0).values().doubleItem()).isNaN();
        ValuesIndices s = Antorcha.scalar(4).max(0);
        assertThat(s.values().item()).isEqualTo(4);
        assertThat(s.indices().longItem()).isZero();
    }

    @Test
    void maxMinGradientGoesWholeToTheOneElement() {
        Tensor x = Antorcha.tensor(new float[] {2, 2, 1, 1, 1, 3}, 2, 3).requiresGrad(true);
        ValuesIndices m = x.max(1, false);
        assertThat(m.values().gradFn().name()).isEqualTo("MaxBackward0");
        m.values().backward(Antorcha.tensor(new float[] {6, 8}));
        assertThat(x.grad().toFloatArray()).containsExactly(6, 0, 0, 0, 0, 8);   // not split 3/3 between the tied 2s
        Tensor y = Antorcha.tensor(new float[] {1, 1, 1}).requiresGrad(true);
        y.min(0, true).values().backward(Antorcha.tensor(new float[] {5}, 1));
        assertThat(y.grad().toFloatArray()).containsExactly(5, 0, 0);
        // amax keeps torch.amax's rule: tied maxima share the gradient
        Tensor z = Antorcha.tensor(new float[] {2, 2, 1}).requiresGrad(true);
        z.amax(0, false).backward();
        assertThat(z.grad().toFloatArray()).containsExactly(0.5f, 0.5f, 0);
        gradOk(in -> in[0].max(1, false).values(), x64(3, 3, 4));
        gradOk(in -> in[0].min(0, true).values(), x64(4, 3, 4, 2));
        gradOk(in -> in[0].t().max(1).values(), x64(5, 3, 4));
    }

    @Test
    void maxMinErrors() {
        assertThatThrownBy(() -> Antorcha.zeros(0, 2).max(0, false))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max(): Expected reduction dim 0 to have non-zero size.");
        assertThatThrownBy(() -> Antorcha.zeros(2, 2).min(2)).isExactlyInstanceOf(IndexOutOfBoundsException.class);
    }
}
