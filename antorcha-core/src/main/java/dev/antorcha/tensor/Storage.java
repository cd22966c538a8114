package dev.antorcha.tensor;

/**
 * The flat memory behind one or more tensors (a tensor and its views share one storage), plus
 * the version counter that in-place operations bump so that autograd can detect a saved value
 * that was overwritten. CPU storage is a plain Java array: nothing to close.
 */
public final class Storage {
    private final float[] floats;
    private final long[] longs;
    private final Device device;
    private int version;

    private Storage(float[] floats, long[] longs, Device device) {
        this.floats = floats;
        this.longs = longs;
        this.device = device;
    }

    public static Storage ofFloats(float[] data) {
        return new Storage(data, null, Device.CPU);
    }

    public static Storage ofLongs(long[] data) {
        return new Storage(null, data, Device.CPU);
    }

    /** The float array (FLOAT32 and BOOL tensors). */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException("storage holds int64 values, not floats");
        return floats;
    }

    /** The long array (INT64 tensors). */
    public long[] longs() {
        if (longs == null) throw new IllegalStateException("storage holds floats, not int64 values");
        return longs;
    }

    public int capacity() {
        return floats != null ? floats.length : longs.length;
    }

    public Device device() {
        return device;
    }

    /** How many in-place modifications this storage has seen. */
    public int version() {
        return version;
    }

    /** Records one in-place modification. */
    public void bumpVersion() {
        version++;
    }
}
