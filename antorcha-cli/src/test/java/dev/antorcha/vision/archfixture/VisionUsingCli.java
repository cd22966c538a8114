package dev.antorcha.vision.archfixture;

import dev.antorcha.cli.Main;

/** Breaks "vision depends on the core only" for {@code ArchitectureTest}: never used otherwise. */
public final class VisionUsingCli {
    private VisionUsingCli() {
    }

    static void run(Main command) {
        command.run();
    }
}
