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
    void aFreedBlockServesTheNextRequestOfItsSizeWithoutTheDriver() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d);
        CachingAllocator.Block b1 = a.allocate(4000);
        assertThat(a.allocated()).isEqualTo(4096);
        a.release(b1.pointer(), b1.size());
        assertThat(a.allocated()).isZero();
        assertThat(a.cached()).isEqualTo(4096);
        CachingAllocator.Block b2 = a.allocate(3900);   // the same size class
        assertThat(b2.pointer()).isEqualTo(b1.pointer());
        assertThat(d.allocations).containsExactly(4096L);
        assertThat(a.maxAllocated()).isEqualTo(4096);
    }

    @Test
    void aCachedBlockMoreThanTwiceTheRequestIsLeftForLargerOnes() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d);
        CachingAllocator.Block big = a.allocate(8 << 20);
        a.release(big.pointer(), big.size());
        CachingAllocator.Block small = a.allocate(1000);
        assertThat(small.pointer()).isNotEqualTo(big.pointer());
        CachingAllocator.Block again = a.allocate(5 << 20);   // 6 MiB rounded: the 8 MiB block is at most twice that
        assertThat(again.pointer()).isEqualTo(big.pointer());
        assertThat(again.size()).isEqualTo(8 << 20);
        assertThat(a.allocated()).isEqualTo((8 << 20) + 1024);
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndTriesOnceMore() {
        FakeDriver d = new FakeDriver(10L << 20);
        CachingAllocator a = new CachingAllocator(d);
        CachingAllocator.Block b = a.allocate(6 << 20);
        a.release(b.pointer(), b.size());
        CachingAllocator.Block c = a.allocate(9 << 20);   // 10 MiB rounded: fits only once the cached 6 MiB go back
        assertThat(d.frees).containsExactly(b.pointer());
        assertThat(c.size()).isEqualTo(10L << 20);
        assertThat(a.cached()).isZero();
        assertThatThrownBy(() -> a.allocate(1 << 20)).isInstanceOf(CudaException.class)
                .hasMessage("CUDA out of memory: tried to allocate 2.00 MiB; 10.00 MiB held by tensors (the rest of the device's"
                        + " memory is in use elsewhere)");
    }

    @Test
    void emptyCacheGivesEveryCachedBlockBack() {
        FakeDriver d = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(d);
        List<CachingAllocator.Block> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) blocks.add(a.allocate(1000 * (i + 1)));
        for (CachingAllocator.Block b : blocks) a.release(b.pointer(), b.size());
        a.emptyCache();
        assertThat(d.used).isZero();
        assertThat(d.frees).hasSize(5);
        assertThat(a.cached()).isZero();
        a.resetPeak();
        assertThat(a.maxAllocated()).isZero();
    }
}
