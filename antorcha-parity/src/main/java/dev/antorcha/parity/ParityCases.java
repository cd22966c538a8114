package dev.antorcha.parity;

import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.nn.Reduction;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forward expression of each single-graph case kind of {@code PARITY_FORMAT.md}, written with Antorcha
 * ops: {@code y = f(inputs)}. {@link ParityRunner} builds the inputs, calls the expression, runs
 * {@code y.backward(g)} and compares. Settings come from the case's {@code params} when present (a hidden
 * set may carry other dims), else from the {@code expr} text, else from the kind's definition.
 */
final class ParityCases {

    private ParityCases() {}

    /** {@code y} from the case's inputs (by name). */
    @FunctionalInterface
    interface Expr {
        Tensor forward(Map<String, Tensor> in, ParityCase c);
    }

    /** The expression of {@code kind}, or empty for kinds without one (multi-graph, nn/optim or unknown). */
    static Optional<Expr> of(String kind) {
        Expr e = switch (kind) {
            // F.linear(x, W, b) = x W^T + b (the library's fused op); b is optional as in torch
            case "linear" -> (in, c) -> dev.antorcha.nn.functional.F.linear(in(in, c, "x"), in(in, c, "W"), in.get("b"));
            case "relu" -> (in, c) -> in(in, c, "x").relu();
            case "log_softmax" -> (in, c) -> in(in, c, "x").logSoftmax(dim(c, 1));
            case "softmax" -> (in, c) -> in(in, c, "x").softmax(dim(c, 1));
            case "softmax_dim0" -> (in, c) -> in(in, c, "x").softmax(dim(c, 0));
            case "matmul_3d_2d", "matmul_3d_3d" -> (in, c) -> in(in, c, "A").matmul(in(in, c, "B"));
            case "sum_dim1_keepdim" -> (in, c) -> in(in, c, "x").sum(dims(c, 1), keepDim(c, true));
            case "mean_dims02" -> (in, c) -> in(in, c, "x").mean(dims(c, 0, 2), keepDim(c, false));
            case "mean_lastdim_keepdim" -> (in, c) -> in(in, c, "x").mean(dims(c, -1), keepDim(c, true));
            case "sum_all" -> (in, c) -> in(in, c, "x").sum();
            case "mean_all" -> (in, c) -> in(in, c, "x").mean();
            // x.view(a*b, c).transpose(0, 1).reshape(a, b*c): the reshape sees a non-contiguous tensor
            case "view_transpose" -> (in, c) -> {
                Tensor x = in(in, c, "x");
                if (x.dim() != 3) throw new IllegalArgumentException("view_transpose expects a 3-D x, got " + x.shape());
                int a = x.size(0), b = x.size(1), d = x.size(2);
                return x.view(a * b, d).transpose(0, 1).reshape(a, b * d);
            };
            case "permute" -> (in, c) -> in(in, c, "x").permute(permuteDims(c));
            case "broadcast_add" -> (in, c) -> in(in, c, "a").add(in(in, c, "b"));
            case "broadcast_sub" -> (in, c) -> in(in, c, "a").sub(in(in, c, "b"));
            case "broadcast_mul" -> (in, c) -> in(in, c, "a").mul(in(in, c, "b"));
            case "broadcast_div" -> (in, c) -> in(in, c, "a").div(in(in, c, "b"));
            default -> null;
        };
        return Optional.ofNullable(e);
    }

    /** {@code F.cross_entropy(logits, target, reduction=R)} through the library's loss. */
    static Tensor crossEntropy(Tensor logits, Tensor target, String reduction) {
        Reduction r = switch (reduction) {
            case "mean" -> Reduction.MEAN;
            case "sum" -> Reduction.SUM;
            case "none" -> Reduction.NONE;
            default -> throw new IllegalArgumentException("unknown cross_entropy reduction '" + reduction + "'");
        };
        return new CrossEntropyLoss(r).forward(logits, target);
    }

    // ---------------------------------------------------------------- settings

    private static Tensor in(Map<String, Tensor> in, ParityCase c, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }

    private static final Pattern DIM = Pattern.compile("\\bdim\\s*=\\s*\\(?\\s*(-?\\d+(?:\\s*,\\s*-?\\d+)*)\\s*,?\\s*\\)?");
    private static final Pattern KEEPDIM = Pattern.compile("\\bkeepdim\\s*=\\s*(True|False)");
    private static final Pattern PERMUTE = Pattern.compile("\\.permute\\(\\s*(-?\\d+(?:\\s*,\\s*-?\\d+)*)\\s*\\)");

    /** The single dim: {@code params.dim}, else {@code dim=} in {@code expr}, else {@code fallback}. */
    static int dim(ParityCase c, int fallback) {
        return dims(c, fallback)[0];
    }

    /** {@code params.dim} (a number or list), else {@code dim=} (int or tuple) in {@code expr}, else {@code fallback}. */
    static int[] dims(ParityCase c, int... fallback) {
        int[] p = intsParam(c, "dim");
        if (p != null) return p;
        Matcher m = DIM.matcher(c.expr());
        return m.find() ? ints(m.group(1)) : fallback;
    }

    /** {@code params.keepdim}, else {@code keepdim=} in {@code expr}, else {@code fallback}. */
    static boolean keepDim(ParityCase c, boolean fallback) {
        if (c.params().get("keepdim") instanceof Boolean b) return b;
        Matcher m = KEEPDIM.matcher(c.expr());
        return m.find() ? m.group(1).equals("True") : fallback;
    }

    /** {@code params.dims}, else the arguments of {@code .permute(...)} in {@code expr}, else {@code (2, 0, 1)}. */
    static int[] permuteDims(ParityCase c) {
        int[] p = intsParam(c, "dims");
        if (p != null) return p;
        Matcher m = PERMUTE.matcher(c.expr());
        return m.find() ? ints(m.group(1)) : new int[] {2, 0, 1};
    }

    /** An int or list-of-ints parameter; null when absent or null (e.g. relu's {@code "dim": null}). */
    private static int[] intsParam(ParityCase c, String name) {
        Object o = c.params().get(name);
        if (o == null) return null;
        List<?> list = o instanceof List<?> l ? l : List.of(o);
        var out = new ArrayList<Integer>();
        for (Object v : list) {
            if (!(v instanceof Long n)) throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' is not an int or list of ints: " + o);
            out.add(Math.toIntExact(n));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] ints(String csv) {
        String[] parts = csv.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
        return out;
    }
}
