package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code x.to(dst)} for all 100 pairs of dtypes against PyTorch's results
 * ({@code dtype-casts/casts.txt}, written by {@code make_casts.py} beside it): truncation toward
 * zero, x86's results out of range, uint8 wrapping, bool as {@code != 0}, float16 and bfloat16
 * rounding to nearest even, int64 exact.
 */
class CastsAgainstPyTorchTest {

    @Test
    void everyPairOfDtypesConvertsAsPyTorch() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                CastsAgainstPyTorchTest.class.getResourceAsStream("/dtype-casts/casts.txt"), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l);
        }
        assertThat(lines).hasSize(100);
        for (String line : lines) {
            String[] parts = line.split("\t");
            String[] pair = parts[0].split(" ");
            DType from = DType.parse(pair[0]), to = DType.parse(pair[1]);
            Tensor x = input(from, parts[1].split(" "));
            assertThat(x.dtype()).isEqualTo(from);
            Tensor y = x.to(to);
            assertThat(y.dtype()).as(parts[0]).isEqualTo(to);
            String[] expected = parts[2].split(" ");
            if (to.isFloatingPoint()) {
                double[] got = y.toDoubleArray();
                for (int i = 0; i < expected.length; i++) {
                    double e = parse(expected[i]);
                    assertThat(Double.isNaN(got[i]) ? "nan" : Double.toHexString(got[i]))
                            .as("%s: element %d (input %s)", parts[0], i, parts[1].split(" ")[i])
                            .isEqualTo(Double.isNaN(e) ? "nan" : Double.toHexString(e));
                }
            } else {
                long[] got = y.toLongArray();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(got[i]).as("%s: element %d (input %s)", parts[0], i, parts[1].split(" ")[i])
                            .isEqualTo(Long.parseLong(expected[i]));
                }
            }
        }
    }

    /** A tensor of {@code dtype} holding the values PyTorch printed (each one exact in that dtype). */
    private static Tensor input(DType dtype, String[] values) {
        if (dtype.isFloatingPoint()) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) d[i] = parse(values[i]);
            return Antorcha.tensor(d).to(dtype);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) l[i] = Long.parseLong(values[i]);
        return Antorcha.tensor(l).to(dtype);
    }

    private static double parse(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    @Test
    void aViewConvertsItsOwnElementsOnly() {
        // torch.arange(6).reshape(2, 3).t().to(torch.int8) == [[0, 3], [1, 4], [2, 5]]
        Tensor t = Antorcha.tensor(new long[] {0, 1, 2, 3, 4, 5}, 2, 3).transpose(0, 1).to(DType.INT8);
        assertThat(t.layout().shape()).containsExactly(3, 2);
        assertThat(t.toLongArray()).containsExactly(0, 3, 1, 4, 2, 5);
    }

    @Test
    void itemIsExactForEveryDtype() {
        // torch.tensor([2**31 - 1], dtype=torch.int32).item() == 2147483647
        assertThat(Antorcha.tensor(new long[] {2147483647L}).to(DType.INT32).longItem()).isEqualTo(2147483647L);
        assertThat(Antorcha.tensor(new long[] {-3}).to(DType.UINT8).longItem()).isEqualTo(253L);
        // torch.tensor([0.1]).half().item() == 0.0999755859375
        assertThat(Antorcha.tensor(new double[] {0.1}).to(DType.FLOAT16).doubleItem()).isEqualTo(0.0999755859375);
        // torch.tensor([0.1]).bfloat16().item() == 0.10009765625
        assertThat(Antorcha.tensor(new double[] {0.1}).to(DType.BFLOAT16).doubleItem()).isEqualTo(0.10009765625);
        assertThat(Antorcha.tensor(new double[] {-2.75}).to(DType.FLOAT16).longItem()).isEqualTo(-2L);
        assertThat(Antorcha.tensor(new long[] {7}).to(DType.INT16).item()).isEqualTo(7f);
    }

    @Test
    void printsAsPyTorchPrintsEachDtype() {
        Tensor ints = Antorcha.tensor(new long[] {1, 2});
        // strings from PyTorch 1.13's print()
        assertThat(ints.to(DType.INT32).toString()).isEqualTo("tensor([1, 2], dtype=torch.int32)");
        assertThat(ints.to(DType.UINT8).toString()).isEqualTo("tensor([1, 2], dtype=torch.uint8)");
        assertThat(ints.to(DType.INT8).toString()).isEqualTo("tensor([1, 2], dtype=torch.int8)");
        assertThat(ints.to(DType.INT16).toString()).isEqualTo("tensor([1, 2], dtype=torch.int16)");
        assertThat(Antorcha.tensor(new long[] {1, 0, 3}).to(DType.BOOL).toString()).isEqualTo("tensor([ True, False,  True])");
        assertThat(ints.to(DType.FLOAT16).toString()).isEqualTo("tensor([1., 2.], dtype=torch.float16)");
        assertThat(Antorcha.tensor(new double[] {0.1, 2.5}).to(DType.BFLOAT16).toString())
                .isEqualTo("tensor([0.1001, 2.5000], dtype=torch.bfloat16)");
        assertThat(Antorcha.tensor(new long[] {2147483647L, -5}).to(DType.INT32).toString())
                .isEqualTo("tensor([2147483647,         -5], dtype=torch.int32)");
    }

    @Test
    void everyDtypeAllocatesAndFills() {
        for (DType d : DType.values()) {
            Tensor z = Antorcha.zeros(d, 2, 2);
            assertThat(z.dtype()).isEqualTo(d);
            assertThat(z.toDoubleArray()).containsExactly(0, 0, 0, 0);
            assertThat(Antorcha.ones(d, 3).toDoubleArray()).as(d.torchName()).containsExactly(1, 1, 1);
        }
    }
}
