package dev.antorcha.cuda;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What {@link CudaBackend} asks of a GPU: memory, copies, kernels by source and name, matrix
 * products. {@link CudaDevice} is a real one (the driver, NVRTC, cuBLAS); the tests also run the
 * backend on an emulated one, whose kernels are Java, so that its host side (pointers, strides,
 * the products' operands, the host's share) is checked on machines without a GPU.
 */
interface Gpu {
    /** The device's name, e.g. {@code "NVIDIA H100 80GB HBM3"}. */
    String name();

    /** The real architecture kernels are compiled for, e.g. {@code "sm_90"}. */
    String architecture();

    CachingAllocator allocator();

    /** Makes the device current on the calling thread (where that means anything). */
    void bind();

    /** Waits for every queued copy and kernel; asynchronous errors surface here. */
    void synchronize();

    /** Copies {@code bytes} from host memory to the device. */
    void upload(MemorySegment src, long dst, long bytes);

    /** Copies {@code bytes} from the device to host memory, after all queued work. */
    void download(long src, MemorySegment dst, long bytes);

    /** Sets {@code bytes} of device memory to {@code value}, in stream order. */
    void memset(long dst, byte value, long bytes);

    /** Kernel {@code name} of {@code kernels/<file>.cu} compiled with {@code defines} ({@code NAME VALUE} lines). */
    Kernel function(String file, List<String> defines, String name);

    /** Launches {@code kernel} on a 1-D grid of {@code blocks × threads}. */
    void launch(Kernel kernel, int blocks, int threads, int sharedBytes, KernelArgs args);

    /** Matrix products in column-major order, on the device's stream. */
    Blas blas();

    /** A compiled kernel: its source, defines and name, and the driver's handle (null where emulated). */
    record Kernel(String file, List<String> defines, String name, MemorySegment handle) {
    }

    /** cuBLAS's products: column-major {@code C = alpha·op(A)·op(B) + beta·C}. */
    interface Blas {
        void sgemm(int transA, int transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb, float beta, long c,
                   int ldc);

        void dgemm(int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long b, int ldb, double beta, long c,
                   int ldc);

        void sgemmBatched(int transA, int transB, int m, int n, int k, float alpha, long a, int lda, long strideA, long b, int ldb,
                          long strideB, float beta, long c, int ldc, long strideC, int batch);
    }
}
