package dev.antorcha.parity;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Reduction;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import dev.antorcha.tensor.ValuesIndices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The joining / splitting / selecting and loss cases of {@code PARITY_FORMAT_CNN.md}: each op (or loss
 * variant) runs on its own graph from fresh inputs, with its own upstream gradient, and gives the outputs
 * the format names ({@code <op>/y}, {@code <op>/y<i>}, {@code <op>/values}, {@code <op>/indices},
 * {@code <op>/d<input>}, {@code loss_<v>}, {@code dx_<v>}). Every dim, size and setting comes from
 * {@code params}.
 */
final class TensorOpCases {
    private TensorOpCases() {
    }

    static final Set<String> KINDS = Set.of("flatten_cat_stack", "split_chunk", "topk", "max_min_dim", "bce_loss",
            "smooth_l1_loss", "bce_with_logits_pos_weight", "log_softmax_nll");

    static boolean supports(String kind) {
        return KINDS.contains(kind);
    }

    static Map<String, Tensor> run(String kind, ParityCase c) {
        return switch (kind) {
            case "flatten_cat_stack" -> flattenCatStack(c);
            case "split_chunk" -> splitChunk(c);
            case "topk" -> topk(c);
            case "max_min_dim" -> maxMinDim(c);
            case "bce_loss" -> losses(c, reductions(c), (in, v) -> F.binaryCrossEntropy(in.get("x"), in.get("target"),
                    in.get("weight"), reduction(v)));
            case "bce_with_logits_pos_weight" -> losses(c, reductions(c), (in, v) -> F.binaryCrossEntropyWithLogits(
                    in.get("x"), in.get("target"), null, reduction(v), in.get("pos_weight")));
            case "smooth_l1_loss" -> losses(c, variants(c), (in, v) -> F.smoothL1Loss(in.get("x"), in.get("target"),
                    reduction(string(c, "reduction")), c.param(v + ".beta")));
            case "log_softmax_nll" -> logSoftmaxNll(c);
            default -> throw new IllegalArgumentException("case " + c.id() + ": no runner for kind '" + kind + "'");
        };
    }

    // ------------------------------------------------------------------ joining and splitting

    private static Map<String, Tensor> flattenCatStack(ParityCase c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int start = (int) c.param("flatten_start_dim");
        graph(c, out, "flatten", List.of("a"), in -> in.get("a").flatten(start));
        for (int i = 0; ; i++) {
            String op = "cat" + i;
            if (!c.outputs().containsKey(op + "/y")) break;
            int dim = (int) c.param("cat_dims." + i);
            List<String> names = gradNames(c, op);
            graph(c, out, op, names, in -> Antorcha.cat(names.stream().map(in::get).toList(), dim));
        }
        int stackDim = (int) c.param("stack_dim");
        List<String> stacked = gradNames(c, "stack");
        graph(c, out, "stack", stacked, in -> Antorcha.stack(stacked.stream().map(in::get).toList(), stackDim));
        return out;
    }

    /**
     * The operands of {@code op} in torch's order: from the case's {@code expr} ({@code cat0/y = torch.cat([a, d], 0)})
     * where it says, else the inputs {@code v} of the outputs {@code op/d<v>} in file order.
     */
    private static List<String> gradNames(ParityCase c, String op) {
        Matcher m = Pattern.compile("(?:^|;)\\s*" + Pattern.quote(op) + "/y = torch\\.\\w+\\(\\[([\\w, ]+)]").matcher(c.expr());
        if (m.find()) return List.of(m.group(1).trim().split("\\s*,\\s*"));
        return c.outputs().keySet().stream().filter(n -> n.startsWith(op + "/d")).map(n -> n.substring(op.length() + 2)).toList();
    }

    /** {@code y = f(inputs)}, {@code y.backward(g/op)}: outputs {@code op/y} and {@code op/d<v>} for each v of {@code grads}. */
    private static void graph(ParityCase c, Map<String, Tensor> out, String op, List<String> grads,
                              Function<Map<String, Tensor>, Tensor> f) {
        Map<String, Tensor> in = ParityRunner.inputs(c);
        Tensor y = f.apply(in);
        out.put(op + "/y", y);
        y.backward(in.get("g/" + op));
        for (String v : grads) out.put(op + "/d" + v, in.get(v).grad());
    }

    private static Map<String, Tensor> splitChunk(ParityCase c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int dim = (int) c.param("dim");
        pieces(c, out, "split_int", x -> x.split((int) c.param("split_size"), dim));
        pieces(c, out, "split_list", x -> x.split(ints(c, "split_sizes"), dim));
        pieces(c, out, "chunk", x -> x.chunk((int) c.param("chunks"), dim));
        return out;
    }

    /** Runs a multi-output op: pieces {@code op/y<i>}, each with upstream gradient {@code g/op/<i>}; then {@code op/dx}. */
    private static void pieces(ParityCase c, Map<String, Tensor> out, String op, Function<Tensor, List<Tensor>> f) {
        Map<String, Tensor> in = ParityRunner.inputs(c);
        Tensor x = in.get("x");
        List<Tensor> ys = f.apply(x);
        int expected = ints(c, "pieces." + op).length;
        if (ys.size() != expected) {
            throw new AssertionError(op + ": " + ys.size() + " pieces, torch produced " + expected);
        }
        Tensor total = null;
        for (int i = 0; i < ys.size(); i++) {
            out.put(op + "/y" + i, ys.get(i));
            Tensor term = ys.get(i).mul(in.get("g/" + op + "/" + i)).sum();
            total = total == null ? term : total.add(term);
        }
        total.backward();   // d(sum_i <y_i, g_i>)/dx: each piece receives its own g_i
        out.put(op + "/dx", x.grad());
    }

    // ------------------------------------------------------------------ selecting

    private static Map<String, Tensor> topk(ParityCase c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int k = (int) c.param("k"), dim = (int) c.param("dim");
        boolean sorted = !Boolean.FALSE.equals(c.params().get("sorted"));
        for (String op : List.of("largest", "smallest", "ties_largest", "ties_smallest")) {
            if (!c.outputs().containsKey(op + "/values")) continue;
            Map<String, Tensor> in = ParityRunner.inputs(c);
            Tensor x = in.get(op.startsWith("ties_") ? "x_ties" : "x");
            ValuesIndices r = x.topk(k, dim, op.endsWith("largest"), sorted);
            selected(c, out, op, x, r, in);
        }
        return out;
    }

    private static Map<String, Tensor> maxMinDim(ParityCase c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int dim = (int) c.param("dim");
        for (String op : List.of("max", "max_keepdim", "min", "min_keepdim")) {
            if (!c.outputs().containsKey(op + "/values")) continue;
            Map<String, Tensor> in = ParityRunner.inputs(c);
            Tensor x = in.get("x");
            boolean keep = Boolean.TRUE.equals(((Map<?, ?>) c.params().get("keepdim")).get(op));
            ValuesIndices r = op.startsWith("max") ? x.max(dim, keep) : x.min(dim, keep);
            selected(c, out, op, x, r, in);
        }
        return out;
    }

    private static void selected(ParityCase c, Map<String, Tensor> out, String op, Tensor x, ValuesIndices r,
                                 Map<String, Tensor> in) {
        out.put(op + "/values", r.values());
        out.put(op + "/indices", r.indices());
        if (c.outputs().containsKey(op + "/dx")) {
            r.values().backward(in.get("g/" + op));
            out.put(op + "/dx", x.grad());
        }
    }

    // ------------------------------------------------------------------ losses

    @FunctionalInterface
    private interface LossFn {
        Tensor loss(Map<String, Tensor> in, String variant);
    }

    /** {@code loss_<v> = f(in, v); loss_<v>.backward()} for each variant, each from fresh inputs. */
    private static Map<String, Tensor> losses(ParityCase c, List<String> variants, LossFn f) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String v : variants) {
            Map<String, Tensor> in = ParityRunner.inputs(c);
            Tensor loss = f.loss(in, v);
            out.put("loss_" + v, loss);
            loss.backward();
            out.put("dx_" + v, in.get("x").grad());
        }
        return out;
    }

    private static Map<String, Tensor> logSoftmaxNll(ParityCase c) {
        long ignore = (long) c.param("ignore_index");
        Map<?, ?> reductions = (Map<?, ?>) c.params().get("reductions");
        List<String> variants = reductions.keySet().stream().map(Object::toString).toList();
        return losses(c, variants, (in, v) -> F.nllLoss(F.logSoftmax(in.get("x"), 1), in.get("target"),
                v.equals("weighted") ? in.get("class_weight") : null, reduction(reductions.get(v).toString()),
                v.equals("ignore") ? ignore : -100));
    }

    private static List<String> reductions(ParityCase c) {
        return ((List<?>) c.params().get("reductions")).stream().map(Object::toString).toList();
    }

    /** The variants of a case ({@code A}, {@code B}): the params that are maps. */
    private static List<String> variants(ParityCase c) {
        return c.params().entrySet().stream().filter(e -> e.getValue() instanceof Map).map(Map.Entry::getKey).toList();
    }

    private static Reduction reduction(String name) {
        return Reduction.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static String string(ParityCase c, String name) {
        Object v = c.params().get(name);
        if (!(v instanceof String s)) throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not a string: " + v);
        return s;
    }

    private static int[] ints(ParityCase c, String name) {
        Object cur = c.params();
        for (String part : name.split("\\.")) cur = ((Map<?, ?>) cur).get(part);
        if (!(cur instanceof List<?> l)) throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not a list: " + cur);
        return l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }
}
