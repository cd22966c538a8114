package dev.antorcha.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel's arguments, in order: laid out in an arena as {@code cuLaunchKernel} reads them (an
 * array of pointers to the values), and kept as Java values for an emulated device.
 */
final class KernelArgs implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> segments = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    private KernelArgs add(MemorySegment segment, Object value) {
        segments.add(segment);
        values.add(value);
        return this;
    }

    /** A device pointer (0 for a null one). */
    KernelArgs pointer(long devicePointer) {
        return add(arena.allocateFrom(ValueLayout.JAVA_LONG, devicePointer), devicePointer);
    }

    KernelArgs i32(int v) {
        return add(arena.allocateFrom(ValueLayout.JAVA_INT, v), v);
    }

    KernelArgs i64(long v) {
        return add(arena.allocateFrom(ValueLayout.JAVA_LONG, v), v);
    }

    KernelArgs f32(float v) {
        return add(arena.allocateFrom(ValueLayout.JAVA_FLOAT, v), v);
    }

    KernelArgs f64(double v) {
        return add(arena.allocateFrom(ValueLayout.JAVA_DOUBLE, v), v);
    }

    /** A struct passed by value: its 8-byte words. */
    KernelArgs struct(long[] words) {
        return add(arena.allocateFrom(ValueLayout.JAVA_LONG, words), words.clone());
    }

    /** The values as given ({@code Long} for pointers and i64, {@code long[]} for structs). */
    List<Object> values() {
        return values;
    }

    MemorySegment pointers() {
        MemorySegment p = arena.allocate(ValueLayout.ADDRESS, Math.max(1, segments.size()));
        for (int i = 0; i < segments.size(); i++) p.setAtIndex(ValueLayout.ADDRESS, i, segments.get(i));
        return p;
    }

    @Override
    public void close() {
        arena.close();
    }
}
