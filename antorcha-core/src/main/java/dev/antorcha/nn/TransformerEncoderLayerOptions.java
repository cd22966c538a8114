package dev.antorcha.nn;

/**
 * The keyword arguments of PyTorch's {@code nn.TransformerEncoderLayer} beyond
 * {@code (d_model, nhead)}: {@code dim_feedforward}, {@code dropout}, {@code activation}
 * ({@code "relu"} or {@code "gelu"}), {@code layer_norm_eps}, {@code batch_first} and
 * {@code norm_first} (pre-norm instead of post-norm).
 *
 * <pre>{@code
 * new TransformerEncoderLayer(512, 8, TransformerEncoderLayerOptions.defaults().activation("gelu").normFirst(true));
 * }</pre>
 */
public record TransformerEncoderLayerOptions(int dimFeedforward, double dropout, String activation, double layerNormEps,
                                             boolean batchFirst, boolean normFirst) {

    /** torch's defaults: dim_feedforward 2048, dropout 0.1, relu, eps 1e-5, batch_first False, norm_first False. */
    public static TransformerEncoderLayerOptions defaults() {
        return new TransformerEncoderLayerOptions(2048, 0.1, "relu", 1e-5, false, false);
    }

    public TransformerEncoderLayerOptions {
        if (dimFeedforward <= 0) throw new IllegalArgumentException("dim_feedforward must be positive, got " + dimFeedforward);
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + dropout);
        }
        if (!"relu".equals(activation) && !"gelu".equals(activation)) {
            throw new IllegalArgumentException("activation should be relu/gelu, not " + activation);
        }
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("layer_norm_eps must be positive, got " + layerNormEps);
    }

    public TransformerEncoderLayerOptions dimFeedforward(int d) {
        return new TransformerEncoderLayerOptions(d, dropout, activation, layerNormEps, batchFirst, normFirst);
    }

    public TransformerEncoderLayerOptions dropout(double p) {
        return new TransformerEncoderLayerOptions(dimFeedforward, p, activation, layerNormEps, batchFirst, normFirst);
    }

    /** {@code "relu"} or {@code "gelu"} (exact, erf-based), as torch's string forms. */
    public TransformerEncoderLayerOptions activation(String a) {
        return new TransformerEncoderLayerOptions(dimFeedforward, dropout, a, layerNormEps, batchFirst, normFirst);
    }

    public TransformerEncoderLayerOptions layerNormEps(double eps) {
        return new TransformerEncoderLayerOptions(dimFeedforward, dropout, activation, eps, batchFirst, normFirst);
    }

    public TransformerEncoderLayerOptions batchFirst(boolean b) {
        return new TransformerEncoderLayerOptions(dimFeedforward, dropout, activation, layerNormEps, b, normFirst);
    }

    public TransformerEncoderLayerOptions normFirst(boolean b) {
        return new TransformerEncoderLayerOptions(dimFeedforward, dropout, activation, layerNormEps, batchFirst, b);
    }
}
