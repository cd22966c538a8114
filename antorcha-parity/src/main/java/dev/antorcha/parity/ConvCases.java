package dev.antorcha.parity;

import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The convolution cases of {@code PARITY_FORMAT_CNN.md} ({@code conv2d_*}, {@code conv1d*},
 * {@code conv_transpose2d_*}) and the float64 set's {@code f64_conv2d}: {@code y} from the
 * library's {@code F.conv1d} / {@code F.conv2d} / {@code F.convTranspose2d} with every
 * hyperparameter read from the case's {@code params} (2-D ones as {@code [h, w]} pairs, 1-D ones
 * as ints); the runner then back-propagates {@code g} for {@code dx}, {@code dW}, {@code db}.
 */
final class ConvCases {
    private ConvCases() {
    }

    /** Whether {@code kind} (without the float64 set's prefix) is a convolution case. */
    static boolean handles(String kind) {
        return kind.equals("conv2d") || kind.startsWith("conv2d_") || kind.startsWith("conv1d")
                || kind.startsWith("conv_transpose2d");
    }

    static Tensor forward(Map<String, Tensor> in, ParityCase c) {
        String kind = c.caseKind().startsWith(ParityRunner.F64_PREFIX)
                ? c.caseKind().substring(ParityRunner.F64_PREFIX.length()) : c.caseKind();
        Tensor x = input(in, c, "x"), w = input(in, c, "W"), b = in.get("b");
        int groups = (int) c.param("groups");
        if (kind.startsWith("conv1d")) {
            return F.conv1d(x, w, b, ints(c, "stride")[0], ints(c, "padding")[0], ints(c, "dilation")[0], groups);
        }
        if (kind.startsWith("conv_transpose2d")) {
            return F.convTranspose2d(x, w, b, ints(c, "stride"), ints(c, "padding"), ints(c, "output_padding"), groups,
                    ints(c, "dilation"));
        }
        return F.conv2d(x, w, b, ints(c, "stride"), ints(c, "padding"), ints(c, "dilation"), groups);
    }

    /** A hyperparameter stored as an int or a list of ints. */
    private static int[] ints(ParityCase c, String name) {
        Object v = c.params().get(name);
        if (v instanceof Number n) return new int[] {n.intValue()};
        if (v instanceof List<?> l) {
            int[] r = new int[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = (int) c.param(name + "." + i);
            return r;
        }
        throw new IllegalArgumentException("case " + c.id() + ": param '" + name + "' should be an int or a list of ints, got "
                + v + "; params are " + c.params());
    }

    private static Tensor input(Map<String, Tensor> in, ParityCase c, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }
}
