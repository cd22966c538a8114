package dev.antorcha.parity;

import dev.antorcha.nn.LayerNorm;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.MultiheadAttention;
import dev.antorcha.nn.MultiheadAttentionOptions;
import dev.antorcha.nn.Transformer;
import dev.antorcha.nn.TransformerEncoder;
import dev.antorcha.nn.TransformerEncoderLayer;
import dev.antorcha.nn.TransformerEncoderLayerOptions;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attention cases of {@code PARITY_FORMAT_SEQ.md}: {@code multihead_attention} (self-attention),
 * {@code multihead_attention_key_padding_mask} (distinct query, key, value and a padding mask),
 * {@code multihead_attention_attn_mask} (a bool mask, and a float one under {@code float_mask/}),
 * {@code transformer_encoder_layer} and {@code transformer_encoder} (causal {@code src_mask}, padding
 * mask; a final norm when the case has {@code norm.*} keys). Every size and flag comes from the
 * case; the parameters are loaded by their state-dict keys and the masks arrive as int64 0/1
 * (1 = masked). Each run starts from fresh leaves; the backward is that of {@code sum(output * g)}.
 */
final class AttentionCases {
    private AttentionCases() {
    }

    /** Whether {@code kind} is one of these cases. */
    static boolean handles(String kind) {
        return kind.startsWith("multihead_attention") || kind.equals("transformer_encoder_layer")
                || kind.equals("transformer_encoder");
    }

    /** The outputs of case {@code c} of kind {@code kind}. */
    static Map<String, Tensor> run(String kind, ParityCase c) {
        if (kind.startsWith("transformer_encoder")) return encoder(c, ParityRunner.inputs(c), kind.equals("transformer_encoder"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        multiheadAttention(c, ParityRunner.inputs(c), "attn_mask", "", out);
        if (c.inputs().containsKey("attn_mask_float")) {
            multiheadAttention(c, ParityRunner.inputs(c), "attn_mask_float", "float_mask/", out);
        }
        return out;
    }

    /** One run of {@code nn.MultiheadAttention} with the case's parameters; results under {@code prefix}. */
    private static void multiheadAttention(ParityCase c, Map<String, Tensor> in, String maskName, String prefix,
                                           Map<String, Tensor> out) {
        MultiheadAttentionOptions o = MultiheadAttentionOptions.defaults().dropout(c.param("dropout"))
                .bias(flag(c, "bias")).batchFirst(flag(c, "batch_first"));
        if (c.params().get("kdim") instanceof Number k) o = o.kdim(k.intValue());
        if (c.params().get("vdim") instanceof Number v) o = o.vdim(v.intValue());
        MultiheadAttention mha = new MultiheadAttention((int) c.param("embed_dim"), (int) c.param("num_heads"), o);
        Tensor x = in.get("x");
        Tensor q = flag(c, "self_attention") ? require(c, in, "x") : require(c, in, "query");
        Tensor k = x != null && flag(c, "self_attention") ? x : require(c, in, "key");
        Tensor v = x != null && flag(c, "self_attention") ? x : require(c, in, "value");
        load(mha, in);
        MultiheadAttention.Output r = mha.forward(q, k, v, in.get("key_padding_mask"), flag(c, "need_weights"), in.get(maskName),
                flag(c, "average_attn_weights"));
        r.output().backward(require(c, in, "g"));
        out.put(prefix + "attn_output", r.output());
        if (r.weights() != null) out.put(prefix + "attn_weights", r.weights());
        for (String name : new String[] {"x", "query", "key", "value"}) {
            if (in.containsKey(name) && in.get(name).requiresGrad()) out.put(prefix + "d" + name, in.get(name).grad());
        }
        mha.namedParameters().forEach((key, p) -> out.put(prefix + "grad/" + key, p.grad()));
    }

    /**
     * {@code nn.TransformerEncoderLayer} alone or stacked {@code num_layers} times in
     * {@code nn.TransformerEncoder}, {@code y = enc(src, src_mask, src_key_padding_mask)};
     * results {@code y}, {@code dsrc} and {@code grad/<key>}.
     */
    private static Map<String, Tensor> encoder(ParityCase c, Map<String, Tensor> in, boolean stacked) {
        Object activation = c.params().get("activation");
        TransformerEncoderLayerOptions o = TransformerEncoderLayerOptions.defaults()
                .dimFeedforward((int) c.param("dim_feedforward")).dropout(c.param("dropout"))
                .activation(activation == null ? "relu" : activation.toString()).layerNormEps(c.param("layer_norm_eps"))
                .batchFirst(flag(c, "batch_first")).normFirst(flag(c, "norm_first"));
        TransformerEncoderLayer layer = new TransformerEncoderLayer((int) c.param("d_model"), (int) c.param("nhead"), o);
        // a final norm (absent from the public set) would be nn.Transformer's LayerNorm(d_model, eps=layer_norm_eps)
        LayerNorm finalNorm = stacked && in.containsKey("norm.weight")
                ? new LayerNorm(new int[] {(int) c.param("d_model")}, c.param("layer_norm_eps"), true) : null;
        Module model = stacked ? new TransformerEncoder(layer, (int) c.param("num_layers"), finalNorm) : layer;
        load(model, in);
        Tensor src = require(c, in, "src");
        Tensor mask = srcMask(in.get("src_mask"));
        Tensor y = stacked ? ((TransformerEncoder) model).forward(src, mask, in.get("src_key_padding_mask"))
                : layer.forward(src, mask, in.get("src_key_padding_mask"));
        y.backward(require(c, in, "g"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("y", y);
        out.put("dsrc", src.grad());
        model.namedParameters().forEach((key, p) -> out.put("grad/" + key, p.grad()));
        return out;
    }

    /**
     * The file's 0/1 {@code src_mask} as torch used it: when it is the causal mask (1 above the
     * diagonal), {@link Transformer#generateSquareSubsequentMask}'s float mask, as the reference
     * computed it; any other mask as it is (1 = masked).
     */
    private static Tensor srcMask(Tensor fileMask) {
        if (fileMask == null || fileMask.dim() != 2 || fileMask.size(0) != fileMask.size(1)) return fileMask;
        Tensor causal = Transformer.generateSquareSubsequentMask(fileMask.size(0));
        boolean same = java.util.Arrays.equals(causal.eq(Double.NEGATIVE_INFINITY).toLongArray(), fileMask.ne(0).toLongArray());
        return same ? causal : fileMask;
    }

    /** Loads every state-dict key of {@code m} from the inputs of the same name (strict: all must be there). */
    static void load(Module m, Map<String, Tensor> in) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : m.stateDict().keySet()) {
            if (in.containsKey(key)) state.put(key, in.get(key));
        }
        m.loadStateDict(state, true);
    }

    private static Tensor require(ParityCase c, Map<String, Tensor> in, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }

    static boolean flag(ParityCase c, String name) {
        if (!(c.params().get(name) instanceof Boolean b)) {
            throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not a boolean: " + c.params().get(name));
        }
        return b;
    }
}
