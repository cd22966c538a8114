package dev.antorcha.ops;

import static dev.antorcha.ops.OpsTestSupport.assertGradCheck;
import static dev.antorcha.ops.OpsTestSupport.gc;
import static dev.antorcha.ops.OpsTestSupport.of;
import static dev.antorcha.ops.OpsTestSupport.randn;
import static dev.antorcha.ops.OpsTestSupport.strided;

import dev.antorcha.Antorcha;
import dev.antorcha.ops.OpsTestSupport.Case;
import dev.antorcha.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of the indexing ops (gather, indexSelect, with repeated indices so
 * the backward must accumulate) and every view / copy op, on contiguous and strided leaves.
 * A view's output shares its input's storage; GradCheck perturbs that storage directly.
 */
class GradCheckMovementTest {

    static Stream<Case> indexCases() {
        Tensor idx1 = Antorcha.tensor(new long[] {0, 3, 3, 1, 2, 2}, 3, 2);      // dim 1, repeats
        Tensor idx0 = Antorcha.tensor(new long[] {2, 0, 1, 2, 1, 1, 0, 0}, 2, 4); // dim 0, repeats
        Tensor sel = Antorcha.tensor(new long[] {2, 0, 2});
        Tensor selCols = Antorcha.tensor(new long[] {3, 1});
        return Stream.of(
                gc("gather dim 1", in -> in[0].gather(1, idx1), () -> of(randn(3, 4))),
                gc("gather dim 0", in -> in[0].gather(0, idx0), () -> of(randn(3, 4))),
                gc("gather dim -1 strided", in -> in[0].gather(-1, idx1), () -> of(strided(randn(3, 4)))),
                gc("gather of a computed value", in -> in[0].exp().gather(1, idx1), () -> of(randn(3, 4))),
                gc("indexSelect dim 0 (repeats)", in -> in[0].indexSelect(0, sel), () -> of(randn(3, 4))),
                gc("indexSelect dim 1", in -> in[0].indexSelect(1, selCols), () -> of(randn(3, 4))),
                gc("indexSelect dim 0 strided", in -> in[0].indexSelect(0, sel), () -> of(strided(randn(3, 4)))),
                gc("indexSelect dim 1 of 3D", in -> in[0].indexSelect(1, Antorcha.tensor(new long[] {1, 1, 0})),
                        () -> of(randn(2, 2, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexCases")
    void indexOpsPassGradCheck(Case c) {
        assertGradCheck(c);
    }

    static Stream<Case> viewCases() {
        return Stream.of(
                gc("view [12]", in -> in[0].view(12), () -> of(randn(3, 4))),
                gc("view [2,6]", in -> in[0].view(2, 6), () -> of(randn(3, 4))),
                gc("view [-1,3]", in -> in[0].view(-1, 3), () -> of(randn(3, 4))),
                gc("view of a transposed leaf that stays viewable", in -> in[0].view(3, 1, 4),
                        () -> of(strided(randn(3, 4)))),
                gc("reshape [6,2]", in -> in[0].reshape(6, 2), () -> of(randn(3, 4))),
                gc("reshape strided [12] (copies)", in -> in[0].reshape(12), () -> of(strided(randn(3, 4)))),
                gc("reshape strided [2,-1]", in -> in[0].reshape(2, -1), () -> of(strided(randn(3, 4)))),
                gc("flatten", in -> in[0].flatten(), () -> of(randn(2, 3, 4))),
                gc("flatten(1,2)", in -> in[0].flatten(1, 2), () -> of(randn(2, 3, 4))),
                gc("flatten strided", in -> in[0].flatten(), () -> of(strided(randn(2, 3, 4)))),
                gc("transpose(0,2)", in -> in[0].transpose(0, 2), () -> of(randn(2, 3, 4))),
                gc("transpose(-1,-2) strided", in -> in[0].transpose(-1, -2), () -> of(strided(randn(2, 3, 4)))),
                gc("t", in -> in[0].t(), () -> of(randn(3, 4))),
                gc("t strided", in -> in[0].t(), () -> of(strided(randn(3, 4)))),
                gc("permute(2,0,1)", in -> in[0].permute(2, 0, 1), () -> of(randn(2, 3, 4))),
                gc("permute(-1,0,1) strided", in -> in[0].permute(-1, 0, 1), () -> of(strided(randn(2, 3, 4)))),
                gc("unsqueeze(0)", in -> in[0].unsqueeze(0), () -> of(randn(3, 4))),
                gc("unsqueeze(-1) strided", in -> in[0].unsqueeze(-1), () -> of(strided(randn(3, 4)))),
                gc("unsqueeze(1) then mul broadcast", in -> in[0].unsqueeze(1).mul(in[1]),
                        () -> of(randn(3, 4), randn(2, 4))),
                gc("squeeze()", in -> in[0].squeeze(), () -> of(randn(3, 1, 4, 1))),
                gc("squeeze(1)", in -> in[0].squeeze(1), () -> of(randn(3, 1, 4))),
                gc("squeeze() strided", in -> in[0].squeeze(), () -> of(strided(randn(1, 3, 1, 4)))),
                gc("expand [3,1]->[3,4]", in -> in[0].expand(3, 4), () -> of(randn(3, 1))),
                gc("expand [1,4]->[2,3,4]", in -> in[0].expand(2, 3, 4), () -> of(randn(1, 4))),
                gc("expand with -1", in -> in[0].expand(2, -1, 5), () -> of(randn(3, 1))),
                gc("expand 0-d", in -> in[0].expand(2, 3), () -> of(randn())),
                gc("expandAs then mul", in -> in[0].expandAs(in[1]).mul(in[1]), () -> of(randn(4), randn(3, 4))),
                gc("narrow(1,1,2)", in -> in[0].narrow(1, 1, 2), () -> of(randn(3, 4))),
                gc("narrow(0,-2,2) strided", in -> in[0].narrow(0, -2, 2), () -> of(strided(randn(3, 4)))),
                gc("slice(1,0,4,2)", in -> in[0].slice(1, 0, 4, 2), () -> of(randn(3, 4))),
                gc("slice(0,1,10,2) end clipped", in -> in[0].slice(0, 1, 10, 2), () -> of(randn(5, 3))),
                gc("slice(1,1,-1)", in -> in[0].slice(1, 1, -1), () -> of(randn(3, 5))),
                gc("slice step 3 strided", in -> in[0].slice(1, 0, 7, 3), () -> of(strided(randn(3, 7)))),
                gc("select(0,1)", in -> in[0].select(0, 1), () -> of(randn(3, 4))),
                gc("select(1,-1) strided", in -> in[0].select(1, -1), () -> of(strided(randn(3, 4)))),
                gc("select twice to 0-d", in -> in[0].select(0, 2).select(0, 1), () -> of(randn(3, 4))),
                gc("contiguous of strided (copies)", in -> in[0].contiguous(), () -> of(strided(randn(3, 4)))),
                gc("contiguous of contiguous (identity)", in -> in[0].contiguous().mul(2), () -> of(randn(3, 4))),
                gc("clone", in -> in[0].clone(), () -> of(randn(3, 4))),
                gc("clone strided", in -> in[0].clone(), () -> of(strided(randn(3, 4)))),
                gc("chain t.reshape.select.unsqueeze.expand",
                        in -> in[0].t().reshape(2, 6).select(1, 4).unsqueeze(1).expand(2, 3).mul(in[0].narrow(0, 0, 2)
                                .narrow(1, 0, 3)),
                        () -> of(randn(3, 4))),
                gc("sum of overlapping views", in -> in[0].narrow(1, 0, 3).add(in[0].slice(1, 1, 4)).mul(in[0].select(1, 0)
                        .unsqueeze(1)), () -> of(strided(randn(3, 4)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("viewCases")
    void viewAndCopyOpsPassGradCheck(Case c) {
        assertGradCheck(c);
    }
}
