package dev.antorcha.ops;

import static dev.antorcha.ops.OpsTestSupport.assertValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** gather / indexSelect / oneHot values, views sharing storage, reshape copies, shape inference. */
class ForwardIndexViewTest {

    private static Tensor arange12() {
        return Antorcha.arange(0, 12, 1).reshape(3, 4);   // [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
    }

    @Test
    void gatherPicksAlongDim() {
        // torch docs example: gather(t, 1, [[0,0],[1,0]]) of [[1,2],[3,4]] = [[1,1],[4,3]]
        Tensor t = Antorcha.tensor(new float[][] {{1, 2}, {3, 4}});
        Tensor idx = Antorcha.tensor(new long[] {0, 0, 1, 0}, 2, 2);
        assertValues(t.gather(1, idx), new int[] {2, 2}, 0, 1, 1, 4, 3);
        assertValues(t.gather(0, idx), new int[] {2, 2}, 0, 1, 2, 3, 2);
        // index smaller than input along the other dims; strided input
        Tensor x = arange12();
        Tensor i2 = Antorcha.tensor(new long[] {3, 0, 1}, 3, 1);
        assertValues(x.gather(1, i2), new int[] {3, 1}, 0, 3, 4, 9);
        assertValues(x.t().gather(0, Antorcha.tensor(new long[] {2, 1, 3}, 1, 3)), new int[] {1, 3}, 0, 2, 5, 11);
        assertThatThrownBy(() -> x.gather(1, Antorcha.tensor(new long[] {4, 0, 0}, 3, 1)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index 4 is out of bounds");
        assertThatThrownBy(() -> x.gather(1, Antorcha.tensor(new float[] {0, 0, 0}, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int64");
    }

    @Test
    void indexSelectRows() {
        Tensor x = arange12();
        assertValues(x.indexSelect(0, Antorcha.tensor(new long[] {2, 0, 2})), new int[] {3, 4}, 0,
                8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
        assertValues(x.indexSelect(1, Antorcha.tensor(new long[] {3, 1})), new int[] {3, 2}, 0, 3, 1, 7, 5, 11, 9);
        assertValues(x.t().indexSelect(1, Antorcha.tensor(new long[] {1})), new int[] {4, 1}, 0, 4, 5, 6, 7);
        Tensor labels = Antorcha.tensor(new long[] {10, 20, 30, 40});
        Tensor picked = labels.indexSelect(0, Antorcha.tensor(new long[] {3, 3, 0}));
        assertThat(picked.dtype()).isEqualTo(DType.INT64);
        assertThat(picked.toLongArray()).containsExactly(40, 40, 10);
        assertThatThrownBy(() -> x.indexSelect(0, Antorcha.tensor(new long[] {3})))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index out of range");
    }

    @Test
    void oneHotEncodesInt64Labels() {
        Tensor oh = Antorcha.oneHot(Antorcha.tensor(new long[] {0, 2, 1}), 4);
        assertThat(oh.dtype()).isEqualTo(DType.INT64);
        assertThat(oh.shape().toArray()).containsExactly(3, 4);
        assertThat(oh.toLongArray()).containsExactly(1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0);
        Tensor inferred = Antorcha.oneHot(Antorcha.tensor(new long[] {1, 0, 2, 2}, 2, 2), -1);
        assertThat(inferred.shape().toArray()).containsExactly(2, 2, 3);
        assertThat(inferred.toLongArray()).containsExactly(0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1);
        assertThatThrownBy(() -> Antorcha.oneHot(Antorcha.tensor(new long[] {3}), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num_classes");
    }

    @Test
    void viewsShareStorageWithTheirBase() {
        Tensor base = arange12();
        Tensor tr = base.t(), row = base.select(0, 1), cols = base.narrow(1, 1, 2);
        Tensor stepped = base.slice(1, 0, 4, 2), flat = base.view(12), ex = base.select(1, 0).unsqueeze(1).expand(3, 5);
        for (Tensor v : new Tensor[] {tr, row, cols, stepped, flat, ex}) assertThat(v.storage()).isSameAs(base.storage());
        assertValues(tr, new int[] {4, 3}, 0, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertValues(stepped, new int[] {3, 2}, 0, 0, 2, 4, 6, 8, 10);
        try (var _ = Antorcha.noGrad()) {
            base.select(0, 1).copy_(Antorcha.tensor(new float[] {-1, -2, -3, -4}));
        }
        assertValues(tr, new int[] {4, 3}, 0, 0, -1, 8, 1, -2, 9, 2, -3, 10, 3, -4, 11);
        assertValues(row, new int[] {4}, 0, -1, -2, -3, -4);
        assertValues(cols, new int[] {3, 2}, 0, 1, 2, -2, -3, 9, 10);
        assertValues(flat, new int[] {12}, 0, 0, 1, 2, 3, -1, -2, -3, -4, 8, 9, 10, 11);
        assertValues(ex, new int[] {3, 5}, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, 8, 8, 8, 8, 8);
        // writes through a view land in the base
        try (var _ = Antorcha.noGrad()) {
            tr.select(0, 3).fill_(7);          // column 3 of base
            stepped.select(1, 0).copy_(Antorcha.scalar(100));   // column 0 of base, broadcast source
        }
        assertValues(base, new int[] {3, 4}, 0, 100, 1, 2, 7, 100, -2, -3, 7, 100, 9, 10, 7);
        try (var _ = Antorcha.noGrad()) {
            base.fill_(5);
        }
        assertThat(tr.toFloatArray()).containsOnly(5f);
        assertThat(ex.toFloatArray()).containsOnly(5f);
    }

    @Test
    void viewOfTransposedThrowsAndReshapeCopies() {
        Tensor base = arange12();
        Tensor tr = base.t();
        assertThatThrownBy(() -> tr.view(12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("view size is not compatible with input tensor's size and stride")
                .hasMessageContaining("reshape");
        Tensor r = tr.reshape(12);
        assertThat(r.storage()).isNotSameAs(base.storage());
        assertValues(r, new int[] {12}, 0, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        Tensor flat = tr.flatten();
        assertThat(flat.storage()).isNotSameAs(base.storage());
        try (var _ = Antorcha.noGrad()) {
            base.fill_(-1);
        }
        assertValues(r, new int[] {12}, 0, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertThat(flat.toFloatArray()).doesNotContain(-1f);
        // reshape of a contiguous tensor is a view
        Tensor c = arange12();
        assertThat(c.reshape(4, 3).storage()).isSameAs(c.storage());
        assertThat(c.contiguous()).isSameAs(c);
        assertThat(tr.contiguous().isContiguous()).isTrue();
        assertThat(c.clone().storage()).isNotSameAs(c.storage());
    }

    @Test
    void viewInfersMinusOne() {
        Tensor x = Antorcha.zeros(5, 1, 28, 28);
        Tensor v = x.view(-1, 28 * 28);
        assertThat(v.shape().toArray()).containsExactly(5, 784);
        assertThat(v.storage()).isSameAs(x.storage());
        assertThat(x.view(5, -1).shape().toArray()).containsExactly(5, 784);
        assertThat(x.reshape(-1).shape().toArray()).containsExactly(3920);
        assertThat(x.flatten(1, -1).shape().toArray()).containsExactly(5, 784);
        assertThat(Antorcha.zeros(0, 4).view(-1, 2).shape().toArray()).containsExactly(0, 2);
        assertThatThrownBy(() -> x.view(-1, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shape '[-1,100]' is invalid for input of size 3920");
        assertThatThrownBy(() -> x.view(-1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("only one dimension can be inferred");
        assertThatThrownBy(() -> x.view(7, 561))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid for input of size 3920");
    }

    @Test
    void movementShapesAndValues() {
        Tensor x = Antorcha.arange(0, 24, 1).reshape(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertThat(p.shape().toArray()).containsExactly(4, 2, 3);
        assertValues(p.select(0, 1), new int[] {2, 3}, 0, 1, 5, 9, 13, 17, 21);
        assertValues(x.transpose(0, 2).select(2, 1).select(1, 0), new int[] {4}, 0, 12, 13, 14, 15);
        assertThat(x.unsqueeze(-1).shape().toArray()).containsExactly(2, 3, 4, 1);
        assertThat(x.unsqueeze(0).squeeze().shape().toArray()).containsExactly(2, 3, 4);
        assertThat(Antorcha.zeros(3, 1, 4, 1).squeeze(1).shape().toArray()).containsExactly(3, 4, 1);
        assertThat(x.squeeze(1)).isSameAs(x);   // size 3: nothing to squeeze
        assertValues(x.slice(2, 1, 100, 2).select(0, 1), new int[] {3, 2}, 0, 13, 15, 17, 19, 21, 23);
        assertValues(x.narrow(1, -1, 1).flatten(), new int[] {8}, 0, 8, 9, 10, 11, 20, 21, 22, 23);
        assertThat(x.slice(1, 2, 1).shape().toArray()).containsExactly(2, 0, 4);
        assertThatThrownBy(() -> x.narrow(1, 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> x.select(0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 2 is out of bounds for dimension 0 with size 2");
        Tensor e = Antorcha.tensor(new float[] {1, 2, 3}, 3, 1).expand(3, 2);
        assertValues(e, new int[] {3, 2}, 0, 1, 1, 2, 2, 3, 3);
        assertThat(e.layout().strides()).containsExactly(1, 0);
        assertThatThrownBy(() -> Antorcha.zeros(3, 2).expand(3, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must match the existing size (2)");
    }
}
