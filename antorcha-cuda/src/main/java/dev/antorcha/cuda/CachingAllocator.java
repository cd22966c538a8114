package dev.antorcha.cuda;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device memory kept for reuse, as PyTorch's caching allocator does, so that a training step
 * never calls {@code cuMemAlloc}: a block freed (its tensor became unreachable) goes to a free
 * list of its size and the next request of that size class takes it. Sizes are rounded up to
 * 512 bytes below 1 MiB and to 2 MiB above, and a request takes the smallest cached block that
 * holds it if that block is at most twice its size. All work runs on one stream, so a block
 * freed while kernels that used it are still queued can be handed out at once: the next user's
 * kernels queue behind them. When the device is out of memory the cache is returned to the
 * driver and the allocation tried once more. Thread-safe: blocks come back from the JVM's
 * cleaner thread.
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
    private final TreeMap<Long, ArrayDeque<Long>> free = new TreeMap<>();
    private long allocated;
    private long maxAllocated;
    private long cached;

    CachingAllocator(Raw raw) {
        this.raw = raw;
    }

    /** The block size a request of {@code bytes} takes. */
    static long rounded(long bytes) {
        long unit = bytes < SMALL ? SMALL_ROUND : LARGE_ROUND;
        return Math.max(unit, (bytes + unit - 1) / unit * unit);
    }

    /**
     * A block of at least {@code bytes}; its size is {@link #rounded}.
     *
     * @throws CudaException when the device has no room even after the cache is emptied
     */
    synchronized Block allocate(long bytes) {
        long size = rounded(bytes);
        Map.Entry<Long, ArrayDeque<Long>> e = free.ceilingEntry(size);
        if (e != null && e.getKey() <= 2 * size) {
            long p = e.getValue().pop();
            if (e.getValue().isEmpty()) free.remove(e.getKey());
            cached -= e.getKey();
            return taken(p, e.getKey());
        }
        long p = raw.allocate(size);
        if (p == 0) {
            emptyCache();
            p = raw.allocate(size);
        }
        if (p == 0) {
            throw new CudaException("CUDA out of memory: tried to allocate " + mib(size) + "; " + mib(allocated)
                    + " held by tensors (the rest of the device's memory is in use elsewhere)", 2);
        }
        return taken(p, size);
    }

    private Block taken(long pointer, long size) {
        allocated += size;
        maxAllocated = Math.max(maxAllocated, allocated);
        return new Block(pointer, size);
    }

    /** Returns a block to the cache. */
    synchronized void release(long pointer, long size) {
        allocated -= size;
        cached += size;
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(pointer);
    }

    /** Gives every cached block back to the driver. */
    synchronized void emptyCache() {
        for (ArrayDeque<Long> blocks : free.values()) for (long p : blocks) raw.free(p);
        free.clear();
        cached = 0;
    }

    /** Bytes in blocks that tensors hold. */
    synchronized long allocated() {
        return allocated;
    }

    /** The most bytes tensors held at once. */
    synchronized long maxAllocated() {
        return maxAllocated;
    }

    /** Bytes in cached blocks, not held by any tensor. */
    synchronized long cached() {
        return cached;
    }

    synchronized void resetPeak() {
        maxAllocated = allocated;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }

    /** A device pointer and the size of the block behind it. */
    record Block(long pointer, long size) {
    }
}
