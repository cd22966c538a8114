package dev.antorcha.cuda;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.tensor.Device;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code cuda:N} devices to the core's {@link java.util.ServiceLoader}. Where CUDA cannot
 * be used, asking for a CUDA device fails with the one-line reason ({@link CudaUnavailableException}):
 * which library is missing and where it was looked for, or what the driver said.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final ConcurrentHashMap<Integer, CudaBackend> BACKENDS = new ConcurrentHashMap<>();

    /** For {@link java.util.ServiceLoader}; probes nothing until a device is asked for. */
    public CudaBackendProvider() {
    }

    @Override
    public Backend backendFor(Device device) {
        if (device.type() != Device.Type.CUDA) return null;
        CudaDevice gpu = CudaRuntime.get().device(device.index());
        return BACKENDS.computeIfAbsent(device.index(), i -> new CudaBackend(device, gpu));
    }

    @Override
    public int deviceCount(Device.Type type) {
        return type == Device.Type.CUDA ? CudaRuntime.get().deviceCount() : 0;
    }

    @Override
    public String unavailableReason(Device.Type type) {
        return type == Device.Type.CUDA ? CudaRuntime.get().unavailableReason() : null;
    }
}
