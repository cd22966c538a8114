package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** cat, stack, split, chunk and flatten(startDim): hand-computed values, gradients, PyTorch's errors. */
class JoinSplitTest {

    /** {@code [rows, cols]} holding {@code base + 10 r + c}: every element names its position. */
    private static Tensor grid(int base, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[r * cols + c] = base + 10 * r + c;
        return Antorcha.tensor(v, rows, cols);
    }

    private static Tensor x64(int seed, int... shape) {
        return Antorcha.randn(new Generator(seed), shape).toDouble().detach();
    }

    private static void gradOk(Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = GradCheck.check(f, in);
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    @Test
    void catJoinsAlongEitherDim() {
        Tensor a = grid(0, 2, 2), b = grid(100, 1, 2), c = grid(200, 2, 3);
        Tensor rows = Antorcha.cat(List.of(a, b), 0);
        assertThat(rows.shape().toArray()).containsExactly(3, 2);
        assertThat(rows.toFloatArray()).containsExactly(0, 1, 10, 11, 100, 101);
        Tensor cols = Antorcha.cat(List.of(a, c), -1);
        assertThat(cols.shape().toArray()).containsExactly(2, 5);
        assertThat(cols.toFloatArray()).containsExactly(0, 1, 200, 201, 202, 10, 11, 210, 211, 212);
        assertThat(Antorcha.cat(a, b).toFloatArray()).containsExactly(0, 1, 10, 11, 100, 101);   // dim 0
        // a strided (transposed) input is read through its layout
        assertThat(Antorcha.cat(List.of(a.t(), b), 0).toFloatArray()).containsExactly(0, 10, 1, 11, 100, 101);
    }

    @Test
    void catPromotesDtypesAndSkipsTheLegacyEmptyTensor() {
        Tensor ints = Antorcha.tensor(new long[] {1, 2});
        Tensor floats = Antorcha.tensor(new float[] {0.5f});
        Tensor r = Antorcha.cat(ints, floats);
        assertThat(r.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(r.toFloatArray()).containsExactly(1, 2, 0.5f);
        assertThat(Antorcha.cat(floats, floats.toDouble()).dtype()).isEqualTo(DType.FLOAT64);
        // torch.cat([torch.zeros(0), x]) is x whatever x's rank
        Tensor skipped = Antorcha.cat(List.of(Antorcha.zeros(0), grid(0, 2, 2)), 1);
        assertThat(skipped.shape().toArray()).containsExactly(2, 2);
    }

    @Test
    void catGradientsAreTheSlicesInTheInputsDtypes() {
        Tensor a = grid(0, 2, 2).requiresGrad(true), c = grid(0, 2, 1).toDouble().requiresGrad(true);
        Tensor y = Antorcha.cat(List.of(a, c), 1);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(y.gradFn().name()).isEqualTo("CatBackward0");
        y.backward(Antorcha.tensor(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(a.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(a.grad().toFloatArray()).containsExactly(1, 2, 4, 5);
        assertThat(c.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(c.grad().toDoubleArray()).containsExactly(3, 6);
        gradOk(in -> Antorcha.cat(List.of(in[0], in[1], in[2]), 1), x64(1, 2, 3), x64(2, 2, 1), x64(3, 2, 4));
        gradOk(in -> Antorcha.cat(List.of(in[0], in[1].t()), 0), x64(4, 2, 3), x64(5, 3, 1));
    }

    @Test
    void catErrorsAreTorchs() {
        assertThatThrownBy(() -> Antorcha.cat(List.of(grid(0, 2, 3), grid(0, 2, 4)), 0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 "
                        + "for tensor number 1 in the list.");
        assertThatThrownBy(() -> Antorcha.cat(List.of(grid(0, 2, 3), Antorcha.zeros(2, 3, 1)), 0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Tensors must have same number of dimensions: got 2 and 3");
        assertThatThrownBy(() -> Antorcha.cat(List.of(), 0))
                .hasMessage("torch.cat(): expected a non-empty list of Tensors");
        assertThatThrownBy(() -> Antorcha.cat(Antorcha.scalar(1), Antorcha.scalar(2)))
                .hasMessage("zero-dimensional tensor (at position 0) cannot be concatenated");
        assertThatThrownBy(() -> Antorcha.cat(List.of(grid(0, 2, 3)), 2))
                .isExactlyInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        assertThatThrownBy(() -> Antorcha.cat(grid(0, 1, 1), null))
                .isExactlyInstanceOf(NullPointerException.class).hasMessageContaining("element 1 is null");
    }

    @Test
    void stackAddsADim() {
        Tensor a = grid(0, 2, 2), b = grid(100, 2, 2);
        Tensor s1 = Antorcha.stack(List.of(a, b), 1);
        assertThat(s1.shape().toArray()).containsExactly(2, 2, 2);
        assertThat(s1.toFloatArray()).containsExactly(0, 1, 100, 101, 10, 11, 110, 111);
        Tensor last = Antorcha.stack(List.of(a, b), -1);
        assertThat(last.shape().toArray()).containsExactly(2, 2, 2);
        assertThat(last.toFloatArray()).containsExactly(0, 100, 1, 101, 10, 110, 11, 111);
        assertThat(Antorcha.stack(a, b).toFloatArray()).containsExactly(0, 1, 10, 11, 100, 101, 110, 111);
        gradOk(in -> Antorcha.stack(List.of(in[0], in[1]), 2), x64(6, 2, 3), x64(7, 2, 3));
        Tensor ga = grid(0, 2, 2).requiresGrad(true);
        Tensor st = Antorcha.stack(List.of(ga, grid(0, 2, 2)), 0);
        assertThat(st.gradFn().name()).isEqualTo("StackBackward0");
        st.backward(Antorcha.arange(8).toFloat().reshape(2, 2, 2));
        assertThat(ga.grad().toFloatArray()).containsExactly(0, 1, 2, 3);
        assertThatThrownBy(() -> Antorcha.stack(List.of(grid(0, 2, 3), grid(0, 2, 4)), 0))
                .hasMessage("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1");
        assertThatThrownBy(() -> Antorcha.stack(List.of(), 0)).hasMessage("stack expects a non-empty TensorList");
        assertThatThrownBy(() -> Antorcha.stack(List.of(a, b), 3))
                .hasMessage("Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    }

    @Test
    void splitGivesViewsOfTheRequestedSizes() {
        Tensor x = Antorcha.arange(11).toFloat().reshape(1, 11);
        List<Tensor> p = x.split(4, 1);
        assertThat(p).extracting(t -> t.size(1)).containsExactly(4, 4, 3);
        assertThat(p.get(2).toFloatArray()).containsExactly(8, 9, 10);
        assertThat(p.get(1).storage()).isSameAs(x.storage());   // a view, as torch's
        p.get(1).fill_(-1);
        assertThat(x.toFloatArray()[4]).isEqualTo(-1);
        assertThat(x.split(20, 1)).hasSize(1);
        List<Tensor> q = Antorcha.arange(11).toFloat().split(new int[] {2, 6, 3}, 0);
        assertThat(q).extracting(t -> t.size(0)).containsExactly(2, 6, 3);
        assertThat(q.get(1).toFloatArray()).containsExactly(2, 3, 4, 5, 6, 7);
    }

    @Test
    void chunkUsesCeilSizesAndMayGiveFewerPieces() {
        // PARITY_FORMAT_CNN.md: 11 in 5 -> [3, 3, 3, 2]; 9 in 4 -> [3, 3, 3]; not numpy.array_split
        assertThat(Antorcha.zeros(11).chunk(5, 0)).extracting(t -> t.size(0)).containsExactly(3, 3, 3, 2);
        assertThat(Antorcha.zeros(2, 9).chunk(4, 1)).extracting(t -> t.size(1)).containsExactly(3, 3, 3);
        assertThat(Antorcha.zeros(6).chunk(3, 0)).extracting(t -> t.size(0)).containsExactly(2, 2, 2);
        assertThat(Antorcha.zeros(2).chunk(5, 0)).extracting(t -> t.size(0)).containsExactly(1, 1);
        assertThat(Antorcha.zeros(0).chunk(3, 0)).hasSize(3);
        List<Tensor> c = Antorcha.arange(7).toFloat().chunk(3, -1);
        assertThat(c.get(2).toFloatArray()).containsExactly(6);
    }

    @Test
    void splitAndChunkGradientsGoToTheirPieces() {
        Tensor x = Antorcha.zeros(2, 5).requiresGrad(true);
        List<Tensor> p = x.split(2, 1);
        p.get(0).sum().add(p.get(2).mul(3).sum()).backward();   // piece 1 unused
        assertThat(x.grad().toFloatArray()).containsExactly(1, 1, 0, 0, 3, 1, 1, 0, 0, 3);
        gradOk(in -> {
            List<Tensor> s = in[0].split(new int[] {1, 3, 1}, 1);
            return s.get(0).mul(s.get(1).sum(1, true)).add(s.get(2).exp());
        }, x64(8, 2, 5));
        gradOk(in -> {
            List<Tensor> s = in[0].chunk(3, 0);
            return Antorcha.cat(List.of(s.get(2), s.get(0).mul(2)), 0);
        }, x64(9, 5, 2));
    }

    @Test
    void splitErrorsAreTorchs() {
        Tensor x = Antorcha.zeros(2, 11);
        assertThatThrownBy(() -> x.split(new int[] {2, 6, 2}, 1))
                .hasMessage("split_with_sizes expects split_sizes to sum exactly to 11 (input tensor's size at dimension 1), "
                        + "but got split_sizes=[2, 6, 2]");
        assertThatThrownBy(() -> x.split(new int[] {-1, 12}, 1))
                .hasMessageStartingWith("split_with_sizes expects split_sizes have only non-negative entries");
        assertThatThrownBy(() -> x.split(-1, 1)).hasMessage("split expects split_size be non-negative, but got split_size=-1");
        assertThatThrownBy(() -> x.split(0, 1))
                .hasMessage("split_size can only be 0 if dimension size is 0, but got dimension size of 11");
        assertThatThrownBy(() -> x.chunk(0, 1)).hasMessage("chunk expects `chunks` to be greater than 0, got: 0");
        assertThatThrownBy(() -> Antorcha.scalar(1).chunk(2, 0)).hasMessage("chunk expects at least a 1-dimensional tensor");
        assertThatThrownBy(() -> x.split(2, 2)).isExactlyInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void flattenFromAStartDim() {
        Tensor x = Antorcha.arange(24).toFloat().reshape(2, 3, 4);
        assertThat(x.flatten(1).shape().toArray()).containsExactly(2, 12);
        assertThat(x.flatten(-2).shape().toArray()).containsExactly(2, 12);
        assertThat(x.flatten(0).shape().toArray()).containsExactly(24);
        assertThat(x.flatten(2).shape().toArray()).containsExactly(2, 3, 4);
        assertThat(x.transpose(0, 2).flatten(1).toFloatArray()[1]).isEqualTo(12);   // [0][0][1] of x^T is x[1][0][0]
        gradOk(in -> in[0].flatten(1).mul(in[0].flatten(1)), x64(10, 2, 3, 2));
    }
}
