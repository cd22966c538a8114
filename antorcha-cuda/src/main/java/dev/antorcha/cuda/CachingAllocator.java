package dev.antorcha.cuda;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device memory kept for reuse, as PyTorch's caching allocator does, so that a training step
 * never calls {@code cuMemAlloc}: a block goes back to a free list of its size when its owner (a
 * tensor's storage) becomes unreachable or is released on request, and the next request of that
 * size class takes it. Sizes are rounded up to 512 bytes below 1 MiB and to 2 MiB above, and a
 * request takes the smallest cached block that holds it if that block is at most twice its size.
 * All work runs on one stream, so a block can be handed out again while kernels that used it are
 * still queued: the next user's kernels queue behind them.
 *
 * <p>The JVM finds unreachable owners only when it collects, and device memory does not press on
 * the Java heap (a tensor on the device is a few dozen bytes there), so the allocator asks for a
 * collection itself: when more bytes were handed out since the last one than {@code gcBudget} and
 * than owners held after it (so memory stays within about twice what is live, plus the budget),
 * and when the device is out of memory (then the cache also goes back to the driver, and the
 * request is tried once more). Owners found unreachable give their blocks back before every request, on the
 * requesting thread. Thread-safe.
 */
final class CachingAllocator {
    /** The driver's allocation, in bytes: {@code allocate} gives 0 when the device has no room. */
    interface Raw {
        long allocate(long bytes);

        void free(long pointer);
    }

    private static final long SMALL = 1L << 20;
    private static final long SMALL_ROUND = 512;
    private static final long LARGE_ROUND = 2L << 20;

    private final Raw raw;
    private final long gcBudget;
    private final TreeMap<Long, ArrayDeque<Long>> free = new TreeMap<>();
    private final ReferenceQueue<Object> unreachable = new ReferenceQueue<>();
    /** The blocks that owners hold, by pointer (which also keeps their references reachable). */
    private final Map<Long, Owned> owned = new HashMap<>();
    private long allocated;
    private long maxAllocated;
    private long cached;
    private long sinceCollection;
    private long liveAfterCollection;
    private long collections;
    /** Garbage that provokes a young collection: what {@link #collect} allocates, a mebibyte at a time. */
    private static final byte[] FILLER = new byte[1 << 20];
    private static final long FILLER_LIMIT = 512L << 20;
    @SuppressWarnings("unused")
    private static volatile byte[] filler;

    /**
     * @param raw      the driver's allocation
     * @param gcBudget bytes handed out between the collections the allocator asks for
     */
    CachingAllocator(Raw raw, long gcBudget) {
        this.raw = raw;
        this.gcBudget = gcBudget;
    }

    /** The block size a request of {@code bytes} takes. */
    static long rounded(long bytes) {
        long unit = bytes < SMALL ? SMALL_ROUND : LARGE_ROUND;
        return Math.max(unit, (bytes + unit - 1) / unit * unit);
    }

    /**
     * A block of at least {@code bytes} (its size {@link #rounded}) for {@code owner}, given back
     * when the owner becomes unreachable or on {@link #release}.
     *
     * @throws CudaException when the device has no room even after a collection and with the cache emptied
     */
    synchronized long allocate(long bytes, Object owner) {
        drain();
        long size = rounded(bytes);
        if (sinceCollection > Math.max(gcBudget, liveAfterCollection)) collect();
        long[] block = fromCache(size);
        if (block == null) block = fromDriver(size);
        if (block == null) {
            collect();
            block = fromCache(size);
        }
        if (block == null) {
            emptyCache();
            block = fromDriver(size);
        }
        if (block == null) {
            throw new CudaException("CUDA out of memory: tried to allocate " + mib(size) + "; " + mib(allocated)
                    + " held by tensors (the rest of the device's memory is in use elsewhere)", 2);
        }
        long p = block[0], got = block[1];
        allocated += got;
        sinceCollection += got;
        maxAllocated = Math.max(maxAllocated, allocated);
        owned.put(p, new Owned(owner, unreachable, p, got));
        return p;
    }

    /** {@code {pointer, size}} of the smallest cached block that holds {@code size} and is at most twice it, or null. */
    private long[] fromCache(long size) {
        Map.Entry<Long, ArrayDeque<Long>> e = free.ceilingEntry(size);
        if (e == null || e.getKey() > 2 * size) return null;
        long p = e.getValue().pop();
        if (e.getValue().isEmpty()) free.remove(e.getKey());
        cached -= e.getKey();
        return new long[] {p, e.getKey()};
    }

    private long[] fromDriver(long size) {
        long p = raw.allocate(size);
        return p == 0 ? null : new long[] {p, size};
    }

    /** The size of the block at {@code pointer} (a block this allocator handed out and not yet got back). */
    synchronized long size(long pointer) {
        Owned o = owned.get(pointer);
        return o == null ? 0 : o.size;
    }

    /** Gives the block at {@code pointer} back now (its owner is done with it); later releases of it do nothing. */
    synchronized void release(long pointer) {
        Owned o = owned.remove(pointer);
        if (o == null) return;
        o.clear();
        allocated -= o.size;
        cached += o.size;
        free.computeIfAbsent(o.size, k -> new ArrayDeque<>()).push(pointer);
    }

    /** The blocks of owners the collector found unreachable, back to the cache. */
    private void drain() {
        for (Reference<?> r; (r = unreachable.poll()) != null; ) {
            Owned o = (Owned) r;
            if (owned.get(o.pointer) == o) release(o.pointer);
        }
    }

    /**
     * Asks the JVM to collect, then takes back what became unreachable (until the queue has been
     * empty for 5 ms: the reference handler enqueues what the collection found). A young collection is what finds a step's tensors, and costs little: the young
     * generation is filled with garbage until one happens (at most {@link #FILLER_LIMIT} bytes);
     * a full collection only where none did.
     */
    synchronized void collect() {
        long before = collectorRuns();
        for (long filled = 0; collectorRuns() == before && filled < FILLER_LIMIT; filled += FILLER.length) {
            filler = new byte[FILLER.length];
        }
        if (collectorRuns() == before) System.gc();
        collections++;
        try {
            for (Reference<?> r; (r = unreachable.remove(5)) != null; ) {
                Owned o = (Owned) r;
                if (owned.get(o.pointer) == o) release(o.pointer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
        sinceCollection = 0;
        liveAfterCollection = allocated;
    }

    /** Collections the JVM's collectors have run, all together. */
    private static long collectorRuns() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionCount());
        return n;
    }

    /** Gives every cached block back to the driver. */
    synchronized void emptyCache() {
        drain();
        for (ArrayDeque<Long> blocks : free.values()) for (long p : blocks) raw.free(p);
        free.clear();
        cached = 0;
    }

    /** Bytes in blocks that owners hold (including owners unreachable but not yet found so). */
    synchronized long allocated() {
        return allocated;
    }

    /** The most bytes owners held at once. */
    synchronized long maxAllocated() {
        return maxAllocated;
    }

    /** Bytes in cached blocks, held by no owner. */
    synchronized long cached() {
        return cached;
    }

    /** Collections this allocator asked for. */
    synchronized long collections() {
        return collections;
    }

    synchronized void resetPeak() {
        maxAllocated = allocated;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }

    /** A block and the phantom of its owner. */
    private static final class Owned extends PhantomReference<Object> {
        final long pointer;
        final long size;

        Owned(Object owner, ReferenceQueue<Object> queue, long pointer, long size) {
            super(owner, queue);
            this.pointer = pointer;
            this.size = size;
        }
    }
}
