package dev.antorcha.tensor;

import static dev.antorcha.tensor.DType.BFLOAT16;
import static dev.antorcha.tensor.DType.BOOL;
import static dev.antorcha.tensor.DType.FLOAT16;
import static dev.antorcha.tensor.DType.INT16;
import static dev.antorcha.tensor.DType.INT32;
import static dev.antorcha.tensor.DType.INT64;
import static dev.antorcha.tensor.DType.INT8;
import static dev.antorcha.tensor.DType.UINT8;

import dev.antorcha.tensor.DTypeRule.Kind;
import dev.antorcha.tensor.DTypeRule.Refusal;
import dev.antorcha.tensor.DTypeRule.When;
import dev.antorcha.tensor.TypePromotion.Operand;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PyTorch's result dtypes, op by op, as one table: an op name (PyTorch's) maps to a
 * {@link DTypeRule}. The rows follow PyTorch 1.13 on the CPU, refusals included: where PyTorch has
 * no kernel for a dtype (no float16 {@code exp} on the CPU, no bool {@code abs}) the op is refused
 * with a message that names it, the dtype and a way out. An op the table does not know is refused.
 *
 * <pre>{@code
 * DTypeRules.PYTORCH.resultType("sum", Operand.tensor(DType.BOOL));                          // INT64
 * DTypeRules.PYTORCH.resultType("add", Operand.tensor(DType.INT64), Operand.scalar(2.5));    // FLOAT32
 * }</pre>
 *
 * Factories are rows too: their operands are the numbers the data is made of, so
 * {@code resultType("arange", scalar(5))} is int64 and {@code resultType("full", scalar(7.0))}
 * (the fill value) float32; {@code zeros} and {@code rand} take none and give the default float.
 */
public final class DTypeRules {

    /** The rules of PyTorch 1.13 (CPU), checked row by row against its output by the tests. */
    public static final DTypeRules PYTORCH = new DTypeRules(pytorchTable());

    private final Map<String, DTypeRule> rules;

    private DTypeRules(Map<String, DTypeRule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    /**
     * The result dtype of {@code op} on {@code operands}, as PyTorch gives it.
     *
     * @throws IllegalArgumentException when the table has no row for {@code op} (naming the known
     *                                  ops), or when PyTorch refuses these dtypes for it
     */
    public DType resultType(String op, Operand... operands) {
        if (operands == null) throw new IllegalArgumentException(op + ": operands is null");
        return rule(op).resultType(op, operands);
    }

    /** The row for {@code op}; see {@link #resultType}. */
    public DTypeRule rule(String op) {
        DTypeRule r = op == null ? null : rules.get(op);
        if (r == null) {
            throw new IllegalArgumentException("no dtype rule for op '" + op + "'; the table knows " + rules.keySet());
        }
        return r;
    }

    /** The op names the table has rows for, in the table's order. */
    public Set<String> ops() {
        return rules.keySet();
    }

    /** A copy of this table with {@code op}'s row set to {@code rule} (added if new). */
    public DTypeRules with(String op, DTypeRule rule) {
        if (op == null || rule == null) throw new IllegalArgumentException("with: op and rule must not be null");
        Map<String, DTypeRule> copy = new LinkedHashMap<>(rules);
        copy.put(op, rule);
        return new DTypeRules(copy);
    }

    // ---- the table ---------------------------------------------------------------------------

    /** PyTorch 1.13 has no CPU kernel for the common dtype. */
    private static Refusal noKernel(DType... dtypes) {
        return Refusal.commonIn(Set.of(dtypes), "{op}: not implemented for {dtype} (PyTorch has no CPU kernel for it "
                + "either); convert the input first, e.g. with .float() or .long()");
    }

    private static Map<String, DTypeRule> pytorchTable() {
        Refusal boolNeg = Refusal.commonIn(Set.of(BOOL), "{op}: negation, the `-` operator, on a "
                + "torch.bool tensor is not supported; to invert a mask use the `~` operator or logical_not() instead");
        Refusal boolRelu = Refusal.commonIn(Set.of(BOOL), "{op}: torch.bool inputs are not supported; "
                + "convert the mask first, e.g. with .float()");
        Refusal twoBools = Refusal.of(When.ALL_BOOL, "{op}: subtraction, the `-` operator, of "
                + "two torch.bool operands is not supported; use the `^` operator or logical_xor() instead");
        Refusal aBool = Refusal.of(When.ANY_BOOL, "{op}: subtraction, the `-` operator, with "
                + "{operand} (torch.bool) is not supported; to invert a mask use the `~` operator or logical_not() instead");
        Refusal tensorsOnly = Refusal.of(When.ANY_SCALAR, "{op}: argument 'other' must be a tensor, "
                + "not {operand}; pass a zero-dim tensor, or use clampMin/clampMax for a bound");
        Refusal floatingOnly = Refusal.commonIn(Set.of(BOOL, UINT8, INT8, INT16, INT32, INT64), "{op}: could not infer "
                + "the output dtype: the input dtype must be floating point, got {dtype}; convert it first, e.g. with .float()");

        Map<String, DTypeRule> t = new LinkedHashMap<>();
        // binary arithmetic on the promoted dtype; bool has no kernel for the integer-only ops
        put(t, binary(Kind.PROMOTE), "add", "mul");
        put(t, binary(Kind.PROMOTE, twoBools, aBool), "sub");
        put(t, binary(Kind.PROMOTE, noKernel(BOOL)), "floor_divide", "remainder", "pow");
        put(t, binary(Kind.PROMOTE, tensorsOnly), "maximum", "minimum");
        put(t, binary(Kind.PROMOTE), "where");   // where(condition, a, b): a and b promote, the bool condition does not
        put(t, binary(Kind.PROMOTE_TO_FLOAT), "div", "true_divide");
        put(t, binary(Kind.BOOL), "eq", "ne", "lt", "le", "gt", "ge");
        // element-wise unary ops: the input's dtype, or a float for the transcendental ones
        put(t, unary(Kind.PROMOTE, boolNeg), "neg");
        put(t, unary(Kind.PROMOTE, noKernel(BOOL)), "abs");
        put(t, unary(Kind.PROMOTE, boolRelu, noKernel(FLOAT16)), "relu");
        put(t, unary(Kind.PROMOTE, noKernel(BOOL, FLOAT16)), "floor");
        put(t, unary(Kind.PROMOTE), "sign");
        put(t, unary(Kind.PROMOTE_TO_FLOAT, noKernel(FLOAT16)), "exp", "log", "sqrt", "sigmoid", "tanh");
        // clamp(x, min, max): number bounds take part like scalars, so clamp(bool mask, 0, 1) is int64
        put(t, new DTypeRule(Kind.PROMOTE, 1, 3, List.of(noKernel(FLOAT16))), "clamp");
        // reductions and scans
        put(t, unary(Kind.INTEGER_TO_INT64), "sum");
        put(t, unary(Kind.INTEGER_TO_INT64, noKernel(FLOAT16, BFLOAT16)), "prod");
        put(t, unary(Kind.INTEGER_TO_INT64, noKernel(FLOAT16)), "cumsum");
        put(t, unary(Kind.PROMOTE, floatingOnly), "mean");
        put(t, unary(Kind.PROMOTE), "max", "min");
        put(t, unary(Kind.INT64, noKernel(BOOL)), "argmax", "argmin");
        put(t, unary(Kind.PROMOTE, noKernel(BOOL, UINT8, INT8, INT16, INT32, INT64, FLOAT16)), "softmax", "log_softmax");
        // indexing keeps the input's dtype (the int64 index takes no part)
        put(t, unary(Kind.PROMOTE), "gather", "index_select");
        // factories: the operands are the numbers the values come from (arange's bounds, tensor's data, full's fill)
        put(t, new DTypeRule(Kind.PROMOTE, 0, Integer.MAX_VALUE, List.of()), "tensor");
        put(t, new DTypeRule(Kind.PROMOTE, 1, 3, List.of()), "arange");
        put(t, new DTypeRule(Kind.PROMOTE, 1, 1, List.of()), "full");
        put(t, new DTypeRule(Kind.DEFAULT_FLOAT, 0, 0, List.of()), "zeros", "ones", "empty", "eye", "rand", "randn", "linspace");
        put(t, new DTypeRule(Kind.INT64, 0, 0, List.of()), "randint", "randperm");
        return t;
    }

    private static DTypeRule binary(Kind kind, Refusal... refusals) {
        return new DTypeRule(kind, 2, 2, List.of(refusals));
    }

    private static DTypeRule unary(Kind kind, Refusal... refusals) {
        return new DTypeRule(kind, 1, 1, List.of(refusals));
    }

    private static void put(Map<String, DTypeRule> t, DTypeRule rule, String... ops) {
        for (String op : ops) {
            if (t.put(op, rule) != null) throw new IllegalStateException("two rows for op '" + op + "'");
        }
    }
}
