package dev.antorcha.cuda;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.tensor.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPU emulated on the CPU for the tests: device memory is native memory (a pointer is its
 * address), copies are memory copies, cuBLAS's products are column-major loops, and each kernel of
 * {@code kernels/*.cu} is a Java loop written from the CUDA C (the same formula and rounding, one
 * thread at a time). {@link CudaBackend} then runs unchanged on it, so its host side — pointers and
 * offsets, strides, how products read their operands, what runs on the host — is checked against
 * the CPU backend on machines without a GPU ({@link CudaBackendTest}). The CUDA C itself is checked
 * by NVRTC ({@link KernelSourcesTest}) and on a real GPU.
 */
final class EmulatedGpu implements Gpu {
    private final Map<Long, Arena> blocks = new HashMap<>();
    private final CachingAllocator allocator = new CachingAllocator(new CachingAllocator.Raw() {
        @Override
        public synchronized long allocate(long bytes) {
            Arena arena = Arena.ofShared();
            long p = arena.allocate(bytes, 256).address();
            blocks.put(p, arena);
            return p;
        }

        @Override
        public synchronized void free(long pointer) {
            blocks.remove(pointer).close();
        }
    }, 256L << 20);

    /** Serves {@code cuda:0} with an emulated GPU where no real one can be used. */
    public static final class Provider implements BackendProvider {
        private static CudaBackend backend;

        private static synchronized CudaBackend backend() {
            if (backend == null) backend = new CudaBackend(Device.cuda(), new EmulatedGpu());
            return backend;
        }

        @Override
        public Backend backendFor(Device device) {
            return device.equals(Device.cuda()) && !CudaRuntime.get().isAvailable() ? backend() : null;
        }

        @Override
        public int deviceCount(Device.Type type) {
            return type == Device.Type.CUDA && !CudaRuntime.get().isAvailable() ? 1 : 0;
        }
    }

    @Override
    public String name() {
        return "emulated GPU";
    }

    @Override
    public String architecture() {
        return "sm_90";
    }

    @Override
    public CachingAllocator allocator() {
        return allocator;
    }

    @Override
    public void bind() {
    }

    @Override
    public void synchronize() {
    }

    static MemorySegment at(long pointer, long bytes) {
        return MemorySegment.ofAddress(pointer).reinterpret(bytes);
    }

    @Override
    public void upload(MemorySegment src, long dst, long bytes) {
        MemorySegment.copy(src, 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void download(long src, MemorySegment dst, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, dst, 0, bytes);
    }

    @Override
    public void memset(long dst, byte value, long bytes) {
        at(dst, bytes).fill(value);
    }

    @Override
    public Kernel function(String file, List<String> defines, String name) {
        return new Kernel(file, List.copyOf(defines), name, null);
    }

    /** Launches by kernel name, and the products by kind, since this GPU was made. */
    final Map<String, Integer> launches = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void launch(Kernel k, int blocks, int threads, int sharedBytes, KernelArgs args) {
        launches.merge(k.name(), 1, Integer::sum);
        EmulatedKernels.run(k, blocks, args);
    }

    @Override
    public Blas blas() {
        launches.merge("gemm", 1, Integer::sum);
        return BLAS;
    }

    // ---- elements of any type, read and written as double (floats) or long (integers) -----------

    static final long BIG = Long.MAX_VALUE / 4;

    record Type(String c, int size, boolean floating) {
        static Type of(String c) {
            return switch (c) {
                case "float" -> new Type(c, 4, true);
                case "double" -> new Type(c, 8, true);
                case "long long" -> new Type(c, 8, false);
                case "int" -> new Type(c, 4, false);
                case "short" -> new Type(c, 2, false);
                case "signed char", "unsigned char" -> new Type(c, 1, false);
                default -> throw new IllegalArgumentException("no such element type " + c);
            };
        }

        double get(long base, long i) {
            MemorySegment m = at(base, BIG);
            return switch (c) {
                case "float" -> m.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                case "double" -> m.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                default -> getLong(base, i);
            };
        }

        long getLong(long base, long i) {
            MemorySegment m = at(base, BIG);
            return switch (c) {
                case "long long" -> m.getAtIndex(ValueLayout.JAVA_LONG, i);
                case "int" -> m.getAtIndex(ValueLayout.JAVA_INT, i);
                case "short" -> m.getAtIndex(ValueLayout.JAVA_SHORT, i);
                case "signed char" -> m.get(ValueLayout.JAVA_BYTE, i);
                case "unsigned char" -> m.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                case "float" -> (long) m.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                default -> (long) m.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            };
        }

        /** Stores {@code v} as C's conversion to this type would ({@code long} for integers: truncation). */
        void set(long base, long i, double v) {
            MemorySegment m = at(base, BIG);
            switch (c) {
                case "float" -> m.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
                case "double" -> m.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
                default -> setLong(base, i, (long) v);
            }
        }

        void setLong(long base, long i, long v) {
            MemorySegment m = at(base, BIG);
            switch (c) {
                case "long long" -> m.setAtIndex(ValueLayout.JAVA_LONG, i, v);
                case "int" -> m.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
                case "short" -> m.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) v);
                case "signed char", "unsigned char" -> m.set(ValueLayout.JAVA_BYTE, i, (byte) v);
                case "float" -> m.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
                default -> m.setAtIndex(ValueLayout.JAVA_DOUBLE, i, (double) v);
            }
        }
    }

    private static final Type F = Type.of("float");

    /** cuBLAS's column-major products, summed in double and rounded once (an emulation, not cuBLAS's order). */
    private static final Blas BLAS = new Blas() {
        @Override
        public void sgemm(int ta, int tb, int m, int n, int k, float alpha, long a, int lda, long b, int ldb, float beta, long c,
                          int ldc) {
            gemm(F, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        @Override
        public void dgemm(int ta, int tb, int m, int n, int k, double alpha, long a, int lda, long b, int ldb, double beta, long c,
                          int ldc) {
            gemm(Type.of("double"), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        @Override
        public void sgemmBatched(int ta, int tb, int m, int n, int k, float alpha, long a, int lda, long strideA, long b, int ldb,
                                 long strideB, float beta, long c, int ldc, long strideC, int batch) {
            for (int i = 0; i < batch; i++) {
                gemm(F, ta, tb, m, n, k, alpha, a + 4 * strideA * i, lda, b + 4 * strideB * i, ldb, beta, c + 4 * strideC * i, ldc);
            }
        }

        private void gemm(Type t, int ta, int tb, int m, int n, int k, double alpha, long a, int lda, long b, int ldb, double beta,
                          long c, int ldc) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = t.get(a, ta == Cublas.OP_N ? i + (long) p * lda : p + (long) i * lda);
                        double y = t.get(b, tb == Cublas.OP_N ? p + (long) j * ldb : j + (long) p * ldb);
                        s += x * y;
                    }
                    long at = i + (long) j * ldc;
                    t.set(c, at, beta == 0 ? alpha * s : alpha * s + beta * t.get(c, at));
                }
            }
        }
    };
}
