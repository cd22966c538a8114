package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * uint8, int8, int16 and int32 ops against PyTorch's CPU results, exactly
 * ({@code int-ops/int_ops.txt}, written by {@code make_int_ops.py} beside it): arithmetic that
 * wraps around as the dtype does (uint8 250 + 10 is 4), mixed signedness promoted as PyTorch
 * promotes it (uint8 + int8 is int16), comparisons, where, reductions, clamp, pow, gather and
 * index_select, each with PyTorch's result dtype, and PyTorch's refusals (mean of an integer).
 */
class SmallIntegerOpsTest {
    private static final Tensor REVERSED = Antorcha.tensor(new long[] {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0});

    private static final Map<String, BiFunction<Tensor, Tensor, Tensor>> BINARY = Map.ofEntries(
            Map.entry("add", Tensor::add), Map.entry("sub", Tensor::sub), Map.entry("mul", Tensor::mul),
            Map.entry("div", Tensor::div), Map.entry("maximum", Tensor::maximum), Map.entry("minimum", Tensor::minimum),
            Map.entry("eq", Tensor::eq), Map.entry("ne", Tensor::ne), Map.entry("lt", Tensor::lt),
            Map.entry("le", Tensor::le), Map.entry("gt", Tensor::gt), Map.entry("ge", Tensor::ge),
            Map.entry("pow", Tensor::pow));
    private static final Map<String, Function<Tensor, Tensor>> UNARY = Map.ofEntries(
            Map.entry("add_10", x -> x.add(10)), Map.entry("mul_3", x -> x.mul(3)), Map.entry("pow_3", x -> x.pow(3)),
            Map.entry("add_2.5", x -> x.add(2.5)), Map.entry("neg", Tensor::neg), Map.entry("abs", Tensor::abs),
            Map.entry("relu", Tensor::relu), Map.entry("sum", Tensor::sum), Map.entry("mean", Tensor::mean),
            Map.entry("max", Tensor::max), Map.entry("min", Tensor::min), Map.entry("argmax", Tensor::argmax),
            Map.entry("argmin", x -> x.argmin(0, false)), Map.entry("clamp_0_100", x -> x.clamp(0, 100)),
            Map.entry("sum_dim1", x -> x.reshape(4, 4).sum(1)), Map.entry("max_dim0", x -> x.reshape(4, 4).max(0, false).values()),
            Map.entry("where", x -> x.where(x.gt(5), x.indexSelect(0, REVERSED))),
            Map.entry("gather", x -> x.gather(0, REVERSED)),
            Map.entry("index_select", x -> x.indexSelect(0, Antorcha.tensor(new long[] {3, 0, 0, 15}))));

    @Test
    void opsOnSmallIntegersMatchPyTorchExactly() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SmallIntegerOpsTest.class.getResourceAsStream("/int-ops/int_ops.txt"), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l);
        }
        int compared = 0, refused = 0;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            String[] head = f[0].split(" ");
            Tensor a = tensor(DType.parse(head[0]), f[1]);
            String op = head[2];
            Function<Tensor, Tensor> call = head[1].equals("-") ? UNARY.get(op)
                    : x -> BINARY.get(op).apply(x, tensor(DType.parse(head[1]), f[2]));
            assertThat(call).as(f[0]).isNotNull();
            if (head[3].equals("refused")) {
                assertThatThrownBy(() -> call.apply(a)).as(f[0]).isInstanceOf(IllegalArgumentException.class);
                refused++;
                continue;
            }
            Tensor y = call.apply(a);
            assertThat(y.dtype()).as(f[0]).isEqualTo(DType.parse(head[3]));
            assertThat(values(y)).as(f[0] + " on " + f[1] + " and " + f[2]).isEqualTo(f[3]);
            compared++;
        }
        assertThat(compared).isEqualTo(316);
        assertThat(refused).isEqualTo(4);
    }

    /** {@code torch.tensor([250], dtype=torch.uint8) + 10} is 4; int8 127 + 1 is -128 (the brief's cases, by hand). */
    @Test
    void arithmeticWrapsAroundAsTheDtypeDoes() {
        assertThat(Antorcha.tensor(new long[] {250}).to(DType.UINT8).add(10).toLongArray()).containsExactly(4);
        assertThat(Antorcha.tensor(new long[] {127}).to(DType.INT8).add(1).toLongArray()).containsExactly(-128);
        Tensor mixed = Antorcha.tensor(new long[] {200}).to(DType.UINT8).add(Antorcha.tensor(new long[] {-1}).to(DType.INT8));
        assertThat(mixed.dtype()).isEqualTo(DType.INT16);
        assertThat(mixed.toLongArray()).containsExactly(199);
    }

    private static Tensor tensor(DType dtype, String decimal) {
        String[] s = decimal.split(" ");
        long[] v = new long[s.length];
        for (int i = 0; i < s.length; i++) v[i] = Long.parseLong(s[i]);
        Tensor t = Antorcha.tensor(v).to(dtype);   // exact: every value is one of dtype's
        assertThat(t.toLongArray()).containsExactly(v);
        return t;
    }

    private static String values(Tensor y) {
        StringBuilder sb = new StringBuilder();
        if (y.dtype().isFloatingPoint()) {
            for (float v : y.toFloatArray()) sb.append(sb.isEmpty() ? "" : " ").append(String.format("%08x", Float.floatToRawIntBits(v)));
        } else {
            for (long v : y.toLongArray()) sb.append(sb.isEmpty() ? "" : " ").append(v);
        }
        return sb.toString();
    }
}
