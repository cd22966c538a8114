package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * int64 and bool ops against PyTorch 1.13's results (integer arithmetic, computed by hand): the
 * values are exact beyond float32's 2^24 and float64's 2^53, which a computation through a float
 * would round, and the refusals are PyTorch's.
 */
class IntegerOpsTest {
    private static final long BIG = (1L << 53) + 1;   // no float32 or float64 holds it

    private static Tensor longs(long... v) {
        return Antorcha.tensor(v);
    }

    private static Tensor mask(boolean... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i] ? 1f : 0f;
        return Antorcha.tensor(f).ne(0);
    }

    private static void assertLongs(Tensor t, long... expected) {
        assertThat(t.dtype()).isEqualTo(DType.INT64);
        assertThat(t.toLongArray()).containsExactly(expected);
    }

    private static void assertMask(Tensor t, boolean... expected) {
        assertThat(t.dtype()).isEqualTo(DType.BOOL);
        float[] f = t.toFloatArray();
        assertThat(f).hasSize(expected.length);
        for (int i = 0; i < f.length; i++) assertThat(f[i] != 0).as("element %d", i).isEqualTo(expected[i]);
    }

    @Test
    void unaryOpsStayInt64AndExact() {
        // torch.tensor([-(2**53+1), 0, 7, -16777217]).abs() etc.
        Tensor x = longs(-BIG, 0, 7, -16_777_217);
        assertLongs(x.abs(), BIG, 0, 7, 16_777_217);
        assertLongs(x.neg(), BIG, 0, -7, 16_777_217);
        assertLongs(x.relu(), 0, 0, 7, 0);
        assertLongs(longs(BIG, -3).relu(), BIG, 0);
        assertLongs(x.clamp(-16_777_217, 5), -16_777_217, 0, 5, -16_777_217);
        assertLongs(longs(BIG, -1).clampMin(0), BIG, 0);
        assertLongs(longs(BIG, -1).clampMax(3), 3, -1);
        assertLongs(longs(1, 9).clamp(5, 2), 2, 2);   // min > max gives max, as torch.clamp
        // a fractional bound promotes to float32: torch.tensor([1, 9]).clamp(0.5, 2) is tensor([1., 2.])
        Tensor f = longs(1, 9).clamp(0.5, 2);
        assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.toFloatArray()).containsExactly(1f, 2f);
        // torch.tensor([True, False]).clamp(0, 1) is int64
        assertLongs(mask(true, false).clamp(0, 1), 1, 0);
    }

    @Test
    void powOfInt64IsInt64WithPyTorchsWrapAndNegativeExponents() {
        // 3**39 = 4052555153018976267 (exact in int64 only); 3**41 wraps as torch's int64 does
        assertLongs(longs(3, -2, 0).pow(39), 4_052_555_153_018_976_267L, -549_755_813_888L, 0);
        assertLongs(longs(3).pow(41), -420_491_770_248_316_829L);   // 3**41 mod 2**64, signed
        assertLongs(longs(5, 7).pow(0), 1, 1);
        assertLongs(mask(true, false).pow(2), 1, 0);
        // tensor ** tensor: ATen's powi gives 1, ±1 or 0 for a negative exponent
        assertLongs(longs(2, 5, 1, -1, -1, 2).pow(longs(10, 0, -3, -3, -2, -1)), 1024, 1, 1, -1, 1, 0);
        assertThatThrownBy(() -> longs(2, 3).pow(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Integers to negative integer powers are not allowed.");
        Tensor half = longs(4, 9).pow(0.5);
        assertThat(half.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(half.toFloatArray()).containsExactly(2f, 3f);
        assertThatThrownBy(() -> mask(true).pow(mask(true))).hasMessageContaining("torch.bool");
    }

    @Test
    void gatherAndIndexSelectKeepInt64AndBool() {
        Tensor x = longs(10, BIG, 7, -3).reshape(2, 2);
        Tensor idx = longs(1, 0, 0, 0).reshape(2, 2);
        assertLongs(x.gather(1, idx), BIG, 10, 7, 7);
        assertLongs(x.indexSelect(0, longs(1)), 7, -3);
        Tensor m = mask(true, false, false, true).reshape(2, 2);
        assertMask(m.gather(1, longs(1, 1, 0, 1).reshape(2, 2)), false, false, false, true);
        assertMask(m.indexSelect(1, longs(1)), false, true);
        assertThatThrownBy(() -> x.gather(1, longs(2, 0, 0, 0).reshape(2, 2)))
                .hasMessageContaining("index 2 is out of bounds for dimension 1 with size 2");
    }

    @Test
    void boolArithmeticFollowsPyTorch() {
        Tensor a = mask(true, true, false, false), b = mask(true, false, true, false);
        assertMask(a.add(b), true, true, true, false);
        assertMask(a.mul(b), true, false, false, false);
        assertMask(a.maximum(b), true, true, true, false);
        assertMask(a.minimum(b), true, false, false, false);
        assertLongs(a.add(2), 3, 3, 2, 2);        // bool + int is int64 in torch
        assertLongs(a.add(longs(BIG, 0, 0, 0)), BIG + 1, 1, 0, 0);
    }

    @Test
    void refusalsAreTheTables() {
        Tensor m = mask(true, false);
        assertThatThrownBy(() -> m.sub(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subtraction, the `-` operator").hasMessageContaining("logical_xor");
        assertThatThrownBy(() -> longs(1, 2).sub(m)).hasMessageContaining("subtraction, the `-` operator, with a torch.bool");
        assertThatThrownBy(() -> m.sub(1)).hasMessageContaining("subtraction, the `-` operator");
        Tensor f = Antorcha.tensor(new float[] {1, 2});
        assertThatThrownBy(() -> f.sub_(m)).hasMessageContaining("subtraction, the `-` operator, with a torch.bool");
        assertThat(f.toFloatArray()).as("left as it was").containsExactly(1f, 2f);
        assertThatThrownBy(m::neg).hasMessageContaining("negation, the `-` operator, on a torch.bool tensor");
        assertThatThrownBy(m::abs).hasMessageContaining("abs: not implemented for torch.bool");
        assertThatThrownBy(m::relu).hasMessageContaining("relu: torch.bool inputs are not supported");
        assertThatThrownBy(m::argmax).hasMessageContaining("argmax: not implemented for torch.bool");
        assertThatThrownBy(() -> m.argmin(0, false)).hasMessageContaining("argmin: not implemented for torch.bool");
    }

    @Test
    void itemOfInt64IsExactOrRefused() {
        assertThat(longs(16_777_216).item()).isEqualTo(16_777_216f);
        assertThat(longs(-7).item()).isEqualTo(-7f);
        assertThatThrownBy(() -> longs(16_777_217).item()).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("16777217").hasMessageContaining("longItem()");
        assertThat(longs(1L << 53).doubleItem()).isEqualTo(0x1p53);
        assertThatThrownBy(() -> longs(BIG).doubleItem()).hasMessageContaining(Long.toString(BIG));
        assertThatThrownBy(() -> longs(Long.MAX_VALUE).doubleItem()).hasMessageContaining("longItem()");
        assertThat(longs(Long.MAX_VALUE).longItem()).isEqualTo(Long.MAX_VALUE);
        assertThat(longs(BIG).longItem()).isEqualTo(BIG);
    }
}
