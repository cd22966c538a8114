package dev.antorcha.data;

import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Generator;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Feeds a dataset in mini-batches, PyTorch's {@code DataLoader}. Each {@link #iterator()} (each
 * {@code for} loop) is one epoch; with {@code shuffle} every epoch draws a fresh permutation from
 * the generator (by default the one {@code Antorcha.manualSeed} seeds), so a seed fixes the whole
 * sequence of epochs. Shape contract with the default collate: samples {@code (x [*], y)} →
 * {@link Batch} {@code ([B, *], [B])}, B = batchSize except possibly the last batch.
 *
 * <pre>{@code
 * DataLoader<Batch> loader = DataLoader.builder(images).batchSize(128).shuffle(true).numWorkers(2).build();
 * for (Batch b : loader) { Tensor x = b.input(), y = b.target(); }   // [128, 1, 28, 28], [128] int64
 * }</pre>
 *
 * <p>With {@code numWorkers > 0}, daemon threads named {@code antorcha-loader-N} call
 * {@code Dataset.get} and the collate ahead of the loop (the dataset must allow concurrent
 * {@code get}s), while the batches come out in exactly the order {@code numWorkers = 0} gives.
 * A worker's exception surfaces from {@code next()} as a {@link DataLoaderException} whose cause
 * is the original. The threads end with the epoch; to leave a loop early without waiting for the
 * garbage collector to stop them, close the {@link BatchIterator}.
 *
 * @param <B> the batch type ({@link Batch} with the default collate)
 */
public final class DataLoader<B> implements Iterable<B> {
    private final Dataset<?> dataset;
    private final BatchSampler batchSampler;
    private final Function<int[], B> fetch;
    private final int numWorkers;

    private DataLoader(Dataset<?> dataset, BatchSampler batchSampler, Function<int[], B> fetch, int numWorkers) {
        this.dataset = dataset;
        this.batchSampler = batchSampler;
        this.fetch = fetch;
        this.numWorkers = numWorkers;
    }

    /** {@code DataLoader(dataset, batch_size=batchSize)}: in order, keeps the last partial batch. */
    public static DataLoader<Batch> of(Dataset<? extends Example<Tensor, ?>> dataset, int batchSize) {
        return builder(dataset).batchSize(batchSize).build();
    }

    /** Options for a loader over {@code dataset}; defaults as PyTorch: batch 1, no shuffle, no workers. */
    public static <T> Builder<T, Batch> builder(Dataset<T> dataset) {
        return new Builder<>(Args.nonNull(dataset, "DataLoader", "dataset", "a Dataset"), Collate.defaultCollate());
    }

    /** Number of batches per epoch ({@code len(loader)}). */
    public int size() {
        return batchSampler.size();
    }

    public Dataset<?> dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSampler.batchSize();
    }

    public boolean dropLast() {
        return batchSampler.dropLast();
    }

    public int numWorkers() {
        return numWorkers;
    }

    /** A new epoch. The shuffled order, if any, is drawn now, on the calling thread. */
    @Override
    public BatchIterator<B> iterator() {
        Iterator<int[]> batches = batchSampler.iterator();
        if (numWorkers == 0) return new SerialIterator<>(batches, fetch);
        List<int[]> all = new ArrayList<>(batchSampler.size());
        batches.forEachRemaining(all::add);
        return new PrefetchIterator<>(all, fetch, numWorkers);
    }

    private static final class SerialIterator<B> implements BatchIterator<B> {
        private final Iterator<int[]> batches;
        private final Function<int[], B> fetch;
        private boolean closed;

        SerialIterator(Iterator<int[]> batches, Function<int[], B> fetch) {
            this.batches = batches;
            this.fetch = fetch;
        }

        @Override
        public boolean hasNext() {
            return !closed && batches.hasNext();
        }

        @Override
        public B next() {
            if (closed) throw new NoSuchElementException("the iterator was closed");
            return fetch.apply(batches.next());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /**
     * Validated options for a {@link DataLoader}; each setter rejects a bad value at once.
     *
     * @param <T> the sample type
     * @param <B> the batch type the collate produces
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Collate<T, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private int numWorkers;
        private Generator generator;
        private Sampler sampler;

        private Builder(Dataset<T> dataset, Collate<T, B> collate) {
            this.dataset = dataset;
            this.collate = collate;
        }

        /** Samples per batch, {@code >= 1} (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** A fresh random order every epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drops the last batch when it would be smaller than {@code batchSize} (default false). */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Background threads that prefetch batches, {@code >= 0} (default 0: load in the loop). */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("num_workers option should be non-negative; got num_workers="
                        + numWorkers);
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** The generator that shuffling draws from (default: {@link Generator#defaultGenerator()}). */
        public Builder<T, B> generator(Generator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** A custom index order; excludes {@code shuffle}. */
        public Builder<T, B> sampler(Sampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /** Batches made by {@code fn} instead of the default collate; keeps the other options. */
        public <C> Builder<T, C> collate(Collate<T, C> fn) {
            Builder<T, C> b = new Builder<>(dataset, Objects.requireNonNull(fn, "collate"));
            b.batchSize = batchSize;
            b.shuffle = shuffle;
            b.dropLast = dropLast;
            b.numWorkers = numWorkers;
            b.generator = generator;
            b.sampler = sampler;
            return b;
        }

        /** @throws IllegalArgumentException when both {@code sampler} and {@code shuffle} are set */
        public DataLoader<B> build() {
            if (sampler != null && shuffle) {
                throw new IllegalArgumentException("sampler option is mutually exclusive with shuffle");
            }
            Sampler order = sampler != null ? sampler
                    : shuffle ? new RandomSampler(dataset, generator != null ? generator : Generator.defaultGenerator())
                    : new SequentialSampler(dataset);
            Dataset<T> data = dataset;
            Collate<T, B> fn = collate;
            Function<int[], B> fetch = indices -> {
                List<T> samples = new ArrayList<>(indices.length);
                for (int i : indices) samples.add(data.get(i));
                return fn.collate(samples);
            };
            if (data instanceof BatchDataset fast && fn == Collate.defaultCollate()) {
                @SuppressWarnings("unchecked")
                Function<int[], B> direct = indices -> (B) fast.batch(indices);
                fetch = direct;
            }
            return new DataLoader<>(dataset, new BatchSampler(order, batchSize, dropLast), fetch, numWorkers);
        }
    }
}
