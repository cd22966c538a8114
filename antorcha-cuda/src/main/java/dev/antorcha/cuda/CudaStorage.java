package dev.antorcha.cuda;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Storage;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import java.lang.ref.Cleaner;

/**
 * Device memory behind tensors: a block of the device's {@link CachingAllocator}, returned to
 * the cache when no tensor reaches this storage any more (a {@link Cleaner} action), so that
 * nobody has to {@code close()} a tensor. The pointer is the first element's address.
 */
final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final DType dtype;
    private final int capacity;
    final long pointer;

    private CudaStorage(CudaBackend backend, DType dtype, int capacity, CachingAllocator.Block block) {
        this.backend = backend;
        this.dtype = dtype;
        this.capacity = capacity;
        this.pointer = block.pointer();
        CLEANER.register(this, new Release(backend.gpu.allocator, block.pointer(), block.size()));
    }

    /** Memory for {@code capacity} elements of {@code dtype} (at least one byte's block). */
    static CudaStorage allocate(CudaBackend backend, DType dtype, int capacity) {
        long bytes = Math.max(1L, (long) capacity * dtype.itemSize());
        return new CudaStorage(backend, dtype, capacity, backend.gpu.allocator.allocate(bytes));
    }

    DType dtype() {
        return dtype;
    }

    @Override
    public Device device() {
        return backend.device;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Gives a block back to the cache; holds no reference to the storage. */
    private record Release(CachingAllocator allocator, long pointer, long size) implements Runnable {
        @Override
        public void run() {
            allocator.release(pointer, size);
        }
    }
}
