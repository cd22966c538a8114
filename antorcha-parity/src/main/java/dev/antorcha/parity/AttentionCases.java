package dev.antorcha.parity;

import dev.antorcha.nn.Module;
import dev.antorcha.nn.MultiheadAttention;
import dev.antorcha.nn.MultiheadAttentionOptions;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attention cases of {@code PARITY_FORMAT_SEQ.md}: {@code multihead_attention} (self-attention),
 * {@code multihead_attention_key_padding_mask} (distinct query, key, value and a padding mask),
 * {@code multihead_attention_attn_mask} (a bool mask, and a float one under {@code float_mask/}).
 * Every size and flag comes from the case; the parameters are loaded by their state-dict keys and
 * the masks arrive as int64 0/1 (1 = masked). Each run starts from fresh leaves; the backward is
 * that of {@code sum(output * g)}.
 */
final class AttentionCases {
    private AttentionCases() {
    }

    /** Whether {@code kind} is one of these cases. */
    static boolean handles(String kind) {
        return kind.startsWith("multihead_attention");
    }

    /** The outputs of case {@code c} of kind {@code kind}. */
    static Map<String, Tensor> run(String kind, ParityCase c) {
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
