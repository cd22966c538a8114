package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;

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
 * float16 and bfloat16 element-wise ops and reductions against PyTorch's CPU results bit for bit
 * ({@code half-ops/half_ops.txt}, written by {@code make_half_ops.py} beside it): computed in
 * float32 and rounded to the 16-bit type, result dtypes as PyTorch's promotion gives them.
 * torch 1.13 has no CPU float16 kernel for exp, tanh, sigmoid, relu, log and sqrt; those rows
 * say "refused" and are not compared (Antorcha computes them as newer PyTorch does).
 */
class HalfPrecisionOpsTest {
    private static final Map<String, BiFunction<Tensor, Tensor, Tensor>> BINARY = Map.of(
            "add", Tensor::add, "sub", Tensor::sub, "mul", Tensor::mul, "div", Tensor::div,
            "maximum", Tensor::maximum, "minimum", Tensor::minimum, "lt", Tensor::lt, "eq", Tensor::eq,
            "pow", Tensor::pow, "add_float32", Tensor::add);
    private static final Map<String, Function<Tensor, Tensor>> UNARY = Map.ofEntries(
            Map.entry("neg", Tensor::neg), Map.entry("abs", Tensor::abs), Map.entry("exp", Tensor::exp),
            Map.entry("tanh", Tensor::tanh), Map.entry("sigmoid", Tensor::sigmoid), Map.entry("relu", Tensor::relu),
            Map.entry("sum", Tensor::sum), Map.entry("mean", Tensor::mean), Map.entry("max", Tensor::max),
            Map.entry("min", Tensor::min), Map.entry("log", Tensor::log), Map.entry("sqrt", Tensor::sqrt));

    @Test
    void opsOnFloat16AndBfloat16MatchPyTorchBitForBit() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                HalfPrecisionOpsTest.class.getResourceAsStream("/half-ops/half_ops.txt"), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l);
        }
        int compared = 0;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            String[] head = f[0].split(" ");
            DType dtype = DType.parse(head[0]);
            String op = head[1];
            if (head[2].equals("refused")) continue;
            DType result = DType.parse(head[2]);
            Tensor a = tensor(dtype, f[1]);
            Tensor y = f[2].isEmpty() ? UNARY.get(op).apply(a)
                    : BINARY.get(op).apply(a, tensor(op.endsWith("float32") ? DType.FLOAT32 : dtype, f[2]));
            assertThat(y.dtype()).as(f[0]).isEqualTo(result);
            assertThat(bits(y)).as(f[0] + " on " + f[1]).isEqualTo(f[3]);
            compared++;
        }
        assertThat(compared).isEqualTo(38);
    }

    private static Tensor tensor(DType dtype, String hex) {
        String[] s = hex.split(" ");
        float[] v = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            int b = Integer.parseUnsignedInt(s[i], 16);
            v[i] = switch (dtype) {
                case FLOAT16 -> Float.float16ToFloat((short) b);
                case BFLOAT16 -> Float.intBitsToFloat(b << 16);
                default -> Float.intBitsToFloat(b);
            };
        }
        Tensor t = Antorcha.tensor(v).to(dtype);   // exact: every value is one of dtype's
        assertThat(t.dtype()).isEqualTo(dtype);
        return t;
    }

    private static String bits(Tensor y) {
        StringBuilder sb = new StringBuilder();
        if (y.dtype() == DType.BOOL) {
            for (long v : y.toLongArray()) sb.append(sb.isEmpty() ? "" : " ").append(v);
            return sb.toString();
        }
        for (float v : y.toFloatArray()) {
            String h = switch (y.dtype()) {
                case FLOAT16 -> String.format("%04x", Float.floatToFloat16(v) & 0xFFFF);
                case BFLOAT16 -> String.format("%04x", Float.floatToRawIntBits(v) >>> 16);
                default -> String.format("%08x", Float.floatToRawIntBits(v));
            };
            sb.append(sb.isEmpty() ? "" : " ").append(h);
        }
        return sb.toString();
    }
}
