package dev.antorcha.parity.archfixture;

import dev.antorcha.vision.datasets.MNIST;

/** Breaks "the parity checker depends on the core only" for {@code ArchitectureTest}: never used otherwise. */
public final class ParityUsingVision {
    private ParityUsingVision() {
    }

    static int size(MNIST<?> data) {
        return data.size();
    }
}
