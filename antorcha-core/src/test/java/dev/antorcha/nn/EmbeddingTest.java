package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Embedding against hand-written tables: lookup of any index shape, gradients accumulated over
 * repeated indices, the padding row (negative index normalised, zeroed at construction, never
 * learning, looked up as stored), max_norm renormalising only the referenced rows in place,
 * frequency scaling, from_pretrained, init statistics, printed form and refusals.
 */
class EmbeddingTest {

    /** Row r of the 4 x 2 table is {10 r, 10 r + 1}. */
    private static Tensor table() {
        return Antorcha.tensor(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2);
    }

    @Test
    void looksUpRowsForIndicesOfAnyShape() {
        Tensor w = table();
        Tensor y = F.embedding(Antorcha.tensor(new long[] {3, 0, 3, 1, 2, 2}, 2, 3), w);
        assertThat(y.shape().toArray()).containsExactly(2, 3, 2);
        assertThat(y.toFloatArray()).containsExactly(30, 31, 0, 1, 30, 31, 10, 11, 20, 21, 20, 21);
        Tensor scalar = F.embedding(Antorcha.tensor(new long[] {2}).reshape(), w);
        assertThat(scalar.shape().toArray()).containsExactly(2);
        assertThat(scalar.toFloatArray()).containsExactly(20, 21);
    }

    @Test
    void gradientAccumulatesOverRepeatsAndSkipsThePaddingRow() {
        Tensor idx = Antorcha.tensor(new long[] {3, 0, 3, 1}, 2, 2);
        Tensor g = Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor w = table().requiresGrad(true);
        F.embedding(idx, w).backward(g);
        assertThat(w.grad().toFloatArray()).containsExactly(3, 4, 7, 8, 0, 0, 1 + 5, 2 + 6);
        Tensor wp = table().requiresGrad(true);
        Tensor y = F.embedding(idx, wp, -1);   // padding_idx -1 is row 3
        assertThat(y.toFloatArray()).containsExactly(30, 31, 0, 1, 30, 31, 10, 11);   // looked up as stored
        y.backward(g);
        assertThat(wp.grad().toFloatArray()).containsExactly(3, 4, 7, 8, 0, 0, 0, 0);
    }

    @Test
    void scaleGradByFreqDividesByTheIndexCount() {
        Tensor w = table().requiresGrad(true);
        F.embedding(Antorcha.tensor(new long[] {3, 3, 3, 1}), w, null, null, 2.0, true).backward(Antorcha.ones(4, 2));
        assertThat(w.grad().toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0, 1, 1);
    }

    @Test
    void moduleZeroesThePaddingRowAndKeepsItsGradientZero() {
        Antorcha.manualSeed(0);
        Embedding emb = new Embedding(10, 4, EmbeddingOptions.defaults().paddingIdx(-9));   // row 1
        assertThat(emb.paddingIdx()).isEqualTo(1);
        assertThat(emb.weight.select(0, 1).toFloatArray()).containsOnly(0);
        assertThat(emb.weight.select(0, 0).toFloatArray()).doesNotContain(0f);
        Tensor y = emb.forward(Antorcha.tensor(new long[] {1, 2, 1}));
        y.backward(Antorcha.ones(3, 4));
        assertThat(emb.weight.grad().select(0, 1).toFloatArray()).containsOnly(0);
        assertThat(emb.weight.grad().select(0, 2).toFloatArray()).containsOnly(1);
        assertThat(emb.stateDict().keySet()).containsExactly("weight");
        assertThat(emb.toString()).isEqualTo("Embedding(10, 4, padding_idx=1)");
    }

    @Test
    void initIsStandardNormal() {
        Antorcha.manualSeed(3);
        double[] v = new Embedding(200, 50).weight.toDoubleArray();
        double mean = 0, sq = 0;
        for (double d : v) mean += d / v.length;
        for (double d : v) sq += (d - mean) * (d - mean) / v.length;
        // 10,000 N(0, 1) draws: the mean within 5 standard errors (0.05), the variance within ~5% of 1
        assertThat(mean).isCloseTo(0, within(0.05));
        assertThat(Math.sqrt(sq)).isCloseTo(1, within(0.05));
    }

    @Test
    void maxNormRenormalisesOnlyReferencedRowsInPlace() {
        // rows: {3, 4} (norm 5), {0.6, 0.8} (norm 1), {6, 8} (norm 10, not referenced)
        Tensor data = Antorcha.tensor(new float[] {3, 4, 0.6f, 0.8f, 6, 8}, 3, 2);
        Embedding emb = Embedding.fromPretrained(data, false, EmbeddingOptions.defaults().maxNorm(2.0));
        Tensor y = emb.forward(Antorcha.tensor(new long[] {0, 1, 0}));
        double s = 2 / (5 + 1e-7);
        float[] after = emb.weight.toFloatArray();
        assertThat(after[0]).isCloseTo((float) (3 * s), within(1e-6f));
        assertThat(after[1]).isCloseTo((float) (4 * s), within(1e-6f));
        assertThat(new float[] {after[2], after[3], after[4], after[5]}).containsExactly(0.6f, 0.8f, 6, 8);
        assertThat(y.toFloatArray()[0]).isEqualTo(after[0]);
        assertThat(data.toFloatArray()[0]).as("from_pretrained shares the memory").isEqualTo(after[0]);
        y.backward(Antorcha.ones(3, 2));   // no gradient through the renormalisation: a plain scatter-add
        assertThat(emb.weight.grad().toFloatArray()).containsExactly(2, 2, 1, 1, 0, 0);
        assertThat(emb.toString()).isEqualTo("Embedding(3, 2, max_norm=2.0)");
    }

    @Test
    void maxNormWithTheInfinityNorm() {
        Tensor w = Antorcha.tensor(new double[] {3, -4, 0.5, 0.25}, 2, 2);
        F.embedding(Antorcha.tensor(new long[] {0, 1}), w, null, 1.0, Double.POSITIVE_INFINITY, false);
        double s = 1 / (4 + 1e-7);
        assertThat(w.toDoubleArray()).containsExactly(3 * s, -4 * s, 0.5, 0.25);
    }

    @Test
    void fromPretrainedFreezesByDefaultAndDoesNotZeroThePaddingRow() {
        Tensor data = table();
        Embedding frozen = Embedding.fromPretrained(data);
        assertThat(frozen.weight.requiresGrad()).isFalse();
        Embedding padded = Embedding.fromPretrained(data, false, EmbeddingOptions.defaults().paddingIdx(2));
        assertThat(padded.weight.requiresGrad()).isTrue();
        assertThat(padded.weight.select(0, 2).toFloatArray()).containsExactly(20, 21);
        assertThatThrownBy(() -> Embedding.fromPretrained(Antorcha.ones(4)))
                .hasMessageContaining("Embeddings parameter is expected to be 2-dimensional");
    }

    @Test
    void float64WeightGivesFloat64Rows() {
        Embedding emb = new Embedding(3, 2);
        emb.to(DType.FLOAT64);
        assertThat(emb.forward(Antorcha.tensor(new long[] {2})).dtype()).isEqualTo(DType.FLOAT64);
    }

    @Test
    void refusals() {
        Tensor w = table();
        assertThatThrownBy(() -> F.embedding(Antorcha.tensor(new long[] {1, 4}), w))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 4").hasMessageContaining("[0, 4)");
        assertThatThrownBy(() -> F.embedding(Antorcha.tensor(new long[] {-1}), w))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index -1");
        assertThatThrownBy(() -> F.embedding(Antorcha.ones(2), w))
                .hasMessageContaining("'indices' to have one of the following scalar types: Long, Int");
        assertThatThrownBy(() -> new Embedding(10, 4, EmbeddingOptions.defaults().paddingIdx(10)))
                .hasMessageContaining("Padding_idx must be within num_embeddings");
        assertThatThrownBy(() -> new Embedding(10, 4, EmbeddingOptions.defaults().paddingIdx(-11)))
                .hasMessageContaining("Padding_idx must be within num_embeddings");
        assertThatThrownBy(() -> F.embedding(Antorcha.tensor(new long[] {0}), Antorcha.ones(4)))
                .hasMessageContaining("'weight' must be 2-D");
        assertThatThrownBy(() -> EmbeddingOptions.defaults().maxNorm(-1)).hasMessageContaining("max_norm");
    }
}
