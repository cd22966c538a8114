package dev.antorcha.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that PyTorch's side wrote with every dtype ({@code safetensors-dtypes/all_dtypes.safetensors},
 * made from torch tensors' raw bytes by {@code make_all_dtypes.py} beside it) loads as those
 * dtypes, with PyTorch's values, and saving what was loaded gives the same bytes.
 */
class SafeTensorsAllDtypesTest {
    @TempDir
    Path dir;

    private Path pytorchFile() throws IOException {
        Path f = dir.resolve("all_dtypes.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/safetensors-dtypes/all_dtypes.safetensors")) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void everyDtypeLoadsAsItselfWithPyTorchsValues() throws IOException {
        Map<String, Tensor> t = SafeTensors.load(pytorchFile());
        Map<String, DType> expected = Map.of("bool", DType.BOOL, "uint8", DType.UINT8, "int8", DType.INT8,
                "int16", DType.INT16, "int32", DType.INT32, "int64", DType.INT64, "float16", DType.FLOAT16,
                "bfloat16", DType.BFLOAT16, "float32", DType.FLOAT32, "float64", DType.FLOAT64);
        expected.forEach((name, dtype) -> assertThat(t.get(name).dtype()).as(name).isEqualTo(dtype));
        assertThat(t.get("scalar_f64").dtype()).isEqualTo(DType.FLOAT64);
        // the values make_all_dtypes.py put there
        assertThat(t.get("uint8").toLongArray()).containsExactly(0, 1, 127, 128, 255);
        assertThat(t.get("int8").toLongArray()).containsExactly(-128, -1, 0, 1, 127);
        assertThat(t.get("int16").layout().shape()).containsExactly(2, 2);
        assertThat(t.get("int16").toLongArray()).containsExactly(-32768, -2, 3, 32767);
        assertThat(t.get("int32").toLongArray()).containsExactly(Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE);
        assertThat(t.get("int64").toLongArray()).containsExactly(Long.MIN_VALUE, -1, (1L << 53) + 1, Long.MAX_VALUE);
        assertThat(t.get("bool").toString()).isEqualTo("tensor([[ True, False,  True],\n        [False, False,  True]])");
        double[] half = t.get("float16").toDoubleArray();
        assertThat(half[5]).isEqualTo(65504.0);
        assertThat(Double.doubleToRawLongBits(half[6])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(half[7]).isEqualTo(0x1p-24);      // 6e-8 rounds to float16's smallest subnormal
        double[] bf = t.get("bfloat16").toDoubleArray();
        // torch.tensor([3e38]).bfloat16().view(torch.int16) is 0x7f62
        assertThat(bf[5]).isEqualTo(Float.intBitsToFloat(0x7F620000));
        assertThat(t.get("scalar_f64").doubleItem()).isEqualTo(0.1);
    }

    @Test
    void savingWhatWasLoadedGivesPyTorchsBytes() throws IOException {
        Path in = pytorchFile();
        Path out = dir.resolve("again.safetensors");
        SafeTensors.save(SafeTensors.load(in), out);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(in));
    }
}
