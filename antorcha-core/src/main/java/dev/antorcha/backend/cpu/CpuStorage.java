package dev.antorcha.backend.cpu;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.Storage;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;

/**
 * The CPU's memory: a plain Java array on the heap, nothing to close: {@code float[]} for FLOAT32,
 * {@code double[]} for FLOAT64, {@code long[]} for INT64, {@code int[]} for INT32,
 * {@code short[]} for INT16 and for the bits of FLOAT16 and BFLOAT16 (Java has no 16-bit float
 * type; the bits are what files and PyTorch hold), {@code byte[]} for INT8, UINT8 (read
 * as {@code b & 0xFF}) and BOOL (0 or 1). Only the CPU backend reads or writes the arrays
 * (the architecture tests check it); everything else goes through {@link Backend} methods.
 */
public final class CpuStorage extends Storage {
    private final float[] floats;
    private final long[] longs;
    private final double[] doubles;
    private final int[] ints;
    private final short[] shorts;
    private final byte[] bytes;
    /** The recycler's record of this storage's array ({@link Recycler}), or null. */
    Object ticket;

    private CpuStorage(float[] floats, long[] longs, double[] doubles, int[] ints, short[] shorts, byte[] bytes) {
        this.floats = floats;
        this.longs = longs;
        this.doubles = doubles;
        this.ints = ints;
        this.shorts = shorts;
        this.bytes = bytes;
    }

    /** Adopts {@code data} as the memory of an INT32 tensor: no copy. */
    public static CpuStorage ofInts(int[] data) {
        return new CpuStorage(null, null, null, data, null, null);
    }

    /** Adopts {@code data} as the memory of an INT16, FLOAT16 or BFLOAT16 tensor: no copy. */
    public static CpuStorage ofShorts(short[] data) {
        return new CpuStorage(null, null, null, null, data, null);
    }

    /** Adopts {@code data} as the memory of an INT8 or UINT8 tensor: no copy. */
    public static CpuStorage ofBytes(byte[] data) {
        return new CpuStorage(null, null, null, null, null, data);
    }

    /** The int array behind {@code t} (INT32 tensors of the CPU). */
    public static int[] ints(Tensor t) {
        return ((CpuStorage) t.storage()).ints();
    }

    /** The short array behind {@code t} (INT16, FLOAT16 and BFLOAT16 tensors of the CPU). */
    public static short[] shorts(Tensor t) {
        return ((CpuStorage) t.storage()).shorts();
    }

    /** The byte array behind {@code t} (INT8, UINT8 and BOOL tensors of the CPU). */
    public static byte[] bytes(Tensor t) {
        return ((CpuStorage) t.storage()).bytes();
    }

    /** Adopts {@code data} as the memory: no copy, so the caller must not touch the array again. */
    public static CpuStorage ofFloats(float[] data) {
        return new CpuStorage(data, null, null, null, null, null);
    }

    /** Adopts {@code data} as the memory: no copy, so the caller must not touch the array again. */
    public static CpuStorage ofLongs(long[] data) {
        return new CpuStorage(null, data, null, null, null, null);
    }

    /** Adopts {@code data} as the memory: no copy, so the caller must not touch the array again. */
    public static CpuStorage ofDoubles(double[] data) {
        return new CpuStorage(null, null, data, null, null, null);
    }

    /** The double array behind {@code t} (FLOAT64 tensors of the CPU). */
    public static double[] doubles(Tensor t) {
        return ((CpuStorage) t.storage()).doubles();
    }

    /** The float array behind {@code t} (FLOAT32 tensors of the CPU). */
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
        return allocate(dtype, shape, false);
    }

    /**
     * A new array, or when {@code uninitialized} and the tensor is large, one from the
     * {@link Recycler}; after an OutOfMemoryError the recycler's arrays go to the collector and it is
     * tried once more.
     */
    private static CpuStorage allocate(DType dtype, int[] shape, boolean uninitialized) {
        int n = Shape.numel(shape);
        if (n < 0) Shape.of(shape);                     // throws, naming the negative dimension
        boolean recycled = uninitialized && (n >= Recycler.MIN_ELEMENTS || Recycler.poisoned());
        for (int attempt = 0; ; attempt++) {
            try {
                return recycled ? recycledOrNew(dtype, n) : allocateZeroed(dtype, n);
            } catch (OutOfMemoryError e) {
                if (attempt == 0) {
                    Recycler.release();
                    continue;
                }
                OutOfMemoryError described = new OutOfMemoryError(outOfMemoryMessage(dtype, shape, n));
                described.initCause(e);
                throw described;
            }
        }
    }

    private static CpuStorage allocateZeroed(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> ofFloats(new float[n]);
            case FLOAT64 -> ofDoubles(new double[n]);
            case INT64 -> ofLongs(new long[n]);
            case INT32 -> ofInts(new int[n]);
            case INT16, FLOAT16, BFLOAT16 -> ofShorts(new short[n]);
            case INT8, UINT8, BOOL -> ofBytes(new byte[n]);
        };
    }

    /**
     * Storage for a tensor of {@code dtype} and {@code shape} whose every element the caller writes
     * before reading any: for float32, float64 and int64 tensors of {@link Recycler#MIN_ELEMENTS}
     * elements or more, the array of a tensor that became unreachable when there is one (its old
     * contents left in place), and otherwise a new one. Such an array must not leave the backend.
     */
    public static CpuStorage allocateUninitialized(DType dtype, int... shape) {
        return allocate(dtype, shape, true);
    }

    private static CpuStorage recycledOrNew(DType dtype, int n) {
        int kind = switch (dtype) {
            case FLOAT32 -> 0;
            case FLOAT64 -> 1;
            case INT64 -> 2;
            default -> -1;
        };
        if (kind < 0) return allocateZeroed(dtype, n);
        Object a = Recycler.take(kind, n);
        CpuStorage s = a != null ? switch (kind) {
            case 0 -> ofFloats((float[]) a);
            case 1 -> ofDoubles((double[]) a);
            default -> ofLongs((long[]) a);
        } : allocateZeroed(dtype, n);
        Object array = kind == 0 ? s.floats : kind == 1 ? s.doubles : s.longs;
        Recycler.poison(array);
        Recycler.track(s, array, kind, n);
        return s;
    }

    static String outOfMemoryMessage(DType dtype, int[] shape, int numel) {
        long bytes = (long) numel * dtype.itemSize();
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

    /**
     * Puts elements {@code pos .. pos+n} of {@code t} (any dtype) into {@code dst} in its byte
     * order, the bits unchanged, and advances it.
     */
    static void toBytes(Tensor t, int pos, int n, java.nio.ByteBuffer dst) {
        int at = dst.position();
        switch (t.dtype()) {
            case FLOAT32 -> dst.asFloatBuffer().put(floats(t), pos, n);
            case INT64 -> dst.asLongBuffer().put(longs(t), pos, n);
            case FLOAT64 -> dst.asDoubleBuffer().put(doubles(t), pos, n);
            case INT32 -> dst.asIntBuffer().put(ints(t), pos, n);
            case INT16, FLOAT16, BFLOAT16 -> dst.asShortBuffer().put(shorts(t), pos, n);
            case INT8, UINT8, BOOL -> dst.put(bytes(t), pos, n);
            default -> throw new IllegalArgumentException("no byte copy for " + t.dtype().torchName() + " here");
        }
        dst.position(at + n * t.dtype().itemSize());
    }

    /** The reverse of {@link #toBytes}: {@code n} elements from {@code src} into {@code t} at {@code pos}. */
    static void fromBytes(java.nio.ByteBuffer src, Tensor t, int pos, int n) {
        int at = src.position();
        switch (t.dtype()) {
            case FLOAT32 -> src.asFloatBuffer().get(floats(t), pos, n);
            case INT64 -> src.asLongBuffer().get(longs(t), pos, n);
            case FLOAT64 -> src.asDoubleBuffer().get(doubles(t), pos, n);
            case INT32 -> src.asIntBuffer().get(ints(t), pos, n);
            case INT16, FLOAT16, BFLOAT16 -> src.asShortBuffer().get(shorts(t), pos, n);
            case INT8, UINT8 -> src.get(bytes(t), pos, n);
            case BOOL -> {   // the format's bool is any non-zero byte; the storage keeps 0 or 1
                byte[] b = bytes(t);
                for (int i = 0; i < n; i++) b[pos + i] = src.get() != 0 ? (byte) 1 : (byte) 0;
            }
            default -> throw new IllegalArgumentException("no byte copy for " + t.dtype().torchName() + " here");
        }
        src.position(at + n * t.dtype().itemSize());
    }

    /** The float array (FLOAT32 tensors). */
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

    /** The int array (INT32 tensors). */
    public int[] ints() {
        if (ints == null) throw new IllegalStateException("storage holds " + holds() + ", not int32 values");
        return ints;
    }

    /** The short array (INT16 values, or the bits of FLOAT16 and BFLOAT16 values). */
    public short[] shorts() {
        if (shorts == null) throw new IllegalStateException("storage holds " + holds() + ", not 16-bit values");
        return shorts;
    }

    /** The byte array (INT8, UINT8 and BOOL tensors). */
    public byte[] bytes() {
        if (bytes == null) throw new IllegalStateException("storage holds " + holds() + ", not 8-bit values");
        return bytes;
    }

    private String holds() {
        return floats != null ? "floats" : longs != null ? "int64 values" : doubles != null ? "doubles"
                : ints != null ? "int32 values" : shorts != null ? "16-bit values" : "8-bit values";
    }

    @Override
    public int capacity() {
        return floats != null ? floats.length : longs != null ? longs.length : doubles != null ? doubles.length
                : ints != null ? ints.length : shorts != null ? shorts.length : bytes.length;
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
