/**
 * Antorcha's core: tensors, autograd, nn, optim, data and io, PyTorch's programming model.
 * Only the API packages are exported; the CPU kernels ({@code backend.cpu}), the op
 * implementations ({@code ops}) and the parity checker stay internal, so they can change
 * without breaking users. {@code dev.antorcha.backend} is exported because it is the service
 * interface that other backends will implement ({@link dev.antorcha.backend.BackendProvider},
 * found by {@link java.util.ServiceLoader}).
 */
module dev.antorcha.core {
    // Optional: the SIMD kernels are used when the JVM runs with --add-modules
    // jdk.incubator.vector (VectorizationProvider asks the boot layer), scalar loops otherwise.
    requires static jdk.incubator.vector;

    exports dev.antorcha;
    exports dev.antorcha.autograd;
    exports dev.antorcha.backend;
    exports dev.antorcha.data;
    exports dev.antorcha.io;
    exports dev.antorcha.nn;
    exports dev.antorcha.nn.functional;
    exports dev.antorcha.nn.utils;
    exports dev.antorcha.optim;
    exports dev.antorcha.tensor;

    uses dev.antorcha.backend.BackendProvider;
    provides dev.antorcha.backend.BackendProvider with dev.antorcha.backend.cpu.CpuBackendProvider;
}
