package dev.antorcha.ops;

import static dev.antorcha.ops.OpsTestSupport.assertGradCheck;
import static dev.antorcha.ops.OpsTestSupport.gc;
import static dev.antorcha.ops.OpsTestSupport.of;
import static dev.antorcha.ops.OpsTestSupport.randn;
import static dev.antorcha.ops.OpsTestSupport.strided;

import dev.antorcha.nn.functional.F;
import dev.antorcha.ops.OpsTestSupport.Case;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks (float64) of the convolutions with respect to the input, the weight
 * and the bias: every hyperparameter alone and combined, rectangular kernels, "same" padding with
 * an even kernel (the asymmetric case), unbatched and strided inputs, 1-D and transposed forms.
 */
class GradCheckConvTest {

    private static int[] i2(int h, int w) {
        return new int[] {h, w};
    }

    static Stream<Case> cases() {
        return Stream.of(
                gc("conv2d basic", in -> F.conv2d(in[0], in[1], in[2]), () -> of(randn(2, 3, 5, 5), randn(4, 3, 3, 3), randn(4))),
                gc("conv2d stride 2 padding 1", in -> F.conv2d(in[0], in[1], in[2], 2, 1),
                        () -> of(randn(2, 2, 6, 5), randn(3, 2, 3, 3), randn(3))),
                gc("conv2d dilation 2", in -> F.conv2d(in[0], in[1], in[2], i2(1, 1), i2(1, 0), i2(2, 2), 1),
                        () -> of(randn(1, 2, 6, 6), randn(2, 2, 3, 2), randn(2))),
                gc("conv2d groups 2", in -> F.conv2d(in[0], in[1], in[2], i2(1, 1), i2(0, 0), i2(1, 1), 2),
                        () -> of(randn(2, 4, 4, 4), randn(6, 2, 2, 2), randn(6))),
                gc("conv2d depthwise groups 3", in -> F.conv2d(in[0], in[1], null, i2(1, 2), i2(1, 1), i2(1, 1), 3),
                        () -> of(randn(1, 3, 5, 5), randn(3, 1, 3, 3))),
                gc("conv2d rect stride (2,1) padding (1,0) no bias",
                        in -> F.conv2d(in[0], in[1], null, i2(2, 1), i2(1, 0), i2(1, 1), 1),
                        () -> of(randn(2, 3, 5, 6), randn(2, 3, 2, 3))),
                gc("conv2d all combined", in -> F.conv2d(in[0], in[1], in[2], i2(2, 3), i2(2, 1), i2(2, 1), 2),
                        () -> of(randn(2, 4, 7, 8), randn(4, 2, 3, 2), randn(4))),
                gc("conv2d same, even kernel", in -> F.conv2d(in[0], in[1], in[2], i2(1, 1), "same", i2(1, 1), 1),
                        () -> of(randn(1, 2, 4, 5), randn(2, 2, 2, 4), randn(2))),
                gc("conv2d same, dilation 2", in -> F.conv2d(in[0], in[1], in[2], i2(1, 1), "same", i2(2, 1), 1),
                        () -> of(randn(1, 2, 5, 4), randn(2, 2, 3, 3), randn(2))),
                gc("conv2d unbatched", in -> F.conv2d(in[0], in[1], in[2], 1, 1), () -> of(randn(2, 4, 4), randn(3, 2, 3, 3), randn(3))),
                gc("conv2d strided input and weight", in -> F.conv2d(in[0], in[1], in[2], 1, 0),
                        () -> of(strided(randn(1, 2, 4, 4)), strided(randn(2, 2, 2, 2)), randn(2))),
                gc("conv1d stride 2 padding 1", in -> F.conv1d(in[0], in[1], in[2], 2, 1, 1, 1),
                        () -> of(randn(2, 3, 9), randn(4, 3, 3), randn(4))),
                gc("conv1d dilation 2 groups 2", in -> F.conv1d(in[0], in[1], in[2], 1, 2, 2, 2),
                        () -> of(randn(2, 4, 8), randn(6, 2, 3), randn(6))),
                gc("conv1d same, unbatched", in -> F.conv1d(in[0], in[1], null, 1, "same", 1, 1),
                        () -> of(randn(2, 6), randn(3, 2, 4))),
                gc("conv_transpose2d stride 2 padding 1 output_padding 1",
                        in -> F.convTranspose2d(in[0], in[1], in[2], i2(2, 2), i2(1, 1), i2(1, 1), 1, i2(1, 1)),
                        () -> of(randn(2, 3, 3, 4), randn(3, 2, 3, 3), randn(2))),
                gc("conv_transpose2d groups 2 dilation 2 no bias",
                        in -> F.convTranspose2d(in[0], in[1], null, i2(2, 1), i2(1, 0), i2(0, 0), 2, i2(2, 2)),
                        () -> of(randn(1, 4, 3, 3), randn(4, 1, 3, 2))),
                gc("conv_transpose2d rect output_padding < dilation",
                        in -> F.convTranspose2d(in[0], in[1], in[2], i2(1, 3), i2(0, 1), i2(1, 2), 1, i2(2, 1)),
                        () -> of(randn(1, 2, 3, 3), randn(2, 3, 2, 3), randn(3))),
                gc("conv_transpose2d unbatched", in -> F.convTranspose2d(in[0], in[1], in[2]),
                        () -> of(randn(2, 3, 3), randn(2, 2, 2, 2), randn(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void convolutionsPassGradCheck(Case c) {
        assertGradCheck(c);
    }
}
