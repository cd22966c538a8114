package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.backend.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code antorcha info}: version, Java, SIMD and threads. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the version, the Java runtime, SIMD use and threads.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("antorcha " + Main.version());
        System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("simd: " + Backends.cpu().describeKernels());
        System.out.println("threads: " + Antorcha.getNumThreads() + " (cores available: " + Runtime.getRuntime().availableProcessors() + ")");
        return 0;
    }
}
