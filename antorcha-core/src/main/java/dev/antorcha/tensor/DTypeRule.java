package dev.antorcha.tensor;

import dev.antorcha.tensor.TypePromotion.Operand;
import dev.antorcha.tensor.TypePromotion.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How one op's result dtype is decided: the operands' common dtype ({@link TypePromotion}) turned
 * into the result by a {@link Kind}, after the {@link Refusal}s had their say (checked in order,
 * the first that matches throws). A row of {@link DTypeRules}' table.
 *
 * <pre>{@code
 * new DTypeRule(Kind.PROMOTE_TO_FLOAT, 2, 2, List.of())
 *         .resultType("div", Operand.tensor(DType.INT64), Operand.tensor(DType.INT32));   // FLOAT32
 * }</pre>
 *
 * @param kind         what the result is made of the common dtype
 * @param minOperands  fewest operands the op takes part in promotion with
 * @param maxOperands  most operands ({@link Integer#MAX_VALUE}: any number, as {@code tensor([...])})
 * @param refusals     the combinations PyTorch refuses, each with its message
 */
public record DTypeRule(Kind kind, int minOperands, int maxOperands, List<Refusal> refusals) {

    /** What the result dtype is, given the operands' common dtype. */
    public enum Kind {
        /** The common dtype itself: {@code add}, {@code maximum}, {@code abs}, {@code tensor([1, 2])}. */
        PROMOTE(c -> c),
        /** The common dtype, with bool and integers becoming the default float: {@code div}, {@code exp}. */
        PROMOTE_TO_FLOAT(c -> c.isFloatingPoint() ? c : TypePromotion.DEFAULT_FLOAT),
        /** Always bool: comparisons. */
        BOOL(c -> DType.BOOL),
        /** Always int64: indices ({@code argmax}) and {@code randint}. */
        INT64(c -> DType.INT64),
        /** Floating dtypes stay, bool and integers widen to int64: {@code sum}, {@code prod}, {@code cumsum}. */
        INTEGER_TO_INT64(c -> c.isFloatingPoint() ? c : DType.INT64),
        /** The default float, whatever the arguments: {@code zeros}, {@code rand}, {@code linspace}. */
        DEFAULT_FLOAT(c -> TypePromotion.DEFAULT_FLOAT);

        private final UnaryOperator<DType> fromCommon;

        Kind(UnaryOperator<DType> fromCommon) {
            this.fromCommon = fromCommon;
        }
    }

    /** What a {@link Refusal} looks at. */
    public enum When {
        /** The common dtype is one of the refusal's dtypes (a kernel PyTorch does not have). */
        COMMON_DTYPE_IN,
        /** Every operand is bool (subtracting two masks). */
        ALL_BOOL,
        /** Some operand is bool. */
        ANY_BOOL,
        /** Some operand is a plain number where the op takes only tensors. */
        ANY_SCALAR
    }

    /**
     * A combination the op refuses. The message may name {@code {op}}, {@code {dtype}} (the common
     * dtype, e.g. {@code torch.float16}) and {@code {operand}} (the operand that triggered it, e.g.
     * {@code an integer scalar}); it should say what to do instead.
     */
    public record Refusal(When when, Set<DType> dtypes, String message) {
        public Refusal {
            if (when == null || dtypes == null || message == null) {
                throw new IllegalArgumentException("Refusal needs when, dtypes and message");
            }
            dtypes = Set.copyOf(dtypes);
        }

        /** Refuses when the common dtype is one of {@code dtypes}. */
        public static Refusal commonIn(Set<DType> dtypes, String message) {
            return new Refusal(When.COMMON_DTYPE_IN, dtypes, message);
        }

        /** Refuses by the operands themselves (bool operands, scalars); see {@link When}. */
        public static Refusal of(When when, String message) {
            if (when == When.COMMON_DTYPE_IN) {
                throw new IllegalArgumentException("Refusal.of: COMMON_DTYPE_IN needs dtypes; use commonIn");
            }
            return new Refusal(when, Set.of(), message);
        }

        /** The operand that makes this refusal apply, or {@code null} when it does not. */
        Operand trigger(DType common, Operand[] operands) {
            Operand first = operands.length == 0 ? null : operands[0];
            return switch (when) {
                case COMMON_DTYPE_IN -> dtypes.contains(common) ? Operand.tensor(common) : null;
                case ALL_BOOL -> {
                    for (Operand o : operands) if (o.dtype() != DType.BOOL) yield null;
                    yield first;
                }
                case ANY_BOOL -> {
                    for (Operand o : operands) if (o.dtype() == DType.BOOL) yield o;
                    yield null;
                }
                case ANY_SCALAR -> {
                    for (Operand o : operands) if (o.priority() == Priority.SCALAR) yield o;
                    yield null;
                }
            };
        }

        String format(String op, DType common, Operand trigger) {
            return message.replace("{op}", op).replace("{dtype}", common.torchName())
                    .replace("{operand}", trigger.describe());
        }
    }

    public DTypeRule {
        if (kind == null || refusals == null) throw new IllegalArgumentException("DTypeRule needs a kind and refusals");
        if (minOperands < 0 || maxOperands < minOperands) {
            throw new IllegalArgumentException("DTypeRule: operand counts " + minOperands + ".." + maxOperands
                    + " are not a range");
        }
        refusals = List.copyOf(refusals);
    }

    /**
     * The result dtype of {@code op} on {@code operands}.
     *
     * @throws IllegalArgumentException when the number of operands is wrong for the op, or when a
     *                                  refusal applies (its message names the op and the dtypes)
     */
    public DType resultType(String op, Operand... operands) {
        if (operands.length < minOperands || operands.length > maxOperands) {
            String range = minOperands == maxOperands ? String.valueOf(minOperands)
                    : maxOperands == Integer.MAX_VALUE ? minOperands + " or more" : minOperands + " to " + maxOperands;
            throw new IllegalArgumentException(op + ": takes " + range + " operand(s) in type promotion, got "
                    + operands.length + " " + describe(operands));
        }
        DType common = TypePromotion.resultType(operands);
        for (Refusal r : refusals) {
            Operand trigger = r.trigger(common, operands);
            if (trigger != null) throw new IllegalArgumentException(r.format(op, common, trigger));
        }
        return kind.fromCommon.apply(common);
    }

    /** The operands as messages list them, e.g. {@code (a torch.bool tensor, an integer scalar)}. */
    static String describe(Operand... operands) {
        List<String> parts = new ArrayList<>();
        for (Operand o : operands) parts.add(o.describe());
        return "(" + String.join(", ", parts) + ")";
    }
}
