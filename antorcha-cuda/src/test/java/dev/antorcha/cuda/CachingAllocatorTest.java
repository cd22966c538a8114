package dev.antorcha.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's bookkeeping against a fake driver that counts its allocations. */
class CachingAllocatorTest {
    /** A driver with {@code capacity} bytes: addresses count up, frees are recorded. */
    static final class FakeDriver implements CachingAllocator.Raw {
        final long capacity;
        long used;
        long next = 0x1000;
        final List<Long> allocations = new ArrayList<>();
        final List<Long> frees = new ArrayList<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeDriver(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) return 0;
            long p = next;
            next += bytes;
            used += bytes;
            allocations.add(bytes);
            sizes.put(p, bytes);
            return p;
        }

        @Override
        public void free(long pointer) {
            frees.add(pointer);
            used -= sizes.remove(pointer);
        }
    }

    @Test
    void sizesRoundTo512BytesBelowAMebibyteAndTo2MiBAbove() {
        assertThat(CachingAllocator.rounded(1)).isEqualTo(512);
        assertThat(CachingAllocator.rounded(512)).isEqualTo(512);
        assertThat(CachingAllocator.rounded(513)).isEqualTo(1024);
        assertThat(CachingAllocator.rounded((1 << 20) - 1)).isEqualTo(1 << 20);
        assertThat(CachingAllocator.rounded(1 << 20)).isEqualTo(2 << 20);
        assertThat(CachingAllocator.rounded((2 << 20) + 1)).isEqualTo(4 << 20);
    }

    @Test
    void aReleasedBlockServesTheNextRequestOfItsSizeWithoutTheDriver() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d, 1L << 40);
        Object owner = new Object(), next = new Object();
        long p = a.allocate(4000, owner);
        assertThat(a.allocated()).isEqualTo(4096);
        assertThat(a.size(p)).isEqualTo(4096);
        a.release(p);
        a.release(p);   // a second release of the same block does nothing
        assertThat(a.allocated()).isZero();
        assertThat(a.cached()).isEqualTo(4096);
        assertThat(a.allocate(3900, next)).isEqualTo(p);   // the same size class
        assertThat(d.allocations).containsExactly(4096L);
        assertThat(a.maxAllocated()).isEqualTo(4096);
        assertThat(owner).isNotSameAs(next);
    }

    @Test
    void aCachedBlockAtMostTwiceTheRequestServesItWholeAndLargerOnesWait() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d, 1L << 40);
        Object o1 = new Object(), o2 = new Object(), o3 = new Object();
        long big = a.allocate(8 << 20, o1);
        a.release(big);
        long small = a.allocate(1000, o2);
        assertThat(small).isNotEqualTo(big);
        long again = a.allocate(5 << 20, o3);   // 6 MiB rounded: the 8 MiB block is at most twice that
        assertThat(again).isEqualTo(big);
        assertThat(a.size(again)).isEqualTo(8 << 20);
        assertThat(a.allocated()).isEqualTo((8 << 20) + 1024);
    }

    @Test
    void outOfMemoryCollectsEmptiesTheCacheAndTriesOnceMore() {
        FakeDriver d = new FakeDriver(10L << 20);
        CachingAllocator a = new CachingAllocator(d, 1L << 40);
        Object o1 = new Object(), o2 = new Object();
        long b = a.allocate(6 << 20, o1);
        a.release(b);
        long c = a.allocate(9 << 20, o2);   // 10 MiB rounded: fits only once the cached 6 MiB go back
        assertThat(d.frees).containsExactly(b);
        assertThat(a.size(c)).isEqualTo(10L << 20);
        assertThat(a.cached()).isZero();
        assertThat(a.collections()).isEqualTo(1);
        assertThatThrownBy(() -> a.allocate(1 << 20, new Object())).isInstanceOf(CudaException.class)
                .hasMessage("CUDA out of memory: tried to allocate 2.00 MiB; 10.00 MiB held by tensors (the rest of the device's"
                        + " memory is in use elsewhere)");
    }

    @Test
    void unreachableOwnersGiveTheirBlocksBackSoALongLoopDoesNotGrow() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d, 16L << 20);   // a collection after every 16 MiB handed out
        Object kept = new Object();
        a.allocate(1 << 20, kept);
        for (int step = 0; step < 400; step++) a.allocate(2 << 20, new Object());   // 800 MB in all, each dropped at once
        a.collect();
        assertThat(a.allocated()).isEqualTo(2L << 20);   // what the kept owner holds
        assertThat(d.used).as("the driver's memory").isLessThanOrEqualTo(64L << 20);
        assertThat(a.collections()).isGreaterThanOrEqualTo(400 * 2 / 16 / 2);
        assertThat(kept).isNotNull();
    }

    @Test
    void emptyCacheGivesEveryCachedBlockBack() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d, 1L << 40);
        List<Object> owners = new ArrayList<>();
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            owners.add(new Object());
            blocks.add(a.allocate(1000 * (i + 1), owners.get(i)));
        }
        for (long b : blocks) a.release(b);
        a.emptyCache();
        assertThat(d.used).isZero();
        assertThat(d.frees).hasSize(5);
        assertThat(a.cached()).isZero();
        a.resetPeak();
        assertThat(a.maxAllocated()).isZero();
        assertThat(owners).hasSize(5);
    }
}
