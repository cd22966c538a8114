package dev.antorcha.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** In-place ops: values, the version counter, leaf protection and history rebasing. */
class InPlaceTest {
    private static final String MODIFIED =
            "one of the variables needed for gradient computation has been modified by an inplace operation";

    static Tensor t(float... v) {
        return Antorcha.tensor(v, v.length);
    }

    static void assertValues(Tensor t, float... expected) {
        assertThat(t.toFloatArray()).containsExactly(expected, within(1e-6f));
    }

    @Test
    void arithmeticInPlaceValuesAndIdentity() {
        Tensor a = t(1f, 2f, 3f);
        assertThat(a.add_(t(10f, 20f, 30f))).isSameAs(a);
        assertValues(a, 11f, 22f, 33f);
        a.sub_(t(1f, 2f, 3f));
        assertValues(a, 10f, 20f, 30f);
        a.mul_(t(2f, 0.5f, -1f));
        assertValues(a, 20f, 10f, -30f);
        a.div_(t(4f, 5f, 3f));
        assertValues(a, 5f, 2f, -10f);
        a.add_(1.5).sub_(0.5).mul_(2).div_(4);
        assertValues(a, 3f, 1.5f, -4.5f);
        a.add_(t(2f, 2f, 2f), -0.5);                // a + alpha·o
        assertValues(a, 2f, 0.5f, -5.5f);
    }

    /**
     * {@code add_(other, alpha)} outside autograd on dense float32 tensors is one fused
     * multiply-add per element, as torch's vectorised add kernel; float64, a view or the same
     * memory take the general path (alpha·other rounded, then added), whose values are checked too.
     */
    @Test
    void addWithAlphaIsOneFusedMultiplyAddOnDenseTensors() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[] pv = new float[1000], gv = new float[1000];
        for (int i = 0; i < pv.length; i++) {
            pv[i] = (float) r.nextDouble(-1, 1);
            gv[i] = (float) r.nextDouble(-1, 1);
        }
        float alpha = -0.1f;   // not a power of two: alpha·g is inexact
        Tensor p = Antorcha.tensor(pv.clone(), 1000), g = Antorcha.tensor(gv.clone(), 1000);
        p.add_(g, alpha);
        float[] got = p.toFloatArray();
        int differ = 0;
        for (int i = 0; i < pv.length; i++) {
            assertThat(got[i]).as("element %d", i).isEqualTo(Math.fma(gv[i], alpha, pv[i]));
            if (Math.fma(gv[i], alpha, pv[i]) != pv[i] + gv[i] * alpha) differ++;
        }
        assertThat(differ).as("elements where one rounding and two differ").isPositive();

        Tensor pd = Antorcha.tensor(pv.clone(), 1000).to(DType.FLOAT64), gd = Antorcha.tensor(gv.clone(), 1000).to(DType.FLOAT64);
        pd.add_(gd, -0.1);
        double[] gotD = pd.toDoubleArray();
        for (int i = 0; i < pv.length; i++) assertThat(gotD[i]).isEqualTo((double) pv[i] + (double) gv[i] * -0.1);

        // a strided view of other: the general path, alpha·other rounded and then added
        Tensor m = Antorcha.tensor(new float[] {1f, 2f, 3f, 4f}, 2, 2), o = Antorcha.tensor(new float[] {1f, 2f, 3f, 4f}, 2, 2);
        m.add_(o.t(), alpha);
        assertThat(m.toFloatArray()).containsExactly(1f + 1f * alpha, 2f + 3f * alpha, 3f + 2f * alpha, 4f + 4f * alpha);
        // the same memory: 1 + 2·1 and so on
        Tensor a = t(1f, 2f, 3f);
        a.add_(a, 2);
        assertValues(a, 3f, 6f, 9f);
    }

    @Test
    void inPlaceBroadcastsOtherButNotSelf() {
        Tensor m = Antorcha.zeros(2, 3);
        m.add_(t(1f, 2f, 3f));                      // [3] broadcast over rows
        m.mul_(Antorcha.tensor(new float[] {1f, 10f}, 2, 1));
        assertValues(m, 1f, 2f, 3f, 10f, 20f, 30f);
        assertThatThrownBy(() -> t(1f, 2f, 3f).add_(Antorcha.zeros(2, 3)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]").hasMessageContaining("[2, 3]");
    }

    @Test
    void zeroAndFill() {
        Tensor a = t(1f, 2f, 3f);
        assertThat(a.fill_(7.5)).isSameAs(a);
        assertValues(a, 7.5f, 7.5f, 7.5f);
        a.zero_();
        assertValues(a, 0f, 0f, 0f);
        Tensor l = Antorcha.tensor(new long[] {5, 6}, 2);
        l.fill_(3);
        assertThat(l.toLongArray()).containsExactly(3L, 3L);
    }

    @Test
    void inPlaceThroughViewWritesBase() {
        Tensor b = Antorcha.zeros(2, 3);
        b.select(0, 1).fill_(5);
        b.t().select(0, 0).add_(1);                 // column 0
        b.narrow(1, 1, 2).mul_(2);                  // columns 1..2
        assertValues(b, 1f, 0f, 0f, 6f, 10f, 10f);
    }

    @Test
    void copyBroadcastsAndConvertsDtype() {
        Tensor dst = Antorcha.zeros(2, 3);
        assertThat(dst.copy_(t(1f, 2f, 3f))).isSameAs(dst);
        assertValues(dst, 1f, 2f, 3f, 1f, 2f, 3f);
        Tensor ints = Antorcha.zeros(DType.INT64, 4);
        ints.copy_(t(1.9f, -1.9f, 0f, 41.5f));       // float → int64 truncates toward zero
        assertThat(ints.dtype()).isEqualTo(DType.INT64);
        assertThat(ints.toLongArray()).containsExactly(1L, -1L, 0L, 41L);
        Tensor floats = Antorcha.zeros(3);
        floats.copy_(Antorcha.tensor(new long[] {-2, 0, 9}, 3));
        assertValues(floats, -2f, 0f, 9f);
        Tensor tr = Antorcha.zeros(3, 2);
        tr.copy_(Antorcha.arange(0, 6, 1).view(2, 3).t());   // strided source
        assertValues(tr, 0f, 3f, 1f, 4f, 2f, 5f);
        assertThatThrownBy(() -> Antorcha.zeros(3).copy_(Antorcha.zeros(4)))
                .isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyInPlaceBumpsTheVersion() {
        Tensor a = t(1f, 2f);
        int v0 = a.storage().version();
        a.add_(1);
        a.mul_(t(1f, 1f));
        a.zero_();
        a.copy_(t(3f, 4f));
        assertThat(a.storage().version()).isEqualTo(v0 + 4);
        Tensor view = a.view(2, 1);
        view.add_(1);
        assertThat(a.storage().version()).as("a view shares the counter").isEqualTo(v0 + 5);
    }

    @Test
    void modifyingSavedOutputBreaksBackward() {
        Tensor x = t(0f, 1f).requiresGrad(true);
        Tensor y = x.exp();                         // ExpBackward saves its output y
        y.add_(1);
        Tensor loss = y.sum();
        assertThatThrownBy(loss::backward)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MODIFIED)
                .hasMessageContaining("ExpBackward0");
    }

    @Test
    void modifyingSavedInputBreaksBackward() {
        Tensor x = t(1f, 2f).requiresGrad(true);
        Tensor w = t(3f, 4f);                       // no grad, but MulBackward reads it for x's gradient
        Tensor loss = x.mul(w).sum();
        w.mul_(10);
        assertThatThrownBy(loss::backward)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MODIFIED)
                .hasMessageContaining("MulBackward0")
                .hasMessageContaining("version 1").hasMessageContaining("expected version 0");
    }

    @Test
    void modifyingUnsavedInputDoesNotBreakBackward() {
        Tensor x = t(1f, 2f).requiresGrad(true);
        Tensor c = t(5f, 6f);
        Tensor loss = x.add(c).sum();               // AddBackward saves nothing
        c.mul_(3);
        loss.backward();
        assertValues(x.grad(), 1f, 1f);
    }

    @Test
    void inPlaceOnLeafRequiringGradIsRejected() {
        Tensor p = t(1f, 2f).requiresGrad(true);
        assertThatThrownBy(() -> p.add_(1))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a leaf Variable that requires grad is being used in an in-place operation");
        assertThatThrownBy(p::zero_)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a leaf Variable that requires grad");
        assertValues(p, 1f, 2f);                    // rejected before writing
    }

    @Test
    void optimizerStepInsideNoGradIsAllowed() {
        Tensor p = t(1f, 2f, 3f).requiresGrad(true);
        p.mul(p).sum().backward();                  // grad = 2p
        double lr = 0.1;
        try (var _ = Antorcha.noGrad()) {
            p.add_(p.grad(), -lr);
        }
        assertValues(p, 0.8f, 1.6f, 2.4f);
        assertThat(p.isLeaf()).isTrue();
        assertThat(p.requiresGrad()).isTrue();
        assertThat(p.gradFn()).isNull();
        try (var _ = Antorcha.noGrad()) {
            p.grad().zero_();
        }
        assertValues(p.grad(), 0f, 0f, 0f);
    }

    @Test
    void inPlaceOnNonLeafRebasesHistory() {
        Tensor x = t(1f, 2f, 3f).requiresGrad(true);
        Tensor y = x.mul(2);
        y.add_(1);
        assertThat(y.gradFn().name()).isEqualTo("AddBackward0");
        assertThat(y.gradFn().nextFunctions()[0].name()).isEqualTo("MulBackward0");
        assertValues(y, 3f, 5f, 7f);
        y.sum().backward();
        assertValues(x.grad(), 2f, 2f, 2f);
    }

    @Test
    void inPlaceWithGradOperandOnPlainTensorStartsHistory() {
        Tensor w = t(1f, 2f).requiresGrad(true);
        Tensor acc = Antorcha.zeros(2);
        acc.add_(w.mul(3));
        assertThat(acc.requiresGrad()).isTrue();
        acc.mul(acc).sum().backward();              // d/dw (3w)² = 18w
        assertValues(w.grad(), 18f, 36f);
    }

    @Test
    void fillOnNonLeafHasZeroGradient() {
        Tensor x = t(1f, 2f).requiresGrad(true);
        Tensor y = x.mul(2);
        y.fill_(3);
        assertThat(y.gradFn().name()).isEqualTo("FillBackward0");
        y.mul(x).sum().backward();                  // y is constant 3 now: d/dx = 3
        assertValues(x.grad(), 3f, 3f);
    }

    @Test
    void mulInPlaceOnNonLeafKeepsCorrectGradient() {
        Tensor x = t(1f, 2f).requiresGrad(true);
        Tensor y = x.mul(2);
        y.mul_(3);                                  // torch: fine, y = 6x
        y.div_(2);                                  // y = 3x
        y.sum().backward();
        assertValues(x.grad(), 3f, 3f);
    }

    @Test
    void recordedInPlaceOnAViewIsRejectedAndWritesNothing() {
        // torch would rebase the base's history (CopySlices); without that the base would silently
        // lose w's gradient, so the op is refused before anything is written
        Tensor w = t(1f, 2f, 3f).requiresGrad(true);
        Tensor b = Antorcha.zeros(2, 3);
        assertThatThrownBy(() -> b.select(0, 1).add_(w))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add_ on a view is not supported while recording gradients");
        assertValues(b, 0f, 0f, 0f, 0f, 0f, 0f);
        try (var _ = Antorcha.noGrad()) {
            b.select(0, 1).add_(w);                        // outside autograd it is an ordinary write
        }
        assertValues(b, 0f, 0f, 0f, 1f, 2f, 3f);
    }

    @Test
    void copyFromAnOverlappingTransposeReadsEverythingFirst() {
        Tensor m = Antorcha.arange(0, 4, 1).view(2, 2);
        m.copy_(m.t());
        assertValues(m, 0f, 2f, 1f, 3f);                     // the transpose, not a half-overwritten mix
    }

    @Test
    void copyFromLeafRequiringGradConnectsGraph() {
        Tensor w = t(1f, 2f).requiresGrad(true);
        Tensor x = t(5f, 5f).requiresGrad(true);
        Tensor y = x.mul(2);
        y.copy_(w);                                 // y's old value (2x) is overwritten
        assertThat(y.requiresGrad()).isTrue();
        y.mul(3).sum().backward();
        assertValues(w.grad(), 3f, 3f);
        assertThat(x.grad() == null ? new float[] {0f, 0f} : x.grad().toFloatArray()).containsExactly(0f, 0f);
        Tensor plain = Antorcha.zeros(2);
        plain.copy_(w);
        assertThat(plain.requiresGrad()).isTrue();
    }
}
