package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** numWorkers > 0: same batches in the same order, exceptions surface, threads do not leak. */
@Timeout(60)
class DataLoaderWorkersTest {

    /** Like {@link DatasetsTest#pairs} but each get sleeps a random few microseconds, to shuffle worker timing. */
    static Dataset<Example<Tensor, Tensor>> jittery(int n) {
        TensorDataset inner = DatasetsTest.pairs(n);
        return new Dataset<>() {
            public Example<Tensor, Tensor> get(int i) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(200_000));
                return inner.get(i);
            }

            public int size() {
                return n;
            }
        };
    }

    static List<Batch> epoch(DataLoader<Batch> loader) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : loader) out.add(b);
        return out;
    }

    static void assertSameBatches(List<Batch> a, List<Batch> b) {
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).input().shape()).isEqualTo(a.get(i).input().shape());
            assertThat(b.get(i).input().toFloatArray()).containsExactly(a.get(i).input().toFloatArray());
            assertThat(b.get(i).target().toLongArray()).containsExactly(a.get(i).target().toLongArray());
        }
    }

    static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("antorcha-loader-") && t.isAlive()).count();
    }

    static void awaitNoLoaderThreads(boolean gc) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (loaderThreads() > 0 && System.nanoTime() < deadline) {
            if (gc) System.gc();
            Thread.sleep(20);
        }
        assertThat(loaderThreads()).as("live antorcha-loader threads").isZero();
    }

    @Test
    void workersGiveExactlyTheSameBatchesAsTheMainThread() throws InterruptedException {
        var data = jittery(103);
        List<Batch> serial = epoch(DataLoader.of(data, 8));
        for (int workers : new int[] {1, 2, 3}) {
            DataLoader<Batch> loader = DataLoader.builder(data).batchSize(8).numWorkers(workers).build();
            assertThat(loader.size()).isEqualTo(13);
            assertSameBatches(serial, epoch(loader));
        }
        awaitNoLoaderThreads(false);   // a finished epoch leaves no thread behind
    }

    @Test
    void workersWithShuffleMatchTheMainThreadForTheSameSeed() {
        var data = jittery(64);
        Antorcha.manualSeed(2024);
        DataLoader<Batch> serial = DataLoader.builder(data).batchSize(5).shuffle(true).dropLast(true).build();
        List<Batch> s1 = epoch(serial), s2 = epoch(serial);
        Antorcha.manualSeed(2024);
        DataLoader<Batch> parallel = DataLoader.builder(data).batchSize(5).shuffle(true).dropLast(true)
                .numWorkers(2).build();
        assertSameBatches(s1, epoch(parallel));
        assertSameBatches(s2, epoch(parallel));
        assertThat(s1.getFirst().target().toLongArray()).isNotEqualTo(s2.getFirst().target().toLongArray());
    }

    @Test
    void workerExceptionSurfacesOnNextWithTheOriginalAsCause() {
        TensorDataset inner = DatasetsTest.pairs(20);
        IllegalStateException boom = new IllegalStateException("corrupt sample 13");
        Dataset<Example<Tensor, Tensor>> failing = new Dataset<>() {
            public Example<Tensor, Tensor> get(int i) {
                if (i == 13) throw boom;
                return inner.get(i);
            }

            public int size() {
                return 20;
            }
        };
        BatchIterator<Batch> it = DataLoader.builder(failing).batchSize(4).numWorkers(2).build().iterator();
        // Batches 0..2 (indices 0..11) arrive intact; batch 3 holds index 13.
        for (int k = 0; k < 3; k++) assertThat(it.next().target().toLongArray()[0]).isEqualTo(40L * k);
        Throwable t = catchThrowable(it::next);
        assertThat(t).isInstanceOf(DataLoaderException.class)
                .hasMessageContaining("batch 3").hasMessageContaining("corrupt sample 13");
        assertThat(t.getCause()).isSameAs(boom);
        assertThat(((DataLoaderException) t).batchIndex()).isEqualTo(3);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void closingAnIteratorEarlyStopsItsWorkers() throws InterruptedException {
        DataLoader<Batch> loader = DataLoader.builder(DatasetsTest.pairs(1000)).batchSize(2).numWorkers(2).build();
        try (BatchIterator<Batch> it = loader.iterator()) {
            it.next();
            Thread.sleep(50);   // let the workers fill their queues and block
            assertThat(loaderThreads()).isPositive();
            // while they run: daemon threads, so a forgotten iterator cannot keep the JVM alive
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("antorcha-loader-") && t.isAlive()) assertThat(t.isDaemon()).as(t.getName()).isTrue();
            }
        }
        awaitNoLoaderThreads(false);
    }

    @Test
    void anAbandonedIteratorsWorkersStopOnceItIsCollected() throws InterruptedException {
        startAndAbandon();
        awaitNoLoaderThreads(true);
    }

    private static void startAndAbandon() throws InterruptedException {
        BatchIterator<Batch> it = DataLoader.builder(DatasetsTest.pairs(1000)).batchSize(2).numWorkers(2)
                .build().iterator();
        it.next();
        Thread.sleep(50);
        assertThat(loaderThreads()).isPositive();
    }
}
