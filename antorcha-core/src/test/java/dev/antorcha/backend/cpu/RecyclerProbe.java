package dev.antorcha.backend.cpu;

import dev.antorcha.backend.Backends;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;

/**
 * Run by {@link RecyclerTest} in a JVM of its own with the launcher's CNN heap (a young generation
 * of 6 MB): makes a tracked array, drops its tensor and at once asks for one of the same length,
 * printing {@code same} when the dropped array came back, {@code fresh} when a new one was made
 * (after one round through {@code System.gc()}, so that the JVM's reference handler is running).
 */
public final class RecyclerProbe {
    private RecyclerProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        // once through a collection first, so that the reference handler has run before
        float[] warm = CpuStorage.floats(Backends.cpu().uninitialized(DType.FLOAT32, Recycler.MIN_ELEMENTS + 3));
        System.gc();
        Thread.sleep(20);
        // held to the end: the provoked collection below then finds one dropped storage, the one asked about
        // (it stops waiting for the reference handler at the first it queues)
        Tensor again = Backends.cpu().uninitialized(DType.FLOAT32, Recycler.MIN_ELEMENTS + 3);
        if (CpuStorage.floats(again) != warm) System.out.println("warm-up: the dropped array did not come back after System.gc()");
        int n = Recycler.MIN_ELEMENTS + 7;
        Tensor t = Backends.cpu().uninitialized(DType.FLOAT32, n);
        float[] first = CpuStorage.floats(t);
        t = null;
        Tensor u = Backends.cpu().uninitialized(DType.FLOAT32, n);
        System.out.println(CpuStorage.floats(u) == first ? "same" : "fresh");
        java.lang.ref.Reference.reachabilityFence(again);
    }
}
