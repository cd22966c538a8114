package dev.antorcha.parity;

import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The multi-op cases of the float64 set ({@code f64_sum_mean}, {@code f64_unary}; the
 * {@code flatten_cat_stack} convention of {@code PARITY_FORMAT_CNN.md}): each op runs on its own
 * graph with its own upstream gradient {@code g/<op>}, giving {@code <op>/y} and {@code <op>/d<input>}.
 */
final class MultiOpCases {
    private MultiOpCases() {
    }

    /** Runs every op the case's outputs name, each from fresh inputs. */
    static Map<String, Tensor> run(ParityCase c, Map<String, Tensor> ignored) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : c.outputs().keySet()) {
            if (!name.endsWith("/y")) continue;
            String op = name.substring(0, name.length() - 2);
            Map<String, Tensor> in = ParityRunner.inputs(c);
            String input = inputOf(c, op);
            Tensor x = in.get(input);
            if (x == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + input + "' for op " + op);
            Tensor y = forward(c, op, x);
            out.put(op + "/y", y);
            Tensor g = in.get("g/" + op);
            if (g != null && x.requiresGrad()) {
                y.backward(g);
                out.put(op + "/d" + input, x.grad());
            }
        }
        return out;
    }

    /** The input an op reads: {@code params.ops[op]} where given (f64_unary), else {@code x}. */
    private static String inputOf(ParityCase c, String op) {
        if (c.params().get("ops") instanceof Map<?, ?> ops && ops.get(op) instanceof String s) return s;
        return "x";
    }

    private static Tensor forward(ParityCase c, String op, Tensor x) {
        return switch (op) {
            case "sum" -> x.sum(new int[] {(int) c.param("sum_dim")}, Boolean.TRUE.equals(c.params().get("keepdim")));
            case "mean" -> x.mean();
            case "exp" -> x.exp();
            case "log" -> x.log();
            case "sqrt" -> x.sqrt();
            case "tanh" -> x.tanh();
            case "sigmoid" -> x.sigmoid();
            case "relu" -> x.relu();
            case "abs" -> x.abs();
            case "neg" -> x.neg();
            default -> throw new IllegalArgumentException("case " + c.id() + ": no Antorcha op for '" + op + "'");
        };
    }
}
