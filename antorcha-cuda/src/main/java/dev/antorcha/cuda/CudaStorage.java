package dev.antorcha.cuda;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Storage;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;

/**
 * Device memory behind tensors: a block of the device's {@link CachingAllocator}, which takes it
 * back when no tensor reaches this storage any more (or at once, on {@link CudaBackend#recycle}),
 * so that nobody has to {@code close()} a tensor. The pointer is the first element's address.
 */
final class CudaStorage extends Storage {
    private final CudaBackend backend;
    private final DType dtype;
    private final int capacity;
    final long pointer;

    private CudaStorage(CudaBackend backend, DType dtype, int capacity) {
        this.backend = backend;
        this.dtype = dtype;
        this.capacity = capacity;
        this.pointer = backend.gpu.allocator().allocate(Math.max(1L, (long) capacity * dtype.itemSize()), this);
    }

    /** Memory for {@code capacity} elements of {@code dtype} (at least one byte's block). */
    static CudaStorage allocate(CudaBackend backend, DType dtype, int capacity) {
        return new CudaStorage(backend, dtype, capacity);
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
}
