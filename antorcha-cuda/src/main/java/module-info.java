/**
 * Antorcha's CUDA backend: {@link dev.antorcha.cuda.Cuda} says whether a GPU is usable and why
 * not; tensors on {@code Device.cuda()} are served by the backend this module provides to the
 * core's {@link java.util.ServiceLoader}. It calls NVIDIA's libraries (the driver's
 * {@code libcuda.so.1}, NVRTC, cuBLAS) through the Foreign Function and Memory API, so the JVM
 * needs {@code --enable-native-access=dev.antorcha.cuda} (or {@code ALL-UNNAMED} on the class path).
 */
module dev.antorcha.cuda {
    requires transitive dev.antorcha.core;
    requires java.management;   // the collector's run count: the allocator provokes young collections

    exports dev.antorcha.cuda;

    provides dev.antorcha.backend.BackendProvider with dev.antorcha.cuda.CudaBackendProvider;
}
