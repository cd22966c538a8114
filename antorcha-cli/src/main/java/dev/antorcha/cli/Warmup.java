package dev.antorcha.cli;

import dev.antorcha.backend.cpu.VectorizationProvider;

/**
 * Gets the JIT compiler going from the first millisecond: a daemon thread calls the hot SIMD
 * kernels on tiny inputs while the command parses its options and loads the data. The Vector
 * API is only fast once C2 has compiled it (and very slow before), so without this the first
 * training iterations would pay for the compilation. The thread shares no data with the real
 * work, so results are exactly what they would be without it.
 */
final class Warmup {
    private Warmup() {
    }

    static void startInBackground() {
        Thread.ofPlatform().daemon().name("antorcha-warmup").start(VectorizationProvider::warmUp);
    }
}
