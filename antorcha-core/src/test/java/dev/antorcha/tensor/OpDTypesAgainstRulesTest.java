package dev.antorcha.tensor;

import static dev.antorcha.tensor.TypePromotion.Operand.scalar;
import static dev.antorcha.tensor.TypePromotion.Operand.tensor;
import static dev.antorcha.tensor.TypePromotion.Operand.zeroDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.TypePromotion.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The ops that exist today, run on tensors of every dtype (all ten have kernels), against
 * {@link DTypeRules#PYTORCH}: the dtype they return, or that they refuse, must be the table's.
 * Where they differ the difference would be listed in {@link #KNOWN} (empty now that the ops take
 * their dtypes from the table); the test fails both on a new difference and on a listed one that went
 * away, so the list is always the truth.
 */
class OpDTypesAgainstRulesTest {

    /** Where the ops differ from PyTorch today: "call: PyTorch's outcome / Antorcha's". */
    static final Set<String> KNOWN = Set.of();

    private static final DType[] KERNEL_DTYPES = DType.values();   // all ten: every dtype has kernels now

    private static Tensor make(DType d, boolean zeroDim) {
        Tensor t = zeroDim ? Factory.scalar(1, DType.FLOAT32) : Antorcha.tensor(new float[] {1f, 2f});
        return t.to(d);
    }

    private final List<String> differences = new ArrayList<>();
    private int compared;

    private void compare(String call, Supplier<DType> table, Supplier<Tensor> op) {
        String expected = outcome(table::get);
        String actual = outcome(() -> op.get().dtype());
        compared++;
        if (!expected.equals(actual)) differences.add(call + ": PyTorch " + expected + " / Antorcha " + actual);
    }

    private static String outcome(Supplier<DType> s) {
        try {
            return s.get().shortName();
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return "refused";
        }
    }

    @Test
    void existingOpsReturnTheTablesDtypes() {
        Map<String, BiFunction<Tensor, Tensor, Tensor>> binary = new java.util.LinkedHashMap<>();
        binary.put("add", Tensor::add);
        binary.put("sub", Tensor::sub);
        binary.put("mul", Tensor::mul);
        binary.put("div", Tensor::div);
        binary.put("pow", Tensor::pow);
        binary.put("maximum", Tensor::maximum);
        binary.put("minimum", Tensor::minimum);
        binary.put("eq", Tensor::eq);
        binary.put("ne", Tensor::ne);
        binary.put("lt", Tensor::lt);
        binary.put("le", Tensor::le);
        binary.put("gt", Tensor::gt);
        binary.put("ge", Tensor::ge);
        binary.put("where", (a, b) -> a.where(Antorcha.tensor(new float[] {1f, 0f}).gt(0), b));
        for (DType a : KERNEL_DTYPES) {
            for (DType b : KERNEL_DTYPES) {
                for (boolean zd : new boolean[] {false, true}) {
                    Operand ob = zd ? zeroDim(b) : tensor(b);
                    String args = "(" + a.shortName() + ", " + (zd ? "zero-dim " : "") + b.shortName() + ")";
                    binary.forEach((op, f) -> compare(op + args, () -> DTypeRules.PYTORCH.resultType(op, tensor(a), ob),
                            () -> f.apply(make(a, false), make(b, zd))));
                }
            }
        }
        // Java's double overloads: 2.5 is Python's float; an integral double is taken as an int by int64 tensors
        Map<String, BiFunction<Tensor, Double, Tensor>> withScalar = new java.util.LinkedHashMap<>();
        withScalar.put("add", Tensor::add);
        withScalar.put("sub", Tensor::sub);
        withScalar.put("mul", Tensor::mul);
        withScalar.put("div", Tensor::div);
        withScalar.put("pow", Tensor::pow);
        withScalar.put("eq", Tensor::eq);
        withScalar.put("lt", Tensor::lt);
        for (DType a : KERNEL_DTYPES) {
            withScalar.forEach((op, f) -> {
                compare(op + "(" + a.shortName() + ", 2.5)", () -> DTypeRules.PYTORCH.resultType(op, tensor(a), scalar(2.5)),
                        () -> f.apply(make(a, false), 2.5));
                compare(op + "(" + a.shortName() + ", 2)", () -> DTypeRules.PYTORCH.resultType(op, tensor(a), scalar(2L)),
                        () -> f.apply(make(a, false), 2.0));
            });
        }
        Map<String, Function<Tensor, Tensor>> unary = new java.util.LinkedHashMap<>();
        unary.put("neg", Tensor::neg);
        unary.put("abs", Tensor::abs);
        unary.put("relu", Tensor::relu);
        unary.put("exp", Tensor::exp);
        unary.put("log", Tensor::log);
        unary.put("sqrt", Tensor::sqrt);
        unary.put("sigmoid", Tensor::sigmoid);
        unary.put("tanh", Tensor::tanh);
        unary.put("sum", Tensor::sum);
        unary.put("mean", Tensor::mean);
        unary.put("max", Tensor::max);
        unary.put("min", Tensor::min);
        unary.put("argmax", Tensor::argmax);
        unary.put("argmin", t -> t.argmin(0, false));
        unary.put("softmax", t -> t.softmax(0));
        unary.put("log_softmax", t -> t.logSoftmax(0));
        unary.put("gather", t -> t.gather(0, Antorcha.tensor(new long[] {1, 0})));
        unary.put("index_select", t -> t.indexSelect(0, Antorcha.tensor(new long[] {1, 0})));
        for (DType a : KERNEL_DTYPES) {
            unary.forEach((op, f) -> compare(op + "(" + a.shortName() + ")",
                    () -> DTypeRules.PYTORCH.resultType(op, tensor(a)), () -> f.apply(make(a, false))));
            // clamp(x, 0, 1) in PyTorch has int bounds; Java's are doubles, integral here
            compare("clamp(" + a.shortName() + ", 0, 1)",
                    () -> DTypeRules.PYTORCH.resultType("clamp", tensor(a), scalar(0L), scalar(1L)),
                    () -> make(a, false).clamp(0, 1));
        }
        compare("arange(5)", () -> DTypeRules.PYTORCH.resultType("arange", scalar(5L)), () -> Antorcha.arange(5));
        compare("arange(0.0, 1.0, 0.25)", () -> DTypeRules.PYTORCH.resultType("arange", scalar(0.0), scalar(1.0), scalar(0.25)),
                () -> Antorcha.arange(0.0, 1.0, 0.25));
        compare("tensor([1.0, 2.0])", () -> DTypeRules.PYTORCH.resultType("tensor", scalar(1.0), scalar(2.0)),
                () -> Antorcha.tensor(new float[] {1f, 2f}));
        compare("tensor([1, 2])", () -> DTypeRules.PYTORCH.resultType("tensor", scalar(1L), scalar(2L)),
                () -> Antorcha.tensor(new long[] {1, 2}));
        compare("full((2,), 7.0)", () -> DTypeRules.PYTORCH.resultType("full", scalar(7.0)), () -> Antorcha.full(7.0, 2));
        compare("zeros(2)", () -> DTypeRules.PYTORCH.resultType("zeros"), () -> Antorcha.zeros(2));
        compare("ones(2)", () -> DTypeRules.PYTORCH.resultType("ones"), () -> Antorcha.ones(2));
        compare("eye(2)", () -> DTypeRules.PYTORCH.resultType("eye"), () -> Antorcha.eye(2));
        compare("rand(2)", () -> DTypeRules.PYTORCH.resultType("rand"), () -> Antorcha.rand(2));
        compare("randn(2)", () -> DTypeRules.PYTORCH.resultType("randn"), () -> Antorcha.randn(2));

        assertThat(compared).isGreaterThan(2000);
        Set<String> added = new TreeSet<>(differences), gone = new TreeSet<>(KNOWN);
        added.removeAll(KNOWN);
        gone.removeAll(differences);
        assertTrue(added.isEmpty() && gone.isEmpty(), () -> "ops that now differ from PyTorch's dtype rules: " + added
                + "\nlisted differences that are gone (remove them from KNOWN): " + gone);
    }
}
