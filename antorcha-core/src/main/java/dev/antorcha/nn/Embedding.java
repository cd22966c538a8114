package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, PyTorch's
 * {@code nn.Embedding}: {@code indices [*]} (int64) → {@code [*, embeddingDim]}. The weight
 * {@code [numEmbeddings, embeddingDim]} (state-dict key {@code weight}) starts N(0, 1), with the
 * {@code padding_idx} row zeroed; that row never gets a gradient. With {@code max_norm}, each forward
 * first rescales, in place, the referenced rows whose norm exceeds it.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(10, 4, EmbeddingOptions.defaults().paddingIdx(0));
 * Tensor y = emb.forward(Antorcha.tensor(new long[] {1, 2, 0}));   // [3, 4]
 * }</pre>
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;   // normalised to [0, num), or -1 for none
    private final EmbeddingOptions options;
    public Parameter weight;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, EmbeddingOptions.defaults());
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public Embedding(int numEmbeddings, int embeddingDim, EmbeddingOptions options) {
        this(numEmbeddings, embeddingDim, options, null);
    }

    @SuppressWarnings("this-escape")
    private Embedding(int numEmbeddings, int embeddingDim, EmbeddingOptions options, Tensor weight) {
        Args.nonNull(options, "Embedding", "options", "an EmbeddingOptions");
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding needs non-negative sizes, got num_embeddings=" + numEmbeddings
                    + ", embedding_dim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.options = options;
        this.paddingIdx = normalisePaddingIdx(options.paddingIdx(), numEmbeddings);
        if (weight == null) {
            this.weight = registerParameter("weight", new Parameter(Antorcha.zeros(numEmbeddings, embeddingDim)));
            resetParameters(Generator.defaultGenerator());
        } else {
            this.weight = registerParameter("weight", new Parameter(weight));
        }
    }

    /**
     * {@code nn.Embedding.from_pretrained(embeddings, freeze, ...)}: an embedding whose weight shares
     * {@code embeddings [num, dim]}'s memory (nothing zeroed, not even the padding row); with
     * {@code freeze} the weight does not require a gradient.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, EmbeddingOptions options) {
        Args.tensor(embeddings, "fromPretrained", "embeddings");
        Args.nonNull(options, "fromPretrained", "options", "an EmbeddingOptions");
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional, got shape "
                    + embeddings.shape());
        }
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), options, embeddings.detach());
        e.weight.requiresGrad(!freeze);
        return e;
    }

    /** {@code fromPretrained(embeddings, true, defaults)}, torch's default {@code freeze=True}. */
    public static Embedding fromPretrained(Tensor embeddings) {
        return fromPretrained(embeddings, true, EmbeddingOptions.defaults());
    }

    private static int normalisePaddingIdx(Integer idx, int num) {
        if (idx == null) return -1;
        if (idx >= num) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings (padding_idx=" + idx
                    + ", num_embeddings=" + num + ")");
        }
        if (idx < -num) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings (padding_idx=" + idx
                    + ", num_embeddings=" + num + ")");
        }
        return idx < 0 ? idx + num : idx;
    }

    /** PyTorch's reset_parameters: N(0, 1), then the padding row zeroed. */
    public void resetParameters(Generator g) {
        Init.normal_(weight, 0, 1, g);
        if (paddingIdx >= 0) {
            try (NoGrad _ = NoGrad.enter()) {
                weight.select(0, paddingIdx).zero_();
            }
        }
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding row in {@code [0, numEmbeddings)}, or null when there is none. */
    public Integer paddingIdx() {
        return paddingIdx < 0 ? null : paddingIdx;
    }

    @Override
    public Tensor forward(Tensor input) {
        Args.tensor(input, "Embedding", "input");
        return F.embedding(input, weight, paddingIdx < 0 ? null : paddingIdx, options.maxNorm(), options.normType(),
                options.scaleGradByFreq());
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(numEmbeddings).append(", ").append(embeddingDim);
        if (paddingIdx >= 0) s.append(", padding_idx=").append(paddingIdx);
        if (options.maxNorm() != null) s.append(", max_norm=").append(Reprs.pyFloat(options.maxNorm()));
        if (options.normType() != 2) s.append(", norm_type=").append(Reprs.pyFloat(options.normType()));
        if (options.scaleGradByFreq()) s.append(", scale_grad_by_freq=True");
        return s.toString();
    }

    /** Keeps the field in step with {@link Module#setParameter} (a tied or replaced weight). */
    @Override
    protected void parameterSet(String name, Parameter p) {
        if (name.equals("weight")) weight = p;
    }
}
