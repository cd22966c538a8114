package dev.antorcha.tensor;

import static dev.antorcha.tensor.TypePromotion.Operand.scalar;
import static dev.antorcha.tensor.TypePromotion.Operand.tensor;
import static dev.antorcha.tensor.TypePromotion.Operand.zeroDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table's rows that the PyTorch file does not cover (ops Antorcha has beside those the file
 * tests: ne/le/gt/ge, minimum, argmin, min, log_softmax, gather) checked against PyTorch 1.13's
 * documented behaviour, and the table's own errors.
 */
class DTypeRulesTest {

    private static final DTypeRules R = DTypeRules.PYTORCH;

    @Test
    void siblingsOfTheFilesOpsFollowTheSameRules() {
        for (String cmp : List.of("ne", "le", "gt", "ge")) {
            assertThat(R.resultType(cmp, tensor(DType.INT8), scalar(2.5))).isEqualTo(DType.BOOL);
        }
        // torch.minimum(int8, uint8) is int16; torch.minimum(x, 2) is refused like maximum
        assertThat(R.resultType("minimum", tensor(DType.INT8), tensor(DType.UINT8))).isEqualTo(DType.INT16);
        assertThatThrownBy(() -> R.resultType("minimum", tensor(DType.FLOAT32), scalar(2L)))
                .hasMessageContaining("minimum").hasMessageContaining("not an integer scalar");
        assertThat(R.resultType("argmin", tensor(DType.FLOAT16))).isEqualTo(DType.INT64);
        assertThat(R.resultType("min", tensor(DType.UINT8))).isEqualTo(DType.UINT8);
        assertThatThrownBy(() -> R.resultType("log_softmax", tensor(DType.INT64))).hasMessageContaining("torch.int64");
        // gather and index_select keep the input's dtype (the "integer ops stay integer")
        assertThat(R.resultType("gather", tensor(DType.INT64))).isEqualTo(DType.INT64);
        assertThat(R.resultType("index_select", tensor(DType.BOOL))).isEqualTo(DType.BOOL);
    }

    @Test
    void factoriesTakeTheirDtypeFromTheirValues() {
        assertThat(R.resultType("arange", scalar(5L))).isEqualTo(DType.INT64);
        assertThat(R.resultType("arange", scalar(0L), scalar(0.5))).isEqualTo(DType.FLOAT32);
        assertThat(R.resultType("tensor", scalar(true), scalar(2L))).isEqualTo(DType.INT64);
        assertThat(R.resultType("tensor")).as("torch.tensor([])").isEqualTo(DType.FLOAT32);
        assertThat(R.resultType("full", scalar(false))).isEqualTo(DType.BOOL);
        assertThat(R.resultType("zeros")).isEqualTo(DType.FLOAT32);
        assertThat(R.resultType("randperm")).isEqualTo(DType.INT64);
    }

    @Test
    void zeroDimAndScalarOperandsCountByCategoryOnly() {
        assertThat(TypePromotion.resultType(tensor(DType.INT8), zeroDim(DType.INT64))).isEqualTo(DType.INT8);
        assertThat(TypePromotion.resultType(tensor(DType.INT8), zeroDim(DType.FLOAT64))).isEqualTo(DType.FLOAT64);
        assertThat(TypePromotion.resultType(zeroDim(DType.INT8), scalar(2.5))).isEqualTo(DType.FLOAT32);
        assertThat(TypePromotion.resultType(scalar(1L), scalar(true))).isEqualTo(DType.INT64);
        assertThat(TypePromotion.Operand.of(DType.BOOL, Shape.of())).isEqualTo(zeroDim(DType.BOOL));
        assertThat(TypePromotion.Operand.scalar((Object) 3)).isEqualTo(scalar(3L));
        assertThatThrownBy(() -> TypePromotion.Operand.scalar((Object) "3")).hasMessageContaining("String 3");
    }

    @Test
    void unknownOpsAndWrongOperandCountsAreRefused() {
        assertThatThrownBy(() -> R.resultType("addcmul", tensor(DType.FLOAT32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no dtype rule for op 'addcmul'").hasMessageContaining("add");
        assertThatThrownBy(() -> R.resultType("add", tensor(DType.FLOAT32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("add: takes 2 operand(s) in type promotion, got 1 (a torch.float32 tensor)");
        assertThatThrownBy(() -> R.resultType("zeros", scalar(2L))).hasMessageContaining("zeros: takes 0 operand(s)");
        assertThatThrownBy(() -> R.resultType("add", tensor(DType.FLOAT32), null)).hasMessageContaining("operand 1 is null");
        assertThat(R.ops()).contains("add", "softmax", "arange").doesNotContain("to_float_sum");
    }

    @Test
    void refusalsNameTheOpTheDtypeAndAWayOut() {
        assertThatThrownBy(() -> R.resultType("sub", tensor(DType.FLOAT32), scalar(true)))
                .hasMessage("sub: subtraction, the `-` operator, with a bool scalar (torch.bool) is not supported; "
                        + "to invert a mask use the `~` operator or logical_not() instead");
        assertThatThrownBy(() -> R.resultType("mean", tensor(DType.INT32)))
                .hasMessageContaining("mean").hasMessageContaining("got torch.int32").hasMessageContaining(".float()");
    }
}
