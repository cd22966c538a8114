package dev.antorcha.backend;

import dev.antorcha.tensor.Device;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory behind one or more tensors (a tensor and its views share one storage), owned by the
 * backend that made it: only that backend reads or writes the elements, so a tensor's memory can
 * live on the Java heap, off it, or on a device without any code outside the backend noticing.
 * What every storage shares is the version counter that in-place operations bump, so that
 * autograd can detect a saved value that was overwritten.
 *
 * <p>Not sealed: a backend in another module (a GPU one, found through {@link BackendProvider})
 * brings its own subclass.
 */
public abstract class Storage {
    private static final AtomicLong SERIALS = new AtomicLong();
    private int version;
    /** When this storage was made, in the order of all storages made in this process. */
    private final long serial = SERIALS.getAndIncrement();

    protected Storage() {
    }

    /** The device this memory lives on. */
    public abstract Device device();

    /** The backend that owns this memory and runs the kernels of tensors over it. */
    public abstract Backend backend();

    /** How many elements the memory holds (a view may cover fewer). */
    public abstract int capacity();

    /**
     * This storage's place in the order in which the process made storages: autograd's engine tells
     * a gradient that a backward made (at or after {@link #nextSerial()} as it was before the call)
     * from one that the backward kept or passed through.
     */
    public final long serial() {
        return serial;
    }

    /** The serial the next storage made will have. */
    public static long nextSerial() {
        return SERIALS.get();
    }

    /** How many in-place modifications this storage has seen. */
    public final int version() {
        return version;
    }

    /** Records one in-place modification. */
    public final void bumpVersion() {
        version++;
    }
}
