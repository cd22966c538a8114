package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import org.junit.jupiter.api.Test;

/**
 * {@code x.half()} and {@code x.bfloat16()}: PyTorch 1.13 gives
 * {@code torch.tensor([0.1, 1/3, 65520.0]).half()} = 0.0999755859375, 0.333251953125, inf (65520
 * rounds up past float16's largest, 65504) and {@code .bfloat16()} = 0.10009765625, 0.333984375,
 * 65536.0 — round to nearest even from float32's bits.
 */
class HalfMethodsTest {
    @Test
    void halfRoundsToNearestEvenAsPyTorch() {
        Tensor h = Antorcha.tensor(new float[] {0.1f, 1f / 3, 65520f}, 3).half();
        assertThat(h.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(h.toDoubleArray()).containsExactly(0.0999755859375, 0.333251953125, Double.POSITIVE_INFINITY);
    }

    @Test
    void bfloat16RoundsToNearestEvenAsPyTorch() {
        Tensor b = Antorcha.tensor(new float[] {0.1f, 1f / 3, 65520f}, 3).bfloat16();
        assertThat(b.dtype()).isEqualTo(DType.BFLOAT16);
        assertThat(b.toDoubleArray()).containsExactly(0.10009765625, 0.333984375, 65536.0);
    }

    /** Autograd in 16-bit dtypes: d(sum x²)/dx = 2x in the tensor's dtype, as PyTorch's x.grad (exact here). */
    @Test
    void gradientsComeBackInTheSixteenBitDtype() {
        for (DType d : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Tensor x = Antorcha.tensor(new float[] {0.5f, -1.25f, 3f}, 3).to(d).requiresGrad(true);
            x.mul(x).sum().backward();
            assertThat(x.grad().dtype()).as("%s", d).isEqualTo(d);
            assertThat(x.grad().toDoubleArray()).as("%s", d).containsExactly(1.0, -2.5, 6.0);
        }
    }
}
