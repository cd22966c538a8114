package dev.antorcha.nn;

/**
 * The keyword arguments of PyTorch's {@code nn.Embedding} beyond {@code (num_embeddings, embedding_dim)}:
 * {@code padding_idx} (null: none; negative counts from the end), {@code max_norm} (null: no
 * renormalisation), {@code norm_type} (2) and {@code scale_grad_by_freq} (false).
 *
 * <pre>{@code
 * new Embedding(10, 4, EmbeddingOptions.defaults().paddingIdx(0).maxNorm(1.0));
 * }</pre>
 */
public record EmbeddingOptions(Integer paddingIdx, Double maxNorm, double normType, boolean scaleGradByFreq) {

    /** torch's defaults: no padding index, no max norm, norm type 2, no frequency scaling. */
    public static EmbeddingOptions defaults() {
        return new EmbeddingOptions(null, null, 2.0, false);
    }

    public EmbeddingOptions {
        if (maxNorm != null && !(maxNorm >= 0)) {
            throw new IllegalArgumentException("Embedding: max_norm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) throw new IllegalArgumentException("Embedding: norm_type must be > 0, got " + normType);
    }

    /** The row that gets no gradient (and is zeroed at construction); negative counts from the end. */
    public EmbeddingOptions paddingIdx(int idx) {
        return new EmbeddingOptions(idx, maxNorm, normType, scaleGradByFreq);
    }

    /** Rows referenced by a forward whose norm exceeds {@code max} are first rescaled in place to norm {@code max}. */
    public EmbeddingOptions maxNorm(double max) {
        return new EmbeddingOptions(paddingIdx, max, normType, scaleGradByFreq);
    }

    /** The p of the p-norm that {@code maxNorm} bounds ({@code Double.POSITIVE_INFINITY}: the max norm). */
    public EmbeddingOptions normType(double p) {
        return new EmbeddingOptions(paddingIdx, maxNorm, p, scaleGradByFreq);
    }

    /** Divides each row's gradient by how often its index occurs in the batch. */
    public EmbeddingOptions scaleGradByFreq(boolean scale) {
        return new EmbeddingOptions(paddingIdx, maxNorm, normType, scale);
    }
}
