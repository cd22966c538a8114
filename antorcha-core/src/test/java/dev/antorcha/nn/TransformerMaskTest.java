package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Transformer#generateSquareSubsequentMask}: its values, and causality when attention uses it. */
class TransformerMaskTest {

    @Test
    void zeroOnAndBelowTheDiagonalMinusInfinityAbove() {
        Tensor m = Transformer.generateSquareSubsequentMask(3);
        assertThat(m.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(m.shape().toArray()).containsExactly(3, 3);
        float inf = Float.NEGATIVE_INFINITY;
        assertThat(m.toFloatArray()).containsExactly(0, inf, inf, 0, 0, inf, 0, 0, 0);
        assertThat(Transformer.generateSquareSubsequentMask(1).toFloatArray()).containsExactly(0f);
        assertThat(Transformer.generateSquareSubsequentMask(0).numel()).isZero();
        assertThatThrownBy(() -> Transformer.generateSquareSubsequentMask(-1)).hasMessageContaining("got -1");
    }

    @Test
    void asAnAttentionMaskItEqualsTheBoolCausalMaskAndHidesTheFuture() {
        Antorcha.manualSeed(21);
        int s = 5;
        MultiheadAttention mha = new MultiheadAttention(4, 2);
        Tensor x = Antorcha.randn(s, 2, 4);
        Tensor causal = Transformer.generateSquareSubsequentMask(s);
        long[] bits = new long[s * s];
        for (int i = 0; i < s; i++) for (int j = i + 1; j < s; j++) bits[i * s + j] = 1;
        MultiheadAttention.Output a = mha.forward(x, x, x, null, true, causal, true);
        MultiheadAttention.Output b = mha.forward(x, x, x, null, true, Antorcha.tensor(bits, s, s), true);
        assertThat(a.output().toFloatArray()).containsExactly(b.output().toFloatArray());
        float[] w = a.weights().toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < s; i++) {
                for (int j = i + 1; j < s; j++) assertThat(w[(n * s + i) * s + j]).isZero();
            }
        }
        // changing the last position leaves every earlier output as it was
        Tensor changed = x.clone();
        try (NoGrad _ = NoGrad.enter()) {
            changed.select(0, s - 1).copy_(Antorcha.randn(2, 4));
        }
        float[] before = a.output().toFloatArray(), after = mha.forward(changed, changed, changed, null, false, causal, true)
                .output().toFloatArray();
        for (int i = 0; i < (s - 1) * 2 * 4; i++) assertThat(after[i]).isCloseTo(before[i], within(1e-6f));
        boolean lastChanged = false;
        for (int i = (s - 1) * 2 * 4; i < before.length; i++) lastChanged |= Math.abs(after[i] - before[i]) > 1e-4;
        assertThat(lastChanged).isTrue();
    }
}
