package dev.antorcha.nn;

import dev.antorcha.Antorcha;

/**
 * What Antorcha has of PyTorch's {@code nn.Transformer}: its static
 * {@code generate_square_subsequent_mask}, the causal mask that {@link TransformerEncoder} and
 * {@link MultiheadAttention} take as {@code attn_mask}. (The encoder-decoder module itself is not
 * provided; {@link TransformerEncoder} is.)
 *
 * <pre>{@code
 * Tensor mask = Transformer.generateSquareSubsequentMask(5);   // [5, 5], -inf above the diagonal
 * Tensor y = encoder.forward(src, mask, null);
 * }</pre>
 */
public final class Transformer {
    private Transformer() {
    }

    /**
     * The float32 mask {@code [sz, sz]} with 0 on and below the diagonal and -inf above it, as
     * torch's {@code triu(full((sz, sz), -inf), diagonal=1)}: added to the attention scores, it
     * lets position i attend to positions 0..i only.
     */
    public static dev.antorcha.tensor.Tensor generateSquareSubsequentMask(int sz) {
        if (sz < 0) throw new IllegalArgumentException("generateSquareSubsequentMask: sz must be non-negative, got " + sz);
        float[] m = new float[sz * sz];
        for (int i = 0; i < sz; i++) {
            for (int j = i + 1; j < sz; j++) m[i * sz + j] = Float.NEGATIVE_INFINITY;
        }
        return Antorcha.tensor(m, sz, sz);
    }
}
