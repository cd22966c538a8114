package dev.antorcha.tensor;

import dev.antorcha.backend.cpu.CpuStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Layout arithmetic (PyTorch's computeStride rules) and views that share storage. */
class LayoutTest {

    /** Row-major values of {@code t} read through its layout: an independent reader of the storage. */
    static float[] readThroughLayout(Tensor t) {
        Layout l = t.layout();
        float[] data = CpuStorage.floats(t), out = new float[l.numel()];
        int[] idx = new int[l.rank()];
        for (int e = 0; e < out.length; e++) {
            out[e] = data[l.indexOf(idx)];
            for (int d = l.rank() - 1; d >= 0 && ++idx[d] == l.shape()[d]; d--) idx[d] = 0;
        }
        return out;
    }

    static Layout layout(int[] shape, int[] strides, int offset) {
        return new Layout(shape, strides, offset);
    }

    @Test
    void contiguousStridesAndIndexing() {
        Layout l = Layout.contiguous(2, 3, 4);
        assertThat(l.strides()).containsExactly(12, 4, 1);
        assertThat(l.numel()).isEqualTo(24);
        assertThat(l.rank()).isEqualTo(3);
        assertThat(l.indexOf(1, 2, 3)).isEqualTo(12 + 8 + 3);
        assertThat(layout(new int[] {2, 3}, new int[] {3, 1}, 5).indexOf(1, 1)).isEqualTo(9);
        assertThat(Layout.contiguous().numel()).as("0-d has one element").isEqualTo(1);
        assertThat(Layout.contiguous(0, 3).strides()).containsExactly(3, 1);
    }

    @Test
    void isContiguousRules() {
        assertThat(Layout.contiguous(2, 3).isContiguous()).isTrue();
        assertThat(Layout.contiguous(2, 3).transpose(0, 1).isContiguous()).isFalse();
        // size-1 dims may carry any stride
        assertThat(layout(new int[] {2, 1, 3}, new int[] {3, 99, 1}, 0).isContiguous()).isTrue();
        // narrowed columns skip elements; narrowed rows do not
        assertThat(Layout.contiguous(4, 6).narrow(1, 1, 3).isContiguous()).isFalse();
        assertThat(Layout.contiguous(4, 6).narrow(0, 1, 2).isContiguous()).isTrue();
        assertThat(Layout.contiguous(3, 1).expand(new int[] {3, 4}).isContiguous()).isFalse();
        assertThat(Layout.contiguous(4, 6).select(1, 2).isContiguous()).isFalse();
        assertThat(Layout.contiguous(4, 6).select(0, 2).isContiguous()).isTrue();
        // torch: an empty tensor is contiguous whatever its strides (torch.randn(4, 0).is_contiguous(), .t() too)
        assertThat(Layout.contiguous(4, 0).isContiguous()).isTrue();
        assertThat(Layout.contiguous(4, 0).transpose(0, 1).isContiguous()).isTrue();
        assertThat(dev.antorcha.Antorcha.randn(4, 0).shape().toArray()).containsExactly(4, 0);
    }

    @Test
    void viewOfContiguousKeepsOffset() {
        Layout rows = Layout.contiguous(6, 4).narrow(0, 1, 3);          // offset 4, contiguous
        Layout v = rows.view(new int[] {12});
        assertThat(v).isEqualTo(layout(new int[] {12}, new int[] {1}, 4));
        assertThat(Layout.contiguous(2, 3, 4).view(new int[] {6, 4}).strides()).containsExactly(4, 1);
    }

    @Test
    void viewOfTransposeFlattenFails() {
        Layout t = Layout.contiguous(3, 4).transpose(0, 1);              // [4,3] strides [1,4]
        assertThat(t.view(new int[] {12})).isNull();
        assertThat(t.view(new int[] {2, 6})).isNull();
        // splitting a dimension is always expressible: 4 → 2x2 with strides 2,1
        assertThat(t.view(new int[] {2, 2, 3})).isEqualTo(layout(new int[] {2, 2, 3}, new int[] {2, 1, 4}, 0));
        assertThat(t.view(new int[] {4, 3})).isEqualTo(t);
    }

    @Test
    void viewOfNarrowedColumnsFollowsPyTorch() {
        Layout cols = Layout.contiguous(4, 6).narrow(1, 1, 3);           // [4,3] strides [6,1] +1
        assertThat(cols.view(new int[] {12})).isNull();                 // torch: RuntimeError
        assertThat(cols.view(new int[] {2, 2, 3})).isEqualTo(layout(new int[] {2, 2, 3}, new int[] {12, 6, 1}, 1));
        assertThat(cols.view(new int[] {4, 3, 1})).isEqualTo(layout(new int[] {4, 3, 1}, new int[] {6, 1, 1}, 1));
        assertThat(cols.view(new int[] {4, 1, 3})).isEqualTo(layout(new int[] {4, 1, 3}, new int[] {6, 3, 1}, 1));
        assertThat(cols.view(new int[] {2, 6})).isNull();
    }

    @Test
    void viewOfExpandedKeepsZeroStrides() {
        Layout e = Layout.contiguous(3, 1).expand(new int[] {3, 4});     // strides [1, 0]
        assertThat(e.view(new int[] {12})).isNull();
        assertThat(e.view(new int[] {3, 2, 2})).isEqualTo(layout(new int[] {3, 2, 2}, new int[] {1, 0, 0}, 0));
    }

    @Test
    void expandGivesZeroStrides() {
        assertThat(Layout.contiguous(3, 1).expand(new int[] {3, 4}).strides()).containsExactly(1, 0);
        assertThat(Layout.contiguous(4).expand(new int[] {2, 4}).strides()).containsExactly(0, 1);
        assertThat(Layout.contiguous(1).expand(new int[] {2, 3, 5}).strides()).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> Layout.contiguous(3).expand(new int[] {4}))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The expanded size of the tensor (4) must match the existing size (3)");
        Tensor x = Antorcha.tensor(new float[] {1f, 2f, 3f}, 3, 1);
        Tensor e = x.expand(3, 4);
        assertThat(e.layout().strides()).containsExactly(1, 0);
        assertThat(e.toFloatArray()).containsExactly(1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f);
    }

    @Test
    void unsqueezeSqueezeSliceSelectStrides() {
        Layout l = Layout.contiguous(2, 3);
        assertThat(l.unsqueeze(0)).isEqualTo(layout(new int[] {1, 2, 3}, new int[] {6, 3, 1}, 0));
        assertThat(l.unsqueeze(1)).isEqualTo(layout(new int[] {2, 1, 3}, new int[] {3, 3, 1}, 0));
        assertThat(l.unsqueeze(2)).isEqualTo(layout(new int[] {2, 3, 1}, new int[] {3, 1, 1}, 0));
        assertThat(l.unsqueeze(1).squeeze(1)).isEqualTo(l);
        assertThat(Layout.contiguous(10).slice(0, 1, 4, 3)).isEqualTo(layout(new int[] {4}, new int[] {3}, 1));
        assertThat(l.select(1, 2)).isEqualTo(layout(new int[] {2}, new int[] {3}, 2));
        assertThat(Layout.contiguous(2, 3, 4).permute(new int[] {2, 0, 1}))
                .isEqualTo(layout(new int[] {4, 2, 3}, new int[] {1, 12, 4}, 0));
    }

    @Test
    void viewOpsShareStorageAndReadTheRightElements() {
        Tensor x = Antorcha.arange(0, 24, 1).view(2, 3, 4);
        record Case(String name, UnaryOperator<Tensor> op, float[] expected) { }
        Case[] cases = {
            new Case("view", t -> t.view(6, 4), seq(0, 24, 1)),
            new Case("transpose", t -> t.transpose(0, 2).select(0, 1).select(0, 2), new float[] {9f, 21f}),
            new Case("permute", t -> t.permute(2, 0, 1).select(0, 3).select(1, 1), new float[] {7f, 19f}),
            new Case("expand", t -> t.select(0, 0).select(0, 0).unsqueeze(0).expand(2, 4),
                    new float[] {0f, 1f, 2f, 3f, 0f, 1f, 2f, 3f}),
            new Case("narrow", t -> t.narrow(2, 1, 2).select(0, 1).select(0, 2), new float[] {21f, 22f}),
            new Case("select", t -> t.select(1, 2).select(0, 0), new float[] {8f, 9f, 10f, 11f}),
            new Case("slice", t -> t.view(24).slice(0, 3, 20, 5), new float[] {3f, 8f, 13f, 18f}),
            new Case("unsqueeze", t -> t.unsqueeze(1).select(0, 1).select(0, 0).select(0, 0),
                    new float[] {12f, 13f, 14f, 15f}),
            new Case("squeeze", t -> t.narrow(0, 1, 1).squeeze(0).select(0, 0), new float[] {12f, 13f, 14f, 15f}),
            new Case("t", t -> t.select(0, 0).t().select(0, 1), new float[] {1f, 5f, 9f}),
        };
        for (Case c : cases) {
            Tensor v = c.op().apply(x);
            assertThat(v.storage()).as(c.name()).isSameAs(x.storage());
            assertThat(v.toFloatArray()).as(c.name()).containsExactly(c.expected());
            assertThat(readThroughLayout(v)).as(c.name()).containsExactly(c.expected());
        }
    }

    @Test
    void writesThroughViewsAreVisibleInBase() {
        Tensor x = Antorcha.zeros(3, 4);
        CpuStorage.floats(x.t())[x.t().layout().indexOf(1, 2)] = 7f;     // x[2][1]
        assertThat(x.select(0, 2).select(0, 1).item()).isEqualTo(7f);
        x.narrow(1, 2, 2).fill_(1);
        assertThat(x.toFloatArray()).containsExactly(0f, 0f, 1f, 1f, 0f, 0f, 1f, 1f, 0f, 7f, 1f, 1f);
    }

    @Test
    void contiguousReturnsSameObjectOnlyWhenAlreadyContiguous() {
        Tensor x = Antorcha.arange(0, 6, 1).view(2, 3);
        assertThat(x.contiguous()).isSameAs(x);
        Tensor t = x.t();
        Tensor c = t.contiguous();
        assertThat(c).isNotSameAs(t);
        assertThat(c.storage()).isNotSameAs(x.storage());
        assertThat(c.isContiguous()).isTrue();
        assertThat(c.layout().strides()).containsExactly(2, 1);
        assertThat(c.toFloatArray()).containsExactly(0f, 3f, 1f, 4f, 2f, 5f);
    }

    @Test
    void reshapeViewsWhenPossibleElseCopies() {
        Tensor x = Antorcha.arange(0, 6, 1).view(2, 3);
        assertThat(x.reshape(3, 2).storage()).isSameAs(x.storage());
        Tensor r = x.t().reshape(6);
        assertThat(r.storage()).isNotSameAs(x.storage());
        assertThat(r.toFloatArray()).containsExactly(0f, 3f, 1f, 4f, 2f, 5f);
        assertThat(x.reshape(-1, 2).shape()).isEqualTo(Shape.of(3, 2));
        assertThat(x.flatten().shape()).isEqualTo(Shape.of(6));
        assertThat(Antorcha.zeros(2, 3, 4).flatten(1, 2).shape()).isEqualTo(Shape.of(2, 12));
    }

    @Test
    void shapeBroadcastAndNormalizeDim() {
        assertThat(Shape.broadcast(new int[] {3, 1}, new int[] {4})).containsExactly(3, 4);
        assertThat(Shape.broadcast(new int[] {}, new int[] {2, 2})).containsExactly(2, 2);
        assertThat(Shape.broadcast(new int[] {5, 1, 3}, new int[] {4, 1})).containsExactly(5, 4, 3);
        assertThat(Shape.normalizeDim(-1, 3)).isEqualTo(2);
        assertThat(Shape.normalizeDim(-3, 3)).isZero();
        assertThat(Shape.times(new int[] {128, 784})).isEqualTo("128x784");
        assertThat(Shape.of(2, 3)).hasToString("[2, 3]");
        assertThat(Shape.of(2, 3).get(-1)).isEqualTo(3);
    }

    static float[] seq(int start, int end, int step) {
        float[] r = new float[(end - start + step - 1) / step];
        for (int i = 0; i < r.length; i++) r[i] = start + i * step;
        return r;
    }
}
