package dev.antorcha.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine lets a backward write into the gradient it is handed ({@link Graph#mayOverwrite})
 * only when nothing else can see that gradient: made by an earlier backward of this pass for this
 * node alone, not kept by retainGrad, the graph not retained, not the caller's gradient. ReLU and
 * dropout then compute in place, with the same bits as into a new tensor.
 */
class GradientDonationTest {

    /** An identity op whose backward notes whether it was allowed to overwrite its gradient. */
    private static Tensor probe(Tensor x, List<Boolean> seen) {
        Tensor out = x.detach().mul(1f);
        return Graph.record(out, "ProbeBackward", Graph.inputs(x), Graph.nothingSaved(), (g, n) -> {
            seen.add(Graph.mayOverwrite(g));
            return Graph.grads(g);
        });
    }

    private static Tensor leaf() {
        return Antorcha.tensor(new float[] {-1f, 2f, -3f, 4f}, 4).requiresGrad(true);
    }

    @Test
    void aGradientAnEarlierBackwardMadeForThisNodeAloneIsDonated() {
        List<Boolean> seen = new ArrayList<>();
        Tensor x = leaf();
        probe(x, seen).mul(2f).sum().backward();   // MulBackward makes g·2, for the probe only
        assertThat(seen).containsExactly(true);
        assertThat(x.grad().toFloatArray()).containsExactly(2f, 2f, 2f, 2f);
    }

    @Test
    void noDonationWhenTheGraphIsRetainedOrTheGradientRetainedOrGivenByTheCaller() {
        List<Boolean> seen = new ArrayList<>();
        Tensor x = leaf();
        probe(x, seen).mul(2f).sum().backward(null, true);
        Tensor kept = probe(x, seen);
        kept.retainGrad();
        kept.mul(2f).sum().backward();
        Tensor given = Antorcha.tensor(new float[] {1f, 2f, 3f, 4f}, 4);
        probe(x, seen).backward(given);
        assertThat(seen).containsExactly(false, false, false);
        assertThat(kept.grad().toFloatArray()).containsExactly(2f, 2f, 2f, 2f);
        assertThat(given.toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void aGradientSentToTwoNodesIsDonatedToNeither() {
        List<Boolean> seen = new ArrayList<>();
        Tensor x = leaf();
        probe(x, seen).add(probe(x, seen)).mul(2f).sum().backward();   // AddBackward passes one tensor to both
        assertThat(seen).containsExactly(false, false);
        assertThat(x.grad().toFloatArray()).containsExactly(4f, 4f, 4f, 4f);
    }

    @Test
    void reluAndSigmoidSharingAGradientBothSeeItUnmasked() {
        for (boolean reluFirst : new boolean[] {true, false}) {   // the later one's backward runs first
            Tensor x = leaf();
            (reluFirst ? x.relu().add(x.sigmoid()) : x.sigmoid().add(x.relu())).mul(2f).sum().backward();
            float[] v = {-1f, 2f, -3f, 4f}, got = x.grad().toFloatArray();
            for (int i = 0; i < 4; i++) {
                double s = 1 / (1 + Math.exp(-v[i]));
                assertThat((double) got[i]).as("relu first: %s, element %d", reluFirst, i)
                        .isCloseTo((v[i] > 0 ? 2 : 0) + 2 * s * (1 - s), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void reluAndDropoutInPlaceGiveTheBitsOfTheirOutOfPlaceBackward() {
        Tensor x = Antorcha.randn(new Generator(5), 8, 300).requiresGrad(true);
        // retainGraph: nothing is donated, every backward writes a new tensor
        F.dropout(x.mul(1.5f).relu(), 0.3, true, new Generator(9)).mul(3f).sum().backward(null, true);
        float[] outOfPlace = x.grad().toFloatArray();
        x.setGrad(null);
        F.dropout(x.mul(1.5f).relu(), 0.3, true, new Generator(9)).mul(3f).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(outOfPlace);
        float[] v = x.toFloatArray(), g = x.grad().toFloatArray();
        int kept = 0;
        for (int i = 0; i < v.length; i++) {
            float expected = g[i] == 0 ? 0f : 1.5f * 3f / 0.7f;   // dropped or kept
            if (v[i] <= 0) assertThat(g[i]).as("element %d, ReLU closed", i).isZero();
            else if (g[i] != 0) kept++;
            assertThat(g[i]).as("element %d", i).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(kept).isGreaterThan(0);
    }
}
