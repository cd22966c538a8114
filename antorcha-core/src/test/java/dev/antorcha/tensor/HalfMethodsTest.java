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
}
