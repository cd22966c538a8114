package dev.antorcha.parity;

import dev.antorcha.autograd.NoGrad;
import dev.antorcha.nn.Embedding;
import dev.antorcha.nn.EmbeddingOptions;
import dev.antorcha.nn.LayerNorm;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.utils.ClipGrad;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small sequence-model cases of {@code PARITY_FORMAT_SEQ.md}: {@code embedding},
 * {@code embedding_max_norm}, {@code layer_norm*}, {@code masked_fill_triu} and {@code clip_grad_norm},
 * every shape and hyperparameter read from the case. Modules are built as the case's {@code expr} builds
 * them and given the case's parameters; each sub-run ({@code masked_fill/}, {@code l2/}, ...) starts
 * again from the file's inputs.
 */
final class SeqOpCases {
    private SeqOpCases() {
    }

    /** Whether {@code kind} is one of these cases. */
    static boolean handles(String kind) {
        return kind.equals("embedding") || kind.equals("embedding_max_norm") || kind.startsWith("layer_norm")
                || kind.equals("masked_fill_triu") || kind.equals("clip_grad_norm");
    }

    /** The outputs of case {@code c} of kind {@code kind}. */
    static Map<String, Tensor> run(String kind, ParityCase c) {
        if (kind.startsWith("embedding")) return embedding(c);
        if (kind.startsWith("layer_norm")) return layerNorm(c);
        if (kind.equals("masked_fill_triu")) return maskedFillTriu(c);
        return clipGradNorm(c);
    }

    /** {@code emb = nn.Embedding(num, dim, padding_idx, max_norm, norm_type, ...); emb.weight = weight; y = emb(indices); y.backward(g)}. */
    private static Map<String, Tensor> embedding(ParityCase c) {
        Map<String, Tensor> in = ParityRunner.inputs(c);
        EmbeddingOptions o = EmbeddingOptions.defaults().normType(c.param("norm_type"));
        if (c.params().get("padding_idx") != null) o = o.paddingIdx((int) c.param("padding_idx"));
        if (c.params().get("max_norm") != null) o = o.maxNorm(c.param("max_norm"));
        if (Boolean.TRUE.equals(c.params().get("scale_grad_by_freq"))) o = o.scaleGradByFreq(true);
        Embedding emb = new Embedding((int) c.param("num_embeddings"), (int) c.param("embedding_dim"), o);
        copyInto(emb.weight, require(in, c, "weight"));
        Tensor y = emb.forward(require(in, c, "indices"));
        y.backward(require(in, c, "g"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("y", y);
        out.put("grad/weight", emb.weight.grad());
        out.put("weight_after", emb.weight);
        return out;
    }

    /** {@code ln = nn.LayerNorm(normalized_shape, eps, elementwise_affine); ln.weight, ln.bias = ...; y = ln(x); y.backward(g)}. */
    private static Map<String, Tensor> layerNorm(ParityCase c) {
        Map<String, Tensor> in = ParityRunner.inputs(c);
        List<?> ns = (List<?>) c.params().get("normalized_shape");
        int[] shape = new int[ns.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = ((Number) ns.get(i)).intValue();
        boolean affine = Boolean.TRUE.equals(c.params().get("elementwise_affine"));
        Tensor x = require(in, c, "x");
        LayerNorm ln = new LayerNorm(shape, c.param("eps"), affine);
        ln.to(x.dtype());
        if (affine) {
            copyInto(ln.weight, require(in, c, "weight"));
            copyInto(ln.bias, require(in, c, "bias"));
        }
        Tensor y = ln.forward(x);
        y.backward(require(in, c, "g"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("y", y);
        out.put("dx", x.grad());
        if (affine) {
            out.put("grad/weight", ln.weight.grad());
            out.put("grad/bias", ln.bias.grad());
        }
        return out;
    }

    /** {@code x.masked_fill(mask != 0, value)}, {@code triu(x, d)}, {@code tril(x, d)}, each on a fresh leaf with its own upstream gradient. */
    private static Map<String, Tensor> maskedFillTriu(ParityCase c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String op : List.of("masked_fill", "triu", "tril")) {
            Map<String, Tensor> in = ParityRunner.inputs(c);
            Tensor x = require(in, c, "x");
            Tensor y = switch (op) {
                case "masked_fill" -> x.maskedFill(require(in, c, "mask").ne(0), c.param("value"));
                case "triu" -> x.triu((int) c.param("triu_diagonal"));
                default -> x.tril((int) c.param("tril_diagonal"));
            };
            y.backward(require(in, c, "g/" + op));
            out.put(op + "/y", y);
            out.put(op + "/dx", x.grad());
        }
        return out;
    }

    /** Per run {@code [max_norm, norm_type]}: fresh parameters whose grads are {@code g0, g1, ...}; the total norm and the clipped grads. */
    private static Map<String, Tensor> clipGradNorm(ParityCase c) {
        if (!(c.params().get("runs") instanceof Map<?, ?> runs)) {
            throw new IllegalArgumentException("case " + c.id() + ": param 'runs' is not a map: " + c.params().get("runs"));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var run : runs.entrySet()) {
            String name = (String) run.getKey();
            List<?> spec = (List<?>) run.getValue();
            double maxNorm = ((Number) spec.get(0)).doubleValue();
            Object nt = spec.get(1);
            double normType = "inf".equals(nt) ? Double.POSITIVE_INFINITY : ((Number) nt).doubleValue();
            Map<String, Tensor> in = ParityRunner.inputs(c);
            TreeMap<Integer, Tensor> grads = new TreeMap<>();
            for (var e : in.entrySet()) {
                if (e.getKey().matches("g\\d+")) grads.put(Integer.parseInt(e.getKey().substring(1)), e.getValue());
            }
            List<Parameter> params = new ArrayList<>();
            for (Tensor g : grads.values()) {
                Parameter p = new Parameter(Tensor.zerosLike(g));
                p.setGrad(g.clone());
                params.add(p);
            }
            out.put(name + "/total_norm", ClipGrad.clipGradNorm_(params, maxNorm, normType));
            int i = 0;
            for (int k : grads.keySet()) out.put(name + "/g" + k, params.get(i++).grad());
        }
        return out;
    }

    private static void copyInto(Tensor param, Tensor value) {
        try (NoGrad _ = NoGrad.enter()) {
            param.copy_(value);
        }
    }

    private static Tensor require(Map<String, Tensor> in, ParityCase c, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }
}
