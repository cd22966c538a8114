package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;

/**
 * The dtypes without kernels of their own on the CPU: {@link CpuBackend} computes them in a wider
 * dtype that holds their values exactly (int64 for uint8, int8, int16 and int32; float32 for
 * float16, bfloat16 and bool) and narrows the result back, with PyTorch's casting rules
 * ({@link Conversions}).
 */
final class Widening {
    private Widening() {
    }

    private static Tensor empty(DType dtype, int... shape) {
        return Tensor.fromStorage(CpuStorage.allocate(dtype, shape), Layout.contiguous(shape), dtype);
    }

    // ---- conversions between any two dtypes (Conversions) ---------------------------------------

    /** {@code dst = src} for the pairs that {@link Conversions} serves, with PyTorch's casting rules. */
    static void convertAnyDtypes(Tensor src, Tensor dst) {
        int[] shape = dst.layout().shape();
        Conversions.convert(src, dst, shape, new int[][] {CpuBackend.stridesFor(src, shape), dst.layout().strides()},
                new int[] {src.layout().offset(), dst.layout().offset()});
    }

    /**
     * Rounds or narrows a result computed in a wider dtype into {@code out} (16-bit floats from
     * float32, bool from 0/1 floats, small integers from int64); nothing when it went to {@code out} itself.
     */
    static void narrowInto(Tensor result, Tensor out) {
        if (result != out) convertAnyDtypes(result, out);
    }

    /** {@code t[...] = value} for the dtypes stored in int, short and byte arrays, converted as {@code to} does. */
    static void fillOtherStorage(Tensor t, double value) {
        CpuBackend.contiguousOffset(t);   // refuses a strided view, as for the other dtypes
        Tensor v = empty(DType.FLOAT64);
        CpuStorage.doubles(v)[0] = value;
        convertAnyDtypes(v, t);
    }

    // ---- float16 and bfloat16: computed in float32 and rounded, as PyTorch does on the CPU ------

    static boolean isHalf(DType d) {
        return d == DType.FLOAT16 || d == DType.BFLOAT16;
    }

    /** A float32 copy of {@code t} (exact: float32 holds every float16 and bfloat16 value). */
    static Tensor asFloat32(Tensor t) {
        Tensor c = empty(DType.FLOAT32, t.layout().shape());
        convertAnyDtypes(t, c);
        return c;
    }

    /** Where a float32 result goes before it is rounded into {@code out}: {@code out} itself unless it is 16-bit. */
    static Tensor float32Target(Tensor out) {
        return isHalf(out.dtype()) ? empty(DType.FLOAT32, out.layout().shape()) : out;
    }

    // ---- uint8, int8, int16, int32: widened to int64 (exact), computed there, narrowed back ----
    // Narrowing keeps the low bits, as PyTorch's integer arithmetic wraps: uint8 250 + 10 is 4,
    // int8 127 + 1 is -128 (two's complement arithmetic modulo 2^64 agrees with it modulo 2^8).

    static boolean isSmallInt(DType d) {
        return d == DType.UINT8 || d == DType.INT8 || d == DType.INT16 || d == DType.INT32;
    }

    /** An int64 copy of a small-integer {@code t} (exact); any other tensor as it is. */
    static Tensor asInt64(Tensor t) {
        if (!isSmallInt(t.dtype())) return t;
        Tensor c = empty(DType.INT64, t.layout().shape());
        convertAnyDtypes(t, c);
        return c;
    }

    /** Where an int64 result goes before it is narrowed into a small-integer {@code out}: {@code out} otherwise. */
    static Tensor int64Target(Tensor out) {
        return isSmallInt(out.dtype()) ? empty(DType.INT64, out.layout().shape()) : out;
    }

    // ---- one mechanism for all three: compute in the wider dtype, then narrow into the result ----

    /**
     * The dtype a kernel computes in for values stored as {@code d}: int64 for the small integers,
     * float32 for the 16-bit floats and bool (both exact); {@code d} itself for float32, float64
     * and int64, which have kernels of their own.
     */
    static DType computeDtype(DType d) {
        if (isSmallInt(d)) return DType.INT64;
        return isHalf(d) || d == DType.BOOL ? DType.FLOAT32 : d;
    }

    static boolean isWidened(DType d) {
        return computeDtype(d) != d;
    }

    /** {@code t} in its compute dtype (an exact copy), or {@code t} itself when it has kernels of its own. */
    static Tensor widened(Tensor t) {
        if (!isWidened(t.dtype())) return t;
        Tensor c = empty(computeDtype(t.dtype()), t.layout().shape());
        convertAnyDtypes(t, c);
        return c;
    }

    /** Where a result bound for {@code out} is computed: a tensor of the compute dtype, or {@code out} itself. */
    static Tensor widenedTarget(Tensor out) {
        return isWidened(out.dtype()) ? empty(computeDtype(out.dtype()), out.layout().shape()) : out;
    }
}
