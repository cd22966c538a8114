package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * masked_fill, triu and tril against hand-written matrices: bool and 0/1 integer masks broadcast
 * over a dim, the diagonal offsets, batches, the gradients zero exactly where a constant was written,
 * and the refusals.
 */
class MaskOpsTest {

    private static Tensor x23() {
        return Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void maskedFillWithABroadcastIntegerMask() {
        Tensor x = x23().requiresGrad(true);
        Tensor mask = Antorcha.tensor(new long[] {0, 1, 1}, 1, 3);   // broadcast over the rows
        Tensor y = x.maskedFill(mask, -1e9);
        assertThat(y.toFloatArray()).containsExactly(1, -1e9f, -1e9f, 4, -1e9f, -1e9f);
        y.backward(Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(x.grad().toFloatArray()).containsExactly(1, 0, 0, 4, 0, 0);
    }

    @Test
    void maskedFillWithABoolMaskKeepsDtypeAndShape() {
        Tensor x = Antorcha.tensor(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor mask = Antorcha.tensor(new long[] {1, 0, 0, 1}, 2, 2).ne(0);
        Tensor y = x.maskedFill(mask, Double.NEGATIVE_INFINITY);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(y.toDoubleArray()).containsExactly(Double.NEGATIVE_INFINITY, 2, 3, Double.NEGATIVE_INFINITY);
        Tensor longs = Antorcha.tensor(new long[] {5, 6}).maskedFill(Antorcha.tensor(new long[] {1, 0}).ne(0), 7);
        assertThat(longs.dtype()).isEqualTo(DType.INT64);
        assertThat(longs.toLongArray()).containsExactly(7, 6);
    }

    @Test
    void maskedFillRefusals() {
        Tensor x = x23();
        assertThatThrownBy(() -> x.maskedFill(Antorcha.ones(2, 3), 0)).hasMessageContaining("only supports boolean masks")
                .hasMessageContaining("float");
        assertThatThrownBy(() -> x.maskedFill(Antorcha.tensor(new long[] {0, 2, 1}), 0))
                .hasMessageContaining("only 0 (keep) and 1 (fill)").hasMessageContaining("holds 2");
        assertThatThrownBy(() -> x.maskedFill(Antorcha.tensor(new long[] {0, 1}), 0))
                .hasMessageContaining("mask of shape [2] cannot be broadcast to the input's shape [2, 3]");
        // the mask broadcasts to x, not x to the mask
        assertThatThrownBy(() -> Antorcha.ones(3).maskedFill(Antorcha.tensor(new long[] {0, 1, 1, 0, 0, 0}, 2, 3), 0))
                .hasMessageContaining("cannot be broadcast");
    }

    @Test
    void triuAndTrilWithDiagonalOffsets() {
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4);
        assertThat(x.triu(0).toFloatArray()).containsExactly(1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12);
        assertThat(x.triu(1).toFloatArray()).containsExactly(0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12);
        assertThat(x.triu(-1).toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12);
        assertThat(x.tril(0).toFloatArray()).containsExactly(1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0);
        assertThat(x.tril(-1).toFloatArray()).containsExactly(0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0);
        assertThat(x.tril(2).toFloatArray()).containsExactly(1, 2, 3, 0, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(x.triu(5).toFloatArray()).containsOnly(0);
    }

    @Test
    void triuIsBatchedOverLeadingDimsAndItsGradientIsMasked() {
        Tensor x = Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2).requiresGrad(true);
        Tensor y = x.triu(1);
        assertThat(y.toFloatArray()).containsExactly(0, 2, 0, 0, 0, 6, 0, 0);
        y.backward(Antorcha.ones(2, 2, 2));
        assertThat(x.grad().toFloatArray()).containsExactly(0, 1, 0, 0, 0, 1, 0, 0);
        Tensor z = Antorcha.tensor(new float[] {1, 2, 3, 4}, 2, 2).transpose(0, 1).tril(0);   // a strided view
        assertThat(z.toFloatArray()).containsExactly(1, 0, 2, 4);
    }

    @Test
    void triuNeedsTwoDims() {
        assertThatThrownBy(() -> Antorcha.ones(3).triu(0)).hasMessageContaining("triu: input tensor must have at least 2 dimensions");
        assertThatThrownBy(() -> Antorcha.ones(3).tril(0)).hasMessageContaining("tril: input tensor must have at least 2 dimensions");
    }
}
