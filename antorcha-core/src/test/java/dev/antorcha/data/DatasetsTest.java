package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** TensorDataset, Subset and randomSplit. */
class DatasetsTest {

    /** Sample i has input [i, i+0.5] and label 10*i. */
    static TensorDataset pairs(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = i + 0.5f;
            y[i] = 10L * i;
        }
        return new TensorDataset(Antorcha.tensor(x, n, 2), Antorcha.tensor(y));
    }

    @Test
    void tensorDatasetYieldsRowsAsViews() {
        TensorDataset ds = pairs(5);
        assertThat(ds.size()).isEqualTo(5);
        Example<Tensor, Tensor> s = ds.get(3);
        assertThat(s.input().shape().toArray()).containsExactly(2);
        assertThat(s.input().toFloatArray()).containsExactly(3f, 3.5f);
        assertThat(s.target().dim()).isZero();
        assertThat(s.target().dtype()).isEqualTo(DType.INT64);
        assertThat(s.target().longItem()).isEqualTo(30L);
        assertThat(s.input().storage()).isSameAs(ds.inputs().storage());
    }

    @Test
    void tensorDatasetRejectsMismatchedSizesNamingThem() {
        assertThatThrownBy(() -> new TensorDataset(Antorcha.zeros(4, 3), Antorcha.zeros(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 3]").hasMessageContaining("[3]")
                .hasMessageContaining("4 samples").hasMessageContaining("has 3");
        assertThatThrownBy(() -> pairs(3).get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void subsetMapsIndicesAndChecksThem() {
        Subset<Example<Tensor, Tensor>> sub = new Subset<>(pairs(5), new int[] {4, 0});
        assertThat(sub.size()).isEqualTo(2);
        assertThat(sub.get(0).target().longItem()).isEqualTo(40L);
        assertThat(sub.get(1).target().longItem()).isEqualTo(0L);
        assertThatThrownBy(() -> new Subset<>(pairs(5), new int[] {1, 5}))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("5").hasMessageContaining("size 5");
    }

    @Test
    void randomSplitByLengthsIsDisjointAndCoversTheDataset() {
        TensorDataset ds = pairs(10);
        List<Subset<Example<Tensor, Tensor>>> parts = Datasets.randomSplit(ds, new int[] {3, 7}, new Generator(42));
        assertThat(parts).extracting(Subset::size).containsExactly(3, 7);
        Set<Integer> seen = new HashSet<>();
        for (Subset<?> p : parts) for (int i : p.indices()) assertThat(seen.add(i)).isTrue();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).boxed().toList());
        // Same seed, same split.
        var again = Datasets.randomSplit(ds, new int[] {3, 7}, new Generator(42));
        assertThat(again.get(0).indices()).containsExactly(parts.get(0).indices());
    }

    @Test
    void randomSplitByFractionsDistributesTheRemainderRoundRobin() {
        // PyTorch: random_split(range(10), [0.33, 0.33, 0.34]) → floor gives 3, 3, 3; the remainder 1 goes to the first.
        assertThat(Datasets.lengthsOf(new double[] {0.33, 0.33, 0.34}, 10)).containsExactly(4, 3, 3);
        // floor(11*0.25)=2 each, remainder 3 → first three subsets.
        assertThat(Datasets.lengthsOf(new double[] {0.25, 0.25, 0.25, 0.25}, 11)).containsExactly(3, 3, 3, 2);
        assertThat(Datasets.lengthsOf(new double[] {0.8, 0.2}, 60_000)).containsExactly(48_000, 12_000);
        var parts = Datasets.randomSplit(pairs(11), new double[] {0.5, 0.5}, new Generator(1));
        assertThat(parts).extracting(Subset::size).containsExactly(6, 5);
    }

    @Test
    void randomSplitRejectsBadLengthsAndFractions() {
        assertThatThrownBy(() -> Datasets.randomSplit(pairs(10), new int[] {3, 6}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not equal the length of the input dataset (10)");
        assertThatThrownBy(() -> Datasets.randomSplit(pairs(10), new double[] {0.5, 0.6}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.1");
        assertThatThrownBy(() -> Datasets.randomSplit(pairs(10), new double[] {1.5, -0.5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Fraction at index 0 is not between 0 and 1: 1.5");
    }
}
