package dev.antorcha.nn;

/**
 * The keyword arguments of PyTorch's {@code nn.MultiheadAttention} beyond
 * {@code (embed_dim, num_heads)}: {@code dropout} (on the attention weights, in training),
 * {@code bias} (of the in- and out-projections), {@code batch_first} ({@code [N, L, E]} in and out
 * instead of {@code [L, N, E]}) and {@code kdim} / {@code vdim} (the feature sizes of key and value
 * when they differ from {@code embed_dim}; {@code null} = {@code embed_dim}, as torch's None).
 * {@code add_bias_kv} and {@code add_zero_attn} are not offered.
 *
 * <pre>{@code
 * new MultiheadAttention(512, 8, MultiheadAttentionOptions.defaults().dropout(0.1).batchFirst(true));
 * }</pre>
 */
public record MultiheadAttentionOptions(double dropout, boolean bias, boolean batchFirst, Integer kdim, Integer vdim) {

    /** torch's defaults: dropout 0, bias, batch_first False, kdim = vdim = embed_dim. */
    public static MultiheadAttentionOptions defaults() {
        return new MultiheadAttentionOptions(0.0, true, false, null, null);
    }

    public MultiheadAttentionOptions {
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + dropout);
        }
        if (kdim != null && kdim <= 0) throw new IllegalArgumentException("kdim must be positive, got " + kdim);
        if (vdim != null && vdim <= 0) throw new IllegalArgumentException("vdim must be positive, got " + vdim);
    }

    public MultiheadAttentionOptions dropout(double p) {
        return new MultiheadAttentionOptions(p, bias, batchFirst, kdim, vdim);
    }

    public MultiheadAttentionOptions bias(boolean b) {
        return new MultiheadAttentionOptions(dropout, b, batchFirst, kdim, vdim);
    }

    public MultiheadAttentionOptions batchFirst(boolean b) {
        return new MultiheadAttentionOptions(dropout, bias, b, kdim, vdim);
    }

    public MultiheadAttentionOptions kdim(int k) {
        return new MultiheadAttentionOptions(dropout, bias, batchFirst, k, vdim);
    }

    public MultiheadAttentionOptions vdim(int v) {
        return new MultiheadAttentionOptions(dropout, bias, batchFirst, kdim, v);
    }
}
