package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Single-threaded DataLoader behaviour: batches, sizes, shuffling, options, custom collate. */
class DataLoaderTest {

    /** The labels of every batch of one epoch (label = 10 * index in {@link DatasetsTest#pairs}). */
    static List<long[]> labels(DataLoader<Batch> loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) out.add(b.target().toLongArray());
        return out;
    }

    static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void batchesHaveTheRightShapesAndValues() {
        DataLoader<Batch> loader = DataLoader.of(DatasetsTest.pairs(10), 4);
        assertThat(loader.size()).isEqualTo(3);
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertThat(batches).hasSize(3);
        Batch first = batches.get(0);
        assertThat(first.input().shape().toArray()).containsExactly(4, 2);
        assertThat(first.input().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(first.input().toFloatArray()).containsExactly(0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f);
        assertThat(first.target().dtype()).isEqualTo(DType.INT64);
        assertThat(first.target().toLongArray()).containsExactly(0, 10, 20, 30);
        Batch last = batches.get(2);
        assertThat(last.input().shape().toArray()).containsExactly(2, 2);
        assertThat(last.target().toLongArray()).containsExactly(80, 90);
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader<Batch> loader = DataLoader.builder(DatasetsTest.pairs(10)).batchSize(4).dropLast(true).build();
        assertThat(loader.size()).isEqualTo(2);
        assertThat(labels(loader)).hasSize(2).allSatisfy(b -> assertThat(b).hasSize(4));
        assertThat(DataLoader.builder(DatasetsTest.pairs(8)).batchSize(4).dropLast(true).build().size()).isEqualTo(2);
        assertThat(DataLoader.of(DatasetsTest.pairs(8), 4).size()).isEqualTo(2);
        assertThat(DataLoader.of(DatasetsTest.pairs(9), 4).size()).isEqualTo(3);
        assertThat(DataLoader.of(DatasetsTest.pairs(3), 4).size()).isEqualTo(1);
    }

    @Test
    void shuffleIsAPermutationFreshEachEpochAndReproducibleWithManualSeed() {
        Antorcha.manualSeed(123);
        DataLoader<Batch> loader = DataLoader.builder(DatasetsTest.pairs(100)).batchSize(16).shuffle(true).build();
        long[] epoch1 = flat(labels(loader)), epoch2 = flat(labels(loader));
        long[] all = IntStream.range(0, 100).mapToLong(i -> 10L * i).toArray();
        assertThat(epoch1).containsExactlyInAnyOrder(all);
        assertThat(epoch2).containsExactlyInAnyOrder(all);
        assertThat(epoch1).isNotEqualTo(epoch2).isNotEqualTo(all);

        Antorcha.manualSeed(123);
        DataLoader<Batch> again = DataLoader.builder(DatasetsTest.pairs(100)).batchSize(16).shuffle(true).build();
        assertThat(flat(labels(again))).containsExactly(epoch1);
        assertThat(flat(labels(again))).containsExactly(epoch2);
    }

    @Test
    void anExplicitGeneratorIsUsedInsteadOfTheDefault() {
        var a = DataLoader.builder(DatasetsTest.pairs(50)).batchSize(8).shuffle(true).generator(new Generator(5)).build();
        Antorcha.manualSeed(999);   // does not affect an explicit generator
        var b = DataLoader.builder(DatasetsTest.pairs(50)).batchSize(8).shuffle(true).generator(new Generator(5)).build();
        assertThat(flat(labels(a))).containsExactly(flat(labels(b)));
    }

    @Test
    void optionsAreValidatedWithTheBadValue() {
        var builder = DataLoader.builder(DatasetsTest.pairs(3));
        assertThatThrownBy(() -> builder.batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch_size=0");
        assertThatThrownBy(() -> builder.numWorkers(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num_workers=-2");
        assertThatThrownBy(() -> DataLoader.of(DatasetsTest.pairs(3), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> builder.shuffle(true).sampler(new SequentialSampler(3)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mutually exclusive");
    }

    @Test
    void customCollateAndSampler() {
        DataLoader<long[]> loader = DataLoader.builder(DatasetsTest.pairs(6)).batchSize(4)
                .sampler(new Sampler() {
                    @Override
                    public java.util.PrimitiveIterator.OfInt iterator() {
                        return IntStream.of(5, 4, 3, 2, 1, 0).iterator();
                    }

                    @Override
                    public int size() {
                        return 6;
                    }
                })
                .collate(samples -> samples.stream().mapToLong(s -> s.target().longItem()).toArray())
                .build();
        assertThat(loader.size()).isEqualTo(2);
        List<long[]> out = new ArrayList<>();
        loader.forEach(out::add);
        assertThat(out).containsExactly(new long[] {50, 40, 30, 20}, new long[] {10, 0});
    }

    @Test
    void defaultCollateOnNonExamplesFailsClearly() {
        Dataset<String> words = new Dataset<>() {
            public String get(int i) {
                return "w" + i;
            }

            public int size() {
                return 3;
            }
        };
        assertThatThrownBy(() -> DataLoader.builder(words).batchSize(2).build().iterator().next())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("custom collate");
        DataLoader<String> joined = DataLoader.builder(words).batchSize(2).collate(s -> String.join(",", s)).build();
        List<String> out = new ArrayList<>();
        joined.forEach(out::add);
        assertThat(out).containsExactly("w0,w1", "w2");
    }

    @Test
    void closedIteratorEndsTheEpoch() {
        BatchIterator<Batch> it = DataLoader.of(DatasetsTest.pairs(10), 2).iterator();
        it.next();
        it.close();
        assertThat(it.hasNext()).isFalse();
    }
}
