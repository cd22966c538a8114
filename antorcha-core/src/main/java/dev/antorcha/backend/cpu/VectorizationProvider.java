package dev.antorcha.backend.cpu;

/**
 * Chooses the kernels once, at class initialisation (Lucene's {@code VectorizationProvider}
 * pattern): the SIMD kernels when the {@code jdk.incubator.vector} module is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}), the scalar kernels
 * otherwise. A user who never heard of the flag still gets correct results, only slower.
 */
public final class VectorizationProvider {
    private static final FloatKernels KERNELS = choose();

    private VectorizationProvider() {
    }

    /** The kernels in use by this JVM. */
    public static FloatKernels kernels() {
        return KERNELS;
    }

    /** Whether the SIMD kernels could be used in this JVM. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The SIMD kernels, for tests that compare both paths; empty when the module is absent. */
    public static java.util.Optional<FloatKernels> simdKernels() {
        return vectorModulePresent() ? java.util.Optional.of(new PanamaKernels()) : java.util.Optional.empty();
    }

    /** The scalar kernels, always available. */
    public static FloatKernels scalarKernels() {
        return new ScalarKernels();
    }

    private static FloatKernels choose() {
        if (!vectorModulePresent()) return new ScalarKernels();
        try {
            FloatKernels k = new PanamaKernels();
            // Fewer than 4 lanes (no SIMD unit the JIT can use) is slower than plain loops.
            return k.lanes() >= 4 ? k : new ScalarKernels();
        } catch (LinkageError e) {
            return new ScalarKernels();
        }
    }
}
