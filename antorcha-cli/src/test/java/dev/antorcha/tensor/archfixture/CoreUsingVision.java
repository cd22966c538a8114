package dev.antorcha.tensor.archfixture;

import dev.antorcha.vision.datasets.MNIST;

/** Breaks "the core depends on no other module" for {@code ArchitectureTest}: never used otherwise. */
public final class CoreUsingVision {
    private CoreUsingVision() {
    }

    static int size(MNIST<?> data) {
        return data.size();
    }
}
