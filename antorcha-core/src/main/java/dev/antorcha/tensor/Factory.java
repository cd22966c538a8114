package dev.antorcha.tensor;

import dev.antorcha.backend.Backends;
import dev.antorcha.ops.Args;

/**
 * Creates tensors: constants, ranges, random values, and wraps of Java arrays. Reached through
 * {@code Antorcha.zeros(...)} and friends, PyTorch's {@code torch.zeros(...)}.
 */
public final class Factory {
    /** Where factories without a device make tensors ({@code torch.set_default_device}). */
    private static volatile Device defaultDevice = Device.CPU;

    private Factory() {
    }

    /**
     * Makes {@code device} the one where factories ({@code zeros}, {@code tensor}, {@code randn},
     * a module's parameters) create tensors; wraps of a data loader's arrays ({@code adopt}) stay on
     * the CPU, as PyTorch's batches do.
     *
     * @throws IllegalStateException when no backend can serve {@code device} (nothing changes then)
     */
    public static void setDefaultDevice(Device device) {
        Args.nonNull(device, "setDefaultDevice", "device", "a Device");
        Backends.forDevice(device);
        defaultDevice = device;
    }

    public static Device defaultDevice() {
        return defaultDevice;
    }

    private static dev.antorcha.backend.Backend backend() {
        Device d = defaultDevice;
        return d.type() == Device.Type.CPU ? Backends.cpu() : Backends.forDevice(d);
    }

    public static Tensor empty(DType dtype, int... shape) {
        return backend().empty(dtype, Shape.of(shape).toArray());
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = empty(dtype, shape);
        if (value != 0) t.backend().fill(t, value);
        return t;
    }

    /**
     * {@link #full} on the device of {@code where}: the constants and zero gradients that ops make
     * for their operands, so that they live where the operands do.
     */
    public static Tensor fullOn(Tensor where, double value, DType dtype, int... shape) {
        Tensor t = where.backend().empty(dtype, Shape.of(shape).toArray());
        if (value != 0) t.backend().fill(t, value);
        return t;
    }

    /** A 0-d tensor on the device of {@code where}. */
    public static Tensor scalarOn(Tensor where, double value, DType dtype) {
        return fullOn(where, value, dtype);
    }

    /** A 0-d tensor. */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** Wraps {@code data} (row-major) with {@code shape} (empty: 0-d, one element); the array is copied. */
    public static Tensor of(float[] data, int[] shape) {
        checkLength(data.length, shape);
        return backend().adopt(data.clone(), DType.FLOAT32, shape.clone());
    }

    /** Wraps float64 {@code data} with {@code shape} (empty: 0-d); the array is copied, every bit kept. */
    public static Tensor ofDoubles(double[] data, int[] shape) {
        checkLength(data.length, shape);
        return backend().adopt(data.clone(), shape.clone());
    }

    /** Wraps int64 {@code data} (labels, indices) with {@code shape} (empty: 0-d); the array is copied. */
    public static Tensor ofLongs(long[] data, int[] shape) {
        checkLength(data.length, shape);
        return backend().adopt(data.clone(), shape.clone());
    }

    /**
     * A float32 tensor of {@code shape} over {@code data} itself, not a copy: for a fresh array
     * that the caller hands over and never touches again (a data loader's batch), so that the
     * elements are not copied twice. On the CPU the array becomes the tensor's memory.
     */
    public static Tensor adopt(float[] data, int... shape) {
        Args.nonNull(data, "adopt", "data", "a float[]");
        Args.nonNull(shape, "adopt", "size", "an int[]");
        checkLength(data.length, shape);
        return Backends.cpu().adopt(data, DType.FLOAT32, shape.clone());
    }

    /** As {@link #adopt(float[], int...)} for int64 {@code data} (labels, indices). */
    public static Tensor adopt(long[] data, int... shape) {
        Args.nonNull(data, "adopt", "data", "a long[]");
        Args.nonNull(shape, "adopt", "size", "an int[]");
        checkLength(data.length, shape);
        return Backends.cpu().adopt(data, shape.clone());
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 || rows[0] == null ? 0 : rows[0].length;
        Tensor t = empty(DType.FLOAT32, rows.length, cols);     // a clear message when it does not fit
        float[] row = new float[cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) throw new IllegalArgumentException("row " + i + " is null");
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got "
                        + rows[i].length + ") in row " + i);
            }
            System.arraycopy(rows[i], 0, row, 0, cols);
            t.backend().copyFromHost(row, 0, t, i * cols, cols);
        }
        return t;
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
        t.backend().arange(t, start, step);
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
        t.backend().arange(t, 0, 1);
        return t;
    }

    public static Tensor eye(int n, int m) {
        Tensor t = empty(DType.FLOAT32, n, m);
        float[] one = {1f};
        for (int i = 0; i < Math.min(n, m); i++) t.backend().copyFromHost(one, 0, t, i * m + i, 1);
        return t;
    }

    public static Tensor rand(Generator g, int... shape) {
        return rand(g, DType.FLOAT32, shape);
    }

    public static Tensor randn(Generator g, int... shape) {
        return randn(g, DType.FLOAT32, shape);
    }

    /** U(0, 1) of a floating {@code dtype}. */
    public static Tensor rand(Generator g, DType dtype, int... shape) {
        Tensor t = empty(floating(dtype, "rand"), shape);
        t.backend().uniform(t, g, 0, 1);
        return t;
    }

    /** N(0, 1) of a floating {@code dtype}. */
    public static Tensor randn(Generator g, DType dtype, int... shape) {
        Tensor t = empty(floating(dtype, "randn"), shape);
        t.backend().normal(t, g, 0, 1);
        return t;
    }

    private static DType floating(DType dtype, String op) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + dtype.scalarTypeName() + "'");
        }
        return dtype;
    }
}
