package dev.antorcha.backend.cpu;

import dev.antorcha.backend.Backends;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Run by {@link RecyclerTest} in a JVM of its own with the launcher's CNN heap (a young generation
 * of 6 MB): makes a tracked array, drops its tensor and at once asks for one of the same length,
 * printing {@code same} when the dropped array came back, {@code fresh} when a new one was made.
 */
public final class RecyclerProbe {
    private RecyclerProbe() {
    }

    public static void main(String[] args) {
        int n = Recycler.MIN_ELEMENTS + 7;
        Tensor t = Backends.cpu().uninitialized(DType.FLOAT32, n);
        float[] first = CpuStorage.floats(t);
        t = null;
        Tensor u = Backends.cpu().uninitialized(DType.FLOAT32, n);
        System.out.println(CpuStorage.floats(u) == first ? "same" : "fresh");
    }
}
