package dev.antorcha.nn;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.Attention;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;

/**
 * Multi-head attention, PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads)}: query
 * {@code [L, N, E]}, key and value {@code [S, N, E]} (or {@code [N, L, E]} with batch_first, or
 * unbatched {@code [L, E]}) → output {@code [L, N, E]} and the attention weights {@code [N, L, S]}
 * averaged over the heads. Parameters and state-dict keys as torch's: {@code in_proj_weight [3E, E]}
 * (q, k, v rows; xavier-uniform), {@code in_proj_bias [3E]} (zeros), {@code out_proj.weight},
 * {@code out_proj.bias} (zeros); with kdim/vdim other than E, {@code q_proj_weight [E, E]},
 * {@code k_proj_weight [E, kdim]}, {@code v_proj_weight [E, vdim]} instead of {@code in_proj_weight}.
 * The computation is {@link Attention#multiHeadAttentionForward}.
 *
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(8, 2);
 * MultiheadAttention.Output r = mha.forward(q, k, v, keyPaddingMask, true, null, true);
 * Tensor y = r.output(), w = r.weights();   // [L, N, 8], [N, L, S]
 * }</pre>
 */
public class MultiheadAttention extends Module {
    /** The attention output and the weights ({@code null} when they were not asked for). */
    public record Output(Tensor output, Tensor weights) {
    }

    private final int embedDim;
    private final int kdim;
    private final int vdim;
    private final int numHeads;
    private final int headDim;
    private final double dropout;
    private final boolean batchFirst;
    // Not final: setParameter / setModule replace them (parameterSet, moduleSet keep them in step).
    /** Null when key and value have their own sizes (then q/k/vProjWeight hold the projections). */
    public Parameter inProjWeight;
    public Parameter qProjWeight;
    public Parameter kProjWeight;
    public Parameter vProjWeight;
    /** Null without bias. */
    public Parameter inProjBias;
    public Linear outProj;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, MultiheadAttentionOptions.defaults());
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public MultiheadAttention(int embedDim, int numHeads, MultiheadAttentionOptions options) {
        Args.nonNull(options, "MultiheadAttention", "options", "a MultiheadAttentionOptions");
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("embed_dim and num_heads must be greater than 0, got embed_dim=" + embedDim
                    + " and num_heads=" + numHeads + " instead");
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("embed_dim must be divisible by num_heads (embed_dim=" + embedDim
                    + ", num_heads=" + numHeads + ")");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.kdim = options.kdim() != null ? options.kdim() : embedDim;
        this.vdim = options.vdim() != null ? options.vdim() : embedDim;
        this.dropout = options.dropout();
        this.batchFirst = options.batchFirst();
        boolean same = kdim == embedDim && vdim == embedDim;
        // torch's registration order: in_proj_weight (or q, k, v), in_proj_bias, then out_proj
        if (same) {
            inProjWeight = registerParameter("in_proj_weight", new Parameter(Antorcha.zeros(3 * embedDim, embedDim)));
        } else {
            qProjWeight = registerParameter("q_proj_weight", new Parameter(Antorcha.zeros(embedDim, embedDim)));
            kProjWeight = registerParameter("k_proj_weight", new Parameter(Antorcha.zeros(embedDim, kdim)));
            vProjWeight = registerParameter("v_proj_weight", new Parameter(Antorcha.zeros(embedDim, vdim)));
        }
        inProjBias = options.bias() ? registerParameter("in_proj_bias", new Parameter(Antorcha.zeros(3 * embedDim))) : null;
        outProj = registerModule("out_proj", new NonDynamicallyQuantizableLinear(embedDim, embedDim, options.bias()));
        resetParameters(Generator.defaultGenerator());
    }

    /**
     * torch's {@code _reset_parameters}: xavier-uniform in-projection(s), zero biases; out_proj's
     * weight keeps Linear's initialisation.
     */
    public void resetParameters(Generator g) {
        Args.nonNull(g, "resetParameters", "generator", "a Generator");
        if (inProjWeight != null) {
            Init.xavierUniform_(inProjWeight, 1.0, g);
        } else {
            Init.xavierUniform_(qProjWeight, 1.0, g);
            Init.xavierUniform_(kProjWeight, 1.0, g);
            Init.xavierUniform_(vProjWeight, 1.0, g);
        }
        if (inProjBias != null) {
            try (NoGrad _ = NoGrad.enter()) {
                inProjBias.zero_();
                outProj.bias.zero_();
            }
        }
    }

    @Override
    protected void parameterSet(String name, Parameter p) {
        switch (name) {
            case "in_proj_weight" -> inProjWeight = p;
            case "q_proj_weight" -> qProjWeight = p;
            case "k_proj_weight" -> kProjWeight = p;
            case "v_proj_weight" -> vProjWeight = p;
            case "in_proj_bias" -> inProjBias = p;
            default -> { }
        }
    }

    @Override
    protected void moduleSet(String name, Module m) {
        if (!name.equals("out_proj")) return;
        if (!(m instanceof Linear l)) {
            throw new IllegalArgumentException("out_proj of MultiheadAttention must be a Linear, got " + m.getClass().getSimpleName());
        }
        outProj = l;
    }

    public int embedDim() {
        return embedDim;
    }

    public int numHeads() {
        return numHeads;
    }

    public int headDim() {
        return headDim;
    }

    public int kdim() {
        return kdim;
    }

    public int vdim() {
        return vdim;
    }

    public double dropout() {
        return dropout;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    /** Self-attention: {@code input} as query, key and value, no mask; the output only. */
    @Override
    public Tensor forward(Tensor input) {
        Args.tensor(input, "forward", "input");
        return forward(input, input, input, null, false, null, true).output();
    }

    /** {@code mha(query, key, value, need_weights=False)[0]}. */
    public Tensor forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, false, null, true).output();
    }

    /**
     * The full call, {@code mha(query, key, value, key_padding_mask, need_weights, attn_mask,
     * average_attn_weights)}: masks nullable (bool, integer 0/1 with 1 = masked, or float added to
     * the scores); the weights are {@code [N, L, S]} when averaged, {@code [N, heads, L, S]} if not.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                          Tensor attnMask, boolean averageAttnWeights) {
        Args.tensor(query, "forward", "query");
        Args.tensor(key, "forward", "key");
        Args.tensor(value, "forward", "value");
        boolean transposed = batchFirst && query.dim() == 3;
        if (transposed) {
            // torch transposes each of them; one tensor passed three times stays one (self-attention)
            Tensor q = query.transpose(0, 1);
            Tensor k = key == query ? q : key.transpose(0, 1);
            Tensor v = value == key ? k : value == query ? q : value.transpose(0, 1);
            query = q;
            key = k;
            value = v;
        }
        Output r = inProjWeight != null
                ? Attention.multiHeadAttentionForward(query, key, value, numHeads, inProjWeight, inProjBias, outProj.weight,
                        outProj.bias, keyPaddingMask, needWeights, attnMask, averageAttnWeights, dropout, isTraining(),
                        Generator.defaultGenerator())
                : Attention.multiHeadAttentionForward(query, key, value, numHeads, qProjWeight, kProjWeight, vProjWeight,
                        inProjBias, outProj.weight, outProj.bias, keyPaddingMask, needWeights, attnMask, averageAttnWeights,
                        dropout, isTraining(), Generator.defaultGenerator());
        return transposed ? new Output(r.output().transpose(0, 1), r.weights()) : r;
    }
}
