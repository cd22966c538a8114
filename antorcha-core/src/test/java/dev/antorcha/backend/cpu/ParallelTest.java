package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The CPU backend's parallel loop: every block once, nested loops on the block's own thread, failures passed on. */
class ParallelTest {

    @Test
    void nestedLoopsRunEveryInnerBlockOnceOnTheOuterBlocksThread() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            for (int round = 0; round < 200; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(4 * 16);
                Set<String> crossed = Collections.synchronizedSet(new HashSet<>());
                Parallel.forEach(4, true, outer -> {
                    Thread mine = Thread.currentThread();
                    Parallel.forEach(16, true, inner -> {
                        runs.incrementAndGet(outer * 16 + inner);
                        if (Thread.currentThread() != mine) crossed.add(outer + "/" + inner);
                    });
                });
                for (int i = 0; i < runs.length(); i++) assertThat(runs.get(i)).as("round %d, block %d", round, i).isEqualTo(1);
                assertThat(crossed).as("inner blocks run by another thread than their outer block").isEmpty();
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aFailingBlockFailsTheLoopAndTheNextLoopStillRuns() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            assertThatThrownBy(() -> Parallel.forEach(8, true, b -> {
                if (b == 5) throw new IllegalStateException("block 5");
            })).isInstanceOf(IllegalStateException.class).hasMessage("block 5");
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            Parallel.forEach(8, true, runs::incrementAndGet);
            for (int i = 0; i < 8; i++) assertThat(runs.get(i)).isEqualTo(1);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
