package dev.antorcha.vision.archfixture;

import dev.antorcha.backend.cpu.CpuStorage;
import dev.antorcha.tensor.Tensor;

/** Breaks "no module outside the core touches the CPU backend" for {@code ArchitectureTest}: never used otherwise. */
public final class VisionUsingCpuBackend {
    private VisionUsingCpuBackend() {
    }

    static float first(Tensor t) {
        return CpuStorage.floats(t)[0];
    }
}
