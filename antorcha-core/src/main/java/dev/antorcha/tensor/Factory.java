package dev.antorcha.tensor;

import dev.antorcha.backend.Backends;

/**
 * Creates tensors: constants, ranges, random values, and wraps of Java arrays. Reached through
 * {@code Antorcha.zeros(...)} and friends, PyTorch's {@code torch.zeros(...)}.
 */
public final class Factory {
    private Factory() {
    }

    public static Tensor empty(DType dtype, int... shape) {
        return Backends.cpu().empty(dtype, Shape.of(shape).toArray());
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = empty(dtype, shape);
        if (value != 0) {
            if (dtype == DType.INT64) java.util.Arrays.fill(t.storage().longs(), (long) value);
            else java.util.Arrays.fill(t.storage().floats(), dtype == DType.BOOL ? 1f : (float) value);
        }
        return t;
    }

    /** A 0-d tensor. */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** Wraps {@code data} (row-major) with {@code shape} (empty: 0-d, one element); the array is copied. */
    public static Tensor of(float[] data, int[] shape) {
        checkLength(data.length, shape);
        return Tensor.fromStorage(Storage.ofFloats(data.clone()), Layout.contiguous(shape.clone()), DType.FLOAT32);
    }

    /** Wraps int64 {@code data} (labels, indices) with {@code shape} (empty: 0-d); the array is copied. */
    public static Tensor ofLongs(long[] data, int[] shape) {
        checkLength(data.length, shape);
        return Tensor.fromStorage(Storage.ofLongs(data.clone()), Layout.contiguous(shape.clone()), DType.INT64);
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 || rows[0] == null ? 0 : rows[0].length;
        Storage storage = Storage.allocate(DType.FLOAT32, rows.length, cols);
        float[] data = storage.floats();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) throw new IllegalArgumentException("row " + i + " is null");
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got "
                        + rows[i].length + ") in row " + i);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return Tensor.fromStorage(storage, Layout.contiguous(rows.length, cols), DType.FLOAT32);
    }

    private static void checkLength(int length, int[] shape) {
        int n = Shape.of(shape).numel();
        if (n != length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs "
                    + n + " elements but the array has " + length);
        }
    }

    /** {@code start, start+step, ...} below {@code end}, float32. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign");
        }
        int n = (int) Math.ceil((end - start) / step);
        Tensor t = empty(DType.FLOAT32, n);
        float[] d = t.storage().floats();
        for (int i = 0; i < n; i++) d[i] = (float) (start + i * step);
        return t;
    }

    /** {@code 0 .. end-1} as int64, like {@code torch.arange(int)}. */
    public static Tensor arange(long end) {
        if (end < 0) throw new IllegalArgumentException("arange: end must be >= 0, got " + end);
        if (end > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("arange: end " + end + " gives more than "
                    + (Integer.MAX_VALUE - 16) + " elements");
        }
        Tensor t = empty(DType.INT64, Math.toIntExact(end));
        long[] d = t.storage().longs();
        for (int i = 0; i < d.length; i++) d[i] = i;
        return t;
    }

    public static Tensor eye(int n, int m) {
        Tensor t = empty(DType.FLOAT32, n, m);
        float[] d = t.storage().floats();
        for (int i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1f;
        return t;
    }

    public static Tensor rand(Generator g, int... shape) {
        Tensor t = empty(DType.FLOAT32, shape);
        g.fillUniform(t.storage().floats(), 0, t.numel(), 0, 1);
        return t;
    }

    public static Tensor randn(Generator g, int... shape) {
        Tensor t = empty(DType.FLOAT32, shape);
        g.fillNormal(t.storage().floats(), 0, t.numel(), 0, 1);
        return t;
    }
}
