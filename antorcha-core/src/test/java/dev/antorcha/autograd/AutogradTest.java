package dev.antorcha.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The backward walk, accumulation, grad mode and graph lifetime, against hand-derived gradients. */
class AutogradTest {

    static Tensor leaf(float... values) {
        return Antorcha.tensor(values, values.length).requiresGrad(true);
    }

    static void assertValues(Tensor t, float... expected) {
        assertThat(t).isNotNull();
        assertThat(t.toFloatArray()).containsExactly(expected, within(1e-5f));
    }

    @Test
    void backwardFromScalarGivesAnalyticGradient() {
        Tensor x = leaf(1f, -2f, 3f);
        // L = sum(x^3 + 2x) → dL/dx = 3x² + 2
        x.mul(x).mul(x).add(x.mul(2)).sum().backward();
        assertValues(x.grad(), 5f, 14f, 29f);
        assertThat(x.grad().shape()).isEqualTo(x.shape());
    }

    @Test
    void backwardWithExplicitGradientFromNonScalar() {
        Tensor x = leaf(1f, 2f, 3f);
        Tensor y = x.mul(x);                       // dy/dx = 2x, element-wise
        y.backward(Antorcha.tensor(new float[] {1f, 10f, 100f}, 3));
        assertValues(x.grad(), 2f, 40f, 600f);
    }

    @Test
    void backwardOnNonScalarWithoutGradientIsAnError() {
        Tensor y = leaf(1f, 2f).mul(3);
        assertThatThrownBy(y::backward)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("grad can be implicitly created only for scalar outputs")
                .hasMessageContaining("[2]");
    }

    @Test
    void backwardWithGradientOfWrongShapeIsAnError() {
        Tensor y = leaf(1f, 2f).mul(3);
        assertThatThrownBy(() -> y.backward(Antorcha.ones(3)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]").hasMessageContaining("[2]");
    }

    @Test
    void backwardOnTensorWithoutGradIsAnError() {
        assertThatThrownBy(() -> Antorcha.ones(2).sum().backward())
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not require grad");
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1f, 2f);
        x.mul(3).sum().backward();
        assertValues(x.grad(), 3f, 3f);
        Tensor firstGrad = x.grad();
        x.mul(x).sum().backward();                 // + 2x
        assertValues(x.grad(), 5f, 7f);
        assertThat(x.grad()).as("accumulates into the same tensor, like torch's +=").isSameAs(firstGrad);
        x.setGrad(null);
        x.mul(5).sum().backward();
        assertValues(x.grad(), 5f, 5f);
    }

    @Test
    void tensorUsedTwiceGetsSummedGradient() {
        Tensor x = leaf(2f, -3f);
        x.mul(x).sum().backward();                 // 2x
        assertValues(x.grad(), 4f, -6f);
        Tensor z = leaf(2f, -3f);
        z.add(z).sum().backward();                 // 2
        assertValues(z.grad(), 2f, 2f);
    }

    @Test
    void diamondGraphSumsBothPaths() {
        Tensor x = leaf(1f, 2f, -1f);
        Tensor a = x.mul(2);
        Tensor b = x.mul(3);
        a.mul(b).sum().backward();                 // 6x² → 12x
        assertValues(x.grad(), 12f, 24f, -12f);
    }

    @Test
    void sharedInteriorNodeFeedsTwoConsumers() {
        Tensor x = leaf(0.5f, -1f, 2f);
        Tensor y = x.exp();                        // interior node used by three paths
        Tensor z = y.mul(y).add(y.mul(3)).sub(y); // y² + 2y → (2y + 2) · eˣ
        z.sum().backward();
        float[] xs = {0.5f, -1f, 2f};
        float[] expected = new float[3];
        for (int i = 0; i < 3; i++) {
            double e = Math.exp(xs[i]);
            expected[i] = (float) ((2 * e + 2) * e);
        }
        assertThat(x.grad().toFloatArray()).containsExactly(expected, within(1e-4f));
    }

    @Test
    void detachCutsTheGraphAndSharesStorage() {
        Tensor x = leaf(1f, 2f, 3f);
        Tensor y = x.mul(2);
        Tensor d = y.detach();
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.gradFn()).isNull();
        assertThat(d.storage()).isSameAs(y.storage());
        d.mul(x).sum().backward();                 // d is a constant 2x: gradient is d, not 4x
        assertValues(x.grad(), 2f, 4f, 6f);
    }

    @Test
    void inputsWithoutRequiresGradGetNoGradient() {
        Tensor a = leaf(1f, 2f);
        Tensor b = Antorcha.tensor(new float[] {3f, 4f}, 2);
        a.mul(b).sum().backward();
        assertValues(a.grad(), 3f, 4f);
        assertThat(b.grad()).isNull();
        assertThat(b.requiresGrad()).isFalse();
    }

    @Test
    void noGradRecordsNothingAndRestoresMode() {
        Tensor x = leaf(1f, 2f);
        assertThat(Antorcha.isGradEnabled()).isTrue();
        Tensor inside;
        try (var _ = Antorcha.noGrad()) {
            assertThat(Antorcha.isGradEnabled()).isFalse();
            inside = x.mul(2).add(1);
        }
        assertThat(inside.requiresGrad()).isFalse();
        assertThat(inside.gradFn()).isNull();
        assertValues(inside, 3f, 5f);
        assertThat(Antorcha.isGradEnabled()).isTrue();
        Tensor after = x.mul(2);
        assertThat(after.requiresGrad()).isTrue();
        assertThat(after.gradFn()).isNotNull();
    }

    @Test
    void nestedNoGradRestoresEachLevel() {
        // closed by hand (not try-with-resources) to observe the mode between and after closes
        var outer = Antorcha.noGrad();
        try (var _ = Antorcha.noGrad()) {
            assertThat(Antorcha.isGradEnabled()).isFalse();
        }
        assertThat(Antorcha.isGradEnabled()).as("inner close keeps the outer scope").isFalse();
        outer.close();
        assertThat(Antorcha.isGradEnabled()).isTrue();
        outer.close();                          // idempotent
        assertThat(Antorcha.isGradEnabled()).isTrue();
    }

    @Test
    void noGradRestoresModeOnException() {
        assertThatThrownBy(() -> {
            try (var _ = Antorcha.noGrad()) {
                throw new IllegalStateException("boom");
            }
        }).hasMessage("boom");
        assertThat(Antorcha.isGradEnabled()).isTrue();
        assertThat(leaf(1f).mul(2).requiresGrad()).isTrue();
    }

    @Test
    void noGradIsPerThread() throws InterruptedException {
        AtomicBoolean otherThread = new AtomicBoolean();
        try (var _ = Antorcha.noGrad()) {
            Thread t = new Thread(() -> otherThread.set(Antorcha.isGradEnabled()));
            t.start();
            t.join();
        }
        assertThat(otherThread).isTrue();
    }

    @Test
    void secondBackwardThroughFreedGraphThrows() {
        Tensor x = leaf(1f, 2f);
        Tensor y = x.mul(x).sum();
        y.backward();
        assertThatThrownBy(y::backward)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backward through the graph a second time");
        assertValues(x.grad(), 2f, 4f);             // the failed call added nothing
    }

    @Test
    void retainGraphAllowsSecondBackward() {
        Tensor x = leaf(1f, 2f);
        Tensor y = x.mul(x).sum();
        y.backward(Antorcha.scalar(1), true);
        y.backward(Antorcha.scalar(1), true);
        assertValues(x.grad(), 4f, 8f);             // 2 · 2x
        y.backward();                               // last use frees the graph
        assertValues(x.grad(), 6f, 12f);
        assertThatThrownBy(y::backward).isExactlyInstanceOf(IllegalStateException.class);
    }

    @Test
    void retainGradKeepsNonLeafGradient() {
        Tensor x = leaf(1f, 2f, 3f);
        Tensor y = x.mul(2).retainGrad();
        Tensor z = x.mul(3);                        // not retained
        y.mul(y).add(z).sum().backward();           // dL/dy = 2y = 4x
        assertValues(y.grad(), 4f, 8f, 12f);
        assertThat(z.grad()).isNull();
        assertValues(x.grad(), 11f, 19f, 27f);      // 8x + 3
    }

    @Test
    void gradFnNamesFollowPyTorch() {
        Tensor x = leaf(1f, 2f);
        Tensor m = Antorcha.ones(2, 2).requiresGrad(true);
        assertThat(x.mul(x).gradFn().name()).isEqualTo("MulBackward0");
        assertThat(x.add(x).gradFn().name()).isEqualTo("AddBackward0");
        assertThat(x.sub(x).gradFn().name()).isEqualTo("SubBackward0");
        assertThat(x.div(x).gradFn().name()).isEqualTo("DivBackward0");
        assertThat(x.exp().gradFn().name()).isEqualTo("ExpBackward0");
        assertThat(m.mm(m).gradFn().name()).isEqualTo("MmBackward0");
        assertThat(m.t().gradFn().name()).isEqualTo("TBackward0");
        assertThat(m.transpose(0, 1).gradFn().name()).isEqualTo("TransposeBackward0");
        assertThat(x.sum().gradFn().name()).isEqualTo("SumBackward0");
        assertThat(m.view(4).gradFn().name()).isEqualTo("ViewBackward0");
        assertThat(m.sum(0).gradFn().name()).isEqualTo("SumBackward1");
        assertThat(x.isLeaf()).isTrue();
        assertThat(x.gradFn()).isNull();
        Node add = x.mul(2).add(x).gradFn();
        assertThat(add.nextFunctions()).hasSize(2);
        assertThat(add.nextFunctions()[0].name()).isEqualTo("MulBackward0");
        assertThat(add.nextFunctions()[1]).as("a leaf input has no node").isNull();
    }

    @Test
    void broadcastGradientIsReducedToInputShape() {
        Tensor a = Antorcha.tensor(new float[] {1f, 2f, 3f}, 3, 1).requiresGrad(true);
        Tensor b = Antorcha.zeros(3, 4).requiresGrad(true);
        float[] g = new float[12];
        for (int i = 0; i < 12; i++) g[i] = i * 0.5f - 1f;
        a.add(b).backward(Antorcha.tensor(g, 3, 4));
        assertThat(a.grad().shape().toArray()).containsExactly(3, 1);
        float[] rowSums = new float[3];
        for (int i = 0; i < 12; i++) rowSums[i / 4] += g[i];
        assertValues(a.grad(), rowSums);
        assertValues(b.grad(), g);
    }

    @Test
    void broadcastOverNewLeadingDimsSumsColumns() {
        Tensor bias = Antorcha.tensor(new float[] {1f, 2f, 3f, 4f}, 4).requiresGrad(true);
        Tensor x = Antorcha.arange(0, 24, 1).view(2, 3, 4);
        x.mul(bias).sum().backward();               // d/dbias[j] = Σ x[..., j]
        float[] colSums = new float[4];
        for (int i = 0; i < 24; i++) colSums[i % 4] += i;
        assertThat(bias.grad().shape().toArray()).containsExactly(4);
        assertValues(bias.grad(), colSums);
    }

    @Test
    void gradientFlowsThroughViews() {
        Tensor x = Antorcha.arange(0, 6, 1).view(2, 3).requiresGrad(true);
        Tensor w = Antorcha.tensor(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2);
        // L = Σ x.t() ⊙ w = Σ_ij x[i][j] w[j][i]
        x.t().mul(w).sum().backward();
        assertValues(x.grad(), 1f, 3f, 5f, 2f, 4f, 6f);
        Tensor y = Antorcha.arange(0, 6, 1).view(2, 3).requiresGrad(true);
        y.select(1, 2).mul(10).sum().backward();    // only column 2 gets 10
        assertValues(y.grad(), 0f, 0f, 10f, 0f, 0f, 10f);
    }

    @Test
    void backwardFromLeafItselfAccumulatesGradient() {
        Tensor x = leaf(4f);
        x.sum().backward();
        assertValues(x.grad(), 1f);
        Tensor s = Antorcha.scalar(2).requiresGrad(true);
        s.backward();
        assertValues(s.grad(), 1f);
    }

    @Test
    void gradCheckAgreesOnComposedFunction() {
        Antorcha.manualSeed(7);
        Tensor a = Antorcha.randn(3, 4);
        Tensor b = Antorcha.randn(4, 2);
        GradCheck.Result r = GradCheck.check(in -> in[0].matmul(in[1]).tanh().mul(in[0].sum(1, true)), a, b);
        assertThat(r.passed()).as(r.toString()).isTrue();
        // and GradCheck itself can fail: a wrong "gradient" via detach is caught
        Tensor c = Antorcha.randn(5);
        GradCheck.Result wrong = GradCheck.check(in -> in[0].mul(in[0].detach()), c);
        assertThat(wrong.passed()).as(wrong.toString()).isFalse();
    }
}
