package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** batchify and get_batch on a stream small enough to lay out by hand. */
class TextBatchesTest {
    /** The tiny corpus's train.txt ids. */
    private static final long[] STREAM = {0, 1, 2, 3, 4, 0, 5, 3, 3, 6, 7, 3, 8, 3};

    @Test
    void batchifyCutsTheStreamIntoColumns() {
        // 14 tokens, 4 columns: 3 rows, the last 2 tokens dropped; column j continues tokens 3j..3j+2
        Tensor source = TextBatches.batchify(Antorcha.tensor(STREAM), 4);
        assertThat(source.shape().toArray()).containsExactly(3, 4);
        assertThat(source.isContiguous()).isTrue();
        assertThat(source.toLongArray()).containsExactly(
                0, 3, 5, 6,
                1, 4, 3, 7,
                2, 0, 3, 3);
    }

    @Test
    void getBatchReadsBpttRowsAndTheirSuccessors() {
        Tensor source = TextBatches.batchify(Antorcha.tensor(STREAM), 4);
        TextBatches.Chunk first = TextBatches.getBatch(source, 0, 2);
        assertThat(first.data().shape().toArray()).containsExactly(2, 4);
        assertThat(first.data().toLongArray()).containsExactly(0, 3, 5, 6, 1, 4, 3, 7);
        assertThat(first.targets().shape().toArray()).containsExactly(8);
        assertThat(first.targets().toLongArray()).containsExactly(1, 4, 3, 7, 2, 0, 3, 3);
        // the last chunk is shorter: min(bptt, rows - 1 - i) = 1
        TextBatches.Chunk last = TextBatches.getBatch(source, 1, 2);
        assertThat(last.data().shape().toArray()).containsExactly(1, 4);
        assertThat(last.data().toLongArray()).containsExactly(1, 4, 3, 7);
        assertThat(last.targets().toLongArray()).containsExactly(2, 0, 3, 3);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> TextBatches.batchify(Antorcha.tensor(new long[] {1, 2, 3}), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 tokens cannot fill one row of 4 columns");
        assertThatThrownBy(() -> TextBatches.batchify(Antorcha.tensor(new float[] {1, 2}), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integer");
        Tensor source = TextBatches.batchify(Antorcha.tensor(STREAM), 4);
        assertThatThrownBy(() -> TextBatches.getBatch(source, 2, 35))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 2 has no next row");
        assertThatThrownBy(() -> TextBatches.getBatch(source.reshape(-1), 0, 35))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[rows, bsz]");
    }
}
