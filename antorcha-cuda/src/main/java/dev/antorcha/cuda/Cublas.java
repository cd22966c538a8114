package dev.antorcha.cuda;

import static dev.antorcha.cuda.NativeLibrary.INT;
import static dev.antorcha.cuda.NativeLibrary.LONG;
import static dev.antorcha.cuda.NativeLibrary.POINTER;
import static dev.antorcha.cuda.NativeLibrary.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through FFM: one handle on the backend's stream, in {@code CUBLAS_DEFAULT_MATH} (no TF32
 * for float32 products, PyTorch's default for matmul). cuBLAS is column-major; {@link CudaBackend}
 * multiplies row-major matrices by swapping the operands ({@code Cᵀ = Bᵀ·Aᵀ}).
 */
final class Cublas implements Gpu.Blas {
    static final int OP_N = 0;
    static final int OP_T = 1;
    private static final int DEFAULT_MATH = 0;

    private final MethodHandle sgemm, dgemm, sgemmBatched, statusString;
    private final MemorySegment handle;

    Cublas(NativeLibrary lib, MemorySegment stream) {
        MethodHandle create = lib.status("cublasCreate_v2", POINTER);
        MethodHandle setStream = lib.status("cublasSetStream_v2", POINTER, POINTER);
        MethodHandle setMathMode = lib.status("cublasSetMathMode", POINTER, INT);
        sgemm = lib.status("cublasSgemm_v2", POINTER, INT, INT, INT, INT, INT, POINTER, LONG, INT, LONG, INT, POINTER, LONG,
                INT);
        dgemm = lib.status("cublasDgemm_v2", POINTER, INT, INT, INT, INT, INT, POINTER, LONG, INT, LONG, INT, POINTER, LONG,
                INT);
        sgemmBatched = lib.status("cublasSgemmStridedBatched", POINTER, INT, INT, INT, INT, INT, POINTER, LONG, INT, LONG,
                LONG, INT, LONG, POINTER, LONG, INT, LONG, INT);
        statusString = lib.function("cublasGetStatusString", FunctionDescriptor.of(POINTER, INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(POINTER);
            check((int) create.invokeExact(out), "cublasCreate");
            handle = out.get(POINTER, 0);
            check((int) setStream.invokeExact(handle, stream), "cublasSetStream");
            check((int) setMathMode.invokeExact(handle, DEFAULT_MATH), "cublasSetMathMode");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Column-major {@code C = alpha·op(A)·op(B) + beta·C}, float32. */
    @Override
    public void sgemm(int transA, int transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb, float beta, long c,
               int ldc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = arena.allocateFrom(NativeLibrary.FLOAT, alpha), be = arena.allocateFrom(NativeLibrary.FLOAT, beta);
            check((int) sgemm.invokeExact(handle, transA, transB, m, n, k, al, a, lda, b, ldb, be, c, ldc), "cublasSgemm");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** As {@link #sgemm} in float64. */
    @Override
    public void dgemm(int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long b, int ldb, double beta, long c,
               int ldc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = arena.allocateFrom(NativeLibrary.DOUBLE, alpha), be = arena.allocateFrom(NativeLibrary.DOUBLE, beta);
            check((int) dgemm.invokeExact(handle, transA, transB, m, n, k, al, a, lda, b, ldb, be, c, ldc), "cublasDgemm");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #sgemm} for {@code batch} products, the operands {@code stride} elements apart. */
    @Override
    public void sgemmBatched(int transA, int transB, int m, int n, int k, float alpha, long a, int lda, long strideA, long b, int ldb,
                      long strideB, float beta, long c, int ldc, long strideC, int batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = arena.allocateFrom(NativeLibrary.FLOAT, alpha), be = arena.allocateFrom(NativeLibrary.FLOAT, beta);
            check((int) sgemmBatched.invokeExact(handle, transA, transB, m, n, k, al, a, lda, strideA, b, ldb, strideB, be, c,
                    ldc, strideC, batch), "cublasSgemmStridedBatched");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void check(int status, String function) {
        if (status == 0) return;
        String text;
        try {
            text = NativeLibrary.string((MemorySegment) statusString.invokeExact(status));
        } catch (Throwable t) {
            text = "cuBLAS status";
        }
        throw new CudaException(function + " failed: " + text + " (" + status + ")", status);
    }
}
