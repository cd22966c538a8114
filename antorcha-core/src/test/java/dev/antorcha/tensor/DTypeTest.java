package dev.antorcha.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dtype facts against PyTorch's and the safetensors format's own values. */
class DTypeTest {

    @Test
    void namesSizesAndCategoriesAreTorchs() {
        // torch.<d>, torch.tensor([], dtype=d).element_size(), d.is_floating_point, d.is_signed,
        // and the Tensor method that converts to it, for each of the ten dtypes
        Object[][] torch = {
            {"bool", 1, false, false, "bool"}, {"uint8", 1, false, false, "byte"}, {"int8", 1, false, true, "char"},
            {"int16", 2, false, true, "short"}, {"int32", 4, false, true, "int"}, {"int64", 8, false, true, "long"},
            {"float16", 2, true, true, "half"}, {"bfloat16", 2, true, true, "bfloat16"},
            {"float32", 4, true, true, "float"}, {"float64", 8, true, true, "double"},
        };
        assertThat(DType.values()).hasSize(torch.length);
        for (Object[] row : torch) {
            DType d = DType.parse("torch." + row[0]);
            assertThat(d.torchName()).isEqualTo("torch." + row[0]);
            assertThat(d.shortName()).isEqualTo(row[0]);
            assertThat(d.itemSize()).as(d + " size").isEqualTo(row[1]);
            assertThat(d.isFloatingPoint()).as(d + " floating").isEqualTo(row[2]);
            assertThat(d.isSigned()).as(d + " signed").isEqualTo(row[3]);
            assertThat(d.castMethod()).isEqualTo(row[4]);
        }
        assertThat(DType.BOOL.category()).isEqualTo(DType.Category.BOOL);
        assertThat(DType.BOOL.isIntegral()).isFalse();
        assertThat(DType.UINT8.isIntegral()).isTrue();
    }

    @Test
    void safetensorsCodesAreTheFormats() {
        // the codes of the safetensors README / safetensors.torch's _TYPES table
        Map<String, DType> codes = Map.of("BOOL", DType.BOOL, "U8", DType.UINT8, "I8", DType.INT8, "I16", DType.INT16,
                "I32", DType.INT32, "I64", DType.INT64, "F16", DType.FLOAT16, "BF16", DType.BFLOAT16,
                "F32", DType.FLOAT32, "F64", DType.FLOAT64);
        codes.forEach((code, d) -> {
            assertThat(d.safetensorsCode()).isEqualTo(code);
            assertThat(DType.fromSafetensorsCode(code)).isEqualTo(d);
        });
        assertThatThrownBy(() -> DType.fromSafetensorsCode("U16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'U16'").hasMessageContaining("BF16");
    }

    @Test
    void parseTakesTorchsAliasesAndNamesWhatItKnows() {
        assertThat(DType.parse("float32")).isEqualTo(DType.FLOAT32);
        assertThat(DType.parse("torch.double")).isEqualTo(DType.FLOAT64);
        assertThat(DType.parse("half")).isEqualTo(DType.FLOAT16);
        assertThat(DType.parse("torch.long")).isEqualTo(DType.INT64);
        assertThat(DType.parse("int")).isEqualTo(DType.INT32);
        assertThat(DType.parse("short")).isEqualTo(DType.INT16);
        assertThatThrownBy(() -> DType.parse("torch.complex64")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'torch.complex64'").hasMessageContaining("bfloat16");
        assertThatThrownBy(() -> DType.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void float32AloneIsStoredAsFloats() {
        assertThat(DType.FLOAT32.isFloatStorage()).isTrue();
        assertThat(DType.BOOL.isFloatStorage()).isFalse();   // one byte, 0 or 1
        assertThat(DType.INT64.isFloatStorage()).isFalse();
    }

    @Test
    void onlyFloat32LivesInFloats() {
        for (DType d : DType.values()) {
            assertThat(d.isFloatStorage()).as(d.torchName()).isEqualTo(d == DType.FLOAT32);
        }
    }

    /** torch.promote_types for all 100 pairs: the file's {@code where} rows of tensors, which promote and nothing else. */
    @Test
    void promoteIsTorchPromoteTypes() throws IOException {
        DTypeRulesWalk.RulesFile f;
        try (InputStream in = DTypeTest.class.getResourceAsStream("/dtype-rules/dtype_rules.json.gz")) {
            f = DTypeRulesWalk.read(in, true);
        }
        int checked = 0;
        for (Map<String, Object> row : f.rows()) {
            if (!row.get("op").equals("where") || !row.get("form").equals("tensor-tensor")) continue;
            DType a = DType.parse((String) row.get("a")), b = DType.parse((String) row.get("b"));
            assertThat(DType.promote(a, b)).as("promote(%s, %s)", a, b).isEqualTo(DType.parse((String) row.get("result")));
            checked++;
        }
        assertThat(checked).isEqualTo(100);
        // the cases people get wrong
        assertThat(DType.promote(DType.UINT8, DType.INT8)).isEqualTo(DType.INT16);
        assertThat(DType.promote(DType.FLOAT16, DType.BFLOAT16)).isEqualTo(DType.FLOAT32);
        assertThat(DType.promote(DType.INT64, DType.FLOAT16)).isEqualTo(DType.FLOAT16);
        assertThatThrownBy(() -> DType.promote(null, DType.BOOL)).isInstanceOf(IllegalArgumentException.class);
    }
}
