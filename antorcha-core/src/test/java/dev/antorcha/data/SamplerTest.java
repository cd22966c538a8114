package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.tensor.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void sequentialSamplerCountsUp() {
        assertThat(new SequentialSampler(4).epoch()).containsExactly(0, 1, 2, 3);
        List<Integer> boxed = new ArrayList<>();
        for (int i : new SequentialSampler(3)) boxed.add(i);
        assertThat(boxed).containsExactly(0, 1, 2);
    }

    @Test
    void randomSamplerDrawsAFreshPermutationEachEpochReproducibly() {
        RandomSampler s = new RandomSampler(50, new Generator(7));
        int[] e1 = s.epoch(), e2 = s.epoch();
        assertThat(e1).containsExactlyInAnyOrder(IntStream.range(0, 50).toArray());
        assertThat(e2).containsExactlyInAnyOrder(IntStream.range(0, 50).toArray());
        assertThat(e1).isNotEqualTo(e2);
        RandomSampler again = new RandomSampler(50, new Generator(7));
        List<Integer> viaIterator = new ArrayList<>();
        again.iterator().forEachRemaining((int i) -> viaIterator.add(i));
        assertThat(viaIterator).containsExactly(IntStream.of(e1).boxed().toArray(Integer[]::new));
    }

    @Test
    void batchSamplerKeepsOrDropsTheLastPartialBatch() {
        var keep = new BatchSampler(new SequentialSampler(10), 3, false);
        List<int[]> batches = new ArrayList<>();
        keep.forEach(batches::add);
        assertThat(batches).containsExactly(new int[] {0, 1, 2}, new int[] {3, 4, 5}, new int[] {6, 7, 8}, new int[] {9});
        assertThat(keep.size()).isEqualTo(4);
        var drop = new BatchSampler(new SequentialSampler(10), 3, true);
        List<int[]> dropped = new ArrayList<>();
        drop.forEach(dropped::add);
        assertThat(dropped).hasSize(3);
        assertThat(drop.size()).isEqualTo(3);
        assertThat(new BatchSampler(new SequentialSampler(9), 3, true).size()).isEqualTo(3);
        assertThat(new BatchSampler(new SequentialSampler(0), 3, false).iterator().hasNext()).isFalse();
        assertThatThrownBy(() -> new BatchSampler(new SequentialSampler(3), 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch_size=0");
    }
}
