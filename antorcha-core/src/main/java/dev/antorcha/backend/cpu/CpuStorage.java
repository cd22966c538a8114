package dev.antorcha.backend.cpu;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Storage;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU's memory: a plain Java array on the heap ({@code float[]} for FLOAT32 and BOOL,
 * {@code double[]} for FLOAT64, {@code long[]} for INT64), nothing to close. Only the CPU backend reads or writes the arrays
 * (the architecture tests check it); everything else goes through {@link Backend} methods.
 */
public final class CpuStorage extends Storage {
    private final float[] floats;
    private final long[] longs;
    private final double[] doubles;

    private CpuStorage(float[] floats, long[] longs, double[] doubles) {
        this.floats = floats;
        this.longs = longs;
        this.doubles = doubles;
    }

    /** Adopts {@code data} as the memory: no copy, so the caller must not touch the array again. */
    public static CpuStorage ofFloats(float[] data) {
        return new CpuStorage(data, null, null);
    }

    /** Adopts {@code data} as the memory: no copy, so the caller must not touch the array again. */
    public static CpuStorage ofLongs(long[] data) {
        return new CpuStorage(null, data, null);
    }

    /** Adopts {@code data} as the memory: no copy, so the caller must not touch the array again. */
    public static CpuStorage ofDoubles(double[] data) {
        return new CpuStorage(null, null, data);
    }

    /** The double array behind {@code t} (FLOAT64 tensors of the CPU). */
    public static double[] doubles(Tensor t) {
        return ((CpuStorage) t.storage()).doubles();
    }

    /** The float array behind {@code t} (FLOAT32 and BOOL tensors of the CPU). */
    public static float[] floats(Tensor t) {
        return ((CpuStorage) t.storage()).floats();
    }

    /** The long array behind {@code t} (INT64 tensors of the CPU). */
    public static long[] longs(Tensor t) {
        return ((CpuStorage) t.storage()).longs();
    }

    /**
     * Zero-filled storage for a tensor of {@code dtype} and {@code shape}: the one place where the
     * CPU backend allocates. An element count beyond an int (Java arrays are int-indexed) is an
     * {@link IllegalArgumentException} naming the shape; a request larger than the free heap is an
     * {@link OutOfMemoryError} that says how much was asked, how much the heap has, and to raise
     * {@code -Xmx}. The heap is only asked after an allocation failed, so the hot path pays nothing.
     */
    public static CpuStorage allocate(DType dtype, int... shape) {
        int n = Shape.numel(shape);
        if (n < 0) Shape.of(shape);                     // throws, naming the negative dimension
        try {
            if (dtype == DType.FLOAT64) return ofDoubles(new double[n]);
            return dtype.isFloatStorage() ? ofFloats(new float[n]) : ofLongs(new long[n]);
        } catch (OutOfMemoryError e) {
            OutOfMemoryError described = new OutOfMemoryError(outOfMemoryMessage(dtype, shape, n));
            described.initCause(e);
            throw described;
        }
    }

    static String outOfMemoryMessage(DType dtype, int[] shape, int numel) {
        long bytes = (long) numel * (dtype == DType.FLOAT64 || !dtype.isFloatStorage() ? Long.BYTES : Float.BYTES);
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        long free = max == Long.MAX_VALUE ? rt.freeMemory() : max - (rt.totalMemory() - rt.freeMemory());
        return "not enough memory to allocate a " + dtype.torchName() + " tensor of shape "
                + java.util.Arrays.toString(shape) + " (" + numel + " elements, " + bytes(bytes)
                + "): the Java heap has " + (max == Long.MAX_VALUE ? "no set maximum" : bytes(max) + " at most")
                + " and " + bytes(free) + " free. Raise the maximum heap with -Xmx (e.g. java -Xmx"
                + suggestedGiB(bytes, max) + "g), or use a smaller shape or batch";
    }

    private static long suggestedGiB(long asked, long max) {
        long needed = asked + (max == Long.MAX_VALUE ? 0 : max);
        return Math.max(1, (needed + (1L << 30) - 1) >> 30);
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format(java.util.Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        return b + " bytes";
    }

    /** The float array (FLOAT32 and BOOL tensors). */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException("storage holds " + holds() + ", not floats");
        return floats;
    }

    /** The long array (INT64 tensors). */
    public long[] longs() {
        if (longs == null) throw new IllegalStateException("storage holds " + holds() + ", not int64 values");
        return longs;
    }

    /** The double array (FLOAT64 tensors). */
    public double[] doubles() {
        if (doubles == null) throw new IllegalStateException("storage holds " + holds() + ", not doubles");
        return doubles;
    }

    private String holds() {
        return floats != null ? "floats" : longs != null ? "int64 values" : "doubles";
    }

    @Override
    public int capacity() {
        return floats != null ? floats.length : longs != null ? longs.length : doubles.length;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Backend backend() {
        return CpuBackend.INSTANCE;
    }
}
