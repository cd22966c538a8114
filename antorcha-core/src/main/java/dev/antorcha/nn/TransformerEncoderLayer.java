package dev.antorcha.nn;

import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.Map;

/**
 * One layer of the Transformer encoder, PyTorch's {@code nn.TransformerEncoderLayer(d_model, nhead)}:
 * self-attention and a feed-forward block, each with a residual connection and a LayerNorm.
 * {@code [S, N, E]} (or {@code [N, S, E]} with batch_first) → the same shape. Post-norm (torch's
 * default): {@code x = norm1(x + sa(x)); x = norm2(x + ff(x))}; with norm_first:
 * {@code x = x + sa(norm1(x)); x = x + ff(norm2(x))}, where
 * {@code sa(x) = dropout1(self_attn(x, x, x))} and
 * {@code ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))}. Submodules and state-dict keys
 * as torch's: {@code self_attn}, {@code linear1}, {@code dropout}, {@code linear2}, {@code norm1},
 * {@code norm2}, {@code dropout1}, {@code dropout2}.
 *
 * <pre>{@code
 * TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2,
 *         TransformerEncoderLayerOptions.defaults().dimFeedforward(16).dropout(0));
 * Tensor y = layer.forward(src, Transformer.generateSquareSubsequentMask(src.size(0)), null);
 * }</pre>
 */
public class TransformerEncoderLayer extends Module {
    private final int dModel;
    private final int nhead;
    private final TransformerEncoderLayerOptions options;
    // Not final: setModule replaces them (moduleSet keeps them in step).
    public MultiheadAttention selfAttn;
    public Linear linear1;
    public Dropout dropout;
    public Linear linear2;
    public LayerNorm norm1;
    public LayerNorm norm2;
    public Dropout dropout1;
    public Dropout dropout2;

    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, TransformerEncoderLayerOptions.defaults());
    }

    // Registration hands `this` to Module's maps before a subclass's fields are set; Module only
    // stores the reference, as PyTorch's __init__ does, so nothing reads a half-built subclass.
    @SuppressWarnings("this-escape")
    public TransformerEncoderLayer(int dModel, int nhead, TransformerEncoderLayerOptions options) {
        Args.nonNull(options, "TransformerEncoderLayer", "options", "a TransformerEncoderLayerOptions");
        this.dModel = dModel;
        this.nhead = nhead;
        this.options = options;
        double p = options.dropout();
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead,
                MultiheadAttentionOptions.defaults().dropout(p).batchFirst(options.batchFirst())));
        linear1 = registerModule("linear1", new Linear(dModel, options.dimFeedforward()));
        dropout = registerModule("dropout", new Dropout(p));
        linear2 = registerModule("linear2", new Linear(options.dimFeedforward(), dModel));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, options.layerNormEps(), true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, options.layerNormEps(), true));
        dropout1 = registerModule("dropout1", new Dropout(p));
        dropout2 = registerModule("dropout2", new Dropout(p));
    }

    public int dModel() {
        return dModel;
    }

    public int nhead() {
        return nhead;
    }

    public TransformerEncoderLayerOptions options() {
        return options;
    }

    /** Without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * {@code layer(src, src_mask, src_key_padding_mask)}: {@code srcMask [S, S]} or
     * {@code [N*nhead, S, S]} and {@code srcKeyPaddingMask [N, S]}, both nullable, bool or integer
     * 0/1 (1 = masked) or float (added to the scores; {@link Transformer#generateSquareSubsequentMask}).
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Args.tensor(src, "forward", "src");
        Tensor x = src;
        if (options.normFirst()) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask));
            return x.add(feedForwardBlock(norm2.forward(x)));
        }
        x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
        return norm2.forward(x.add(feedForwardBlock(x)));
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor attnMask, Tensor keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, attnMask, true).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        Tensor h = linear1.forward(x);
        h = options.activation().equals("gelu") ? F.gelu(h) : F.relu(h);
        return dropout2.forward(linear2.forward(dropout.forward(h)));
    }

    /**
     * A deep copy, as torch's {@code copy.deepcopy} of the layer: the same options, the same
     * parameter values (and dtype, and requires_grad) in new tensors, the same training mode. The
     * default generator is left where it was (building the copy draws no numbers from it).
     */
    public TransformerEncoderLayer deepCopy() {
        Generator g = Generator.defaultGenerator();
        Tensor state = g.getState();
        TransformerEncoderLayer copy;
        try {
            copy = new TransformerEncoderLayer(dModel, nhead, options);
        } finally {
            g.setState(state);
        }
        Map<String, Tensor> mine = liveState(), theirs = copy.liveState();
        try (NoGrad _ = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> e : mine.entrySet()) {
                Tensor target = theirs.get(e.getKey());
                if (target == null) {
                    throw new IllegalStateException("deepCopy: '" + e.getKey() + "' was added after construction; "
                            + "copy a layer whose parameters are the ones its constructor makes");
                }
                target.setData(e.getValue().detach().clone());
                if (e.getValue().dtype().isFloatingPoint()) target.requiresGrad(e.getValue().requiresGrad());
            }
        }
        copy.train(isTraining());
        return copy;
    }

    @Override
    protected void moduleSet(String name, Module m) {
        switch (name) {
            case "self_attn" -> selfAttn = cast(name, m, MultiheadAttention.class);
            case "linear1" -> linear1 = cast(name, m, Linear.class);
            case "linear2" -> linear2 = cast(name, m, Linear.class);
            case "dropout" -> dropout = cast(name, m, Dropout.class);
            case "dropout1" -> dropout1 = cast(name, m, Dropout.class);
            case "dropout2" -> dropout2 = cast(name, m, Dropout.class);
            case "norm1" -> norm1 = cast(name, m, LayerNorm.class);
            case "norm2" -> norm2 = cast(name, m, LayerNorm.class);
            default -> { }
        }
    }

    private static <M extends Module> M cast(String name, Module m, Class<M> type) {
        if (!type.isInstance(m)) {
            throw new IllegalArgumentException(name + " of TransformerEncoderLayer must be a " + type.getSimpleName() + ", got "
                    + m.getClass().getSimpleName());
        }
        return type.cast(m);
    }
}
