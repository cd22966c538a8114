package dev.antorcha.cuda;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.tensor.Device;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code cuda:N} devices to the core's {@link java.util.ServiceLoader}. Where CUDA cannot
 * be used it serves none and gives the one-line reason, which the core puts in its error: which
 * library is missing and where it was looked for, or what the driver said.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final ConcurrentHashMap<Integer, CudaBackend> BACKENDS = new ConcurrentHashMap<>();

    /** For {@link java.util.ServiceLoader}; probes nothing until a device is asked for. */
    public CudaBackendProvider() {
    }

    @Override
    public Backend backendFor(Device device) {
        CudaRuntime rt = CudaRuntime.get();
        if (device.type() != Device.Type.CUDA || device.index() >= rt.deviceCount()) return null;
        return BACKENDS.computeIfAbsent(device.index(), i -> new CudaBackend(device, rt.device(i)));
    }

    @Override
    public int deviceCount(Device.Type type) {
        return type == Device.Type.CUDA ? CudaRuntime.get().deviceCount() : 0;
    }

    @Override
    public String unavailableReason(Device device) {
        if (device.type() != Device.Type.CUDA) return null;
        CudaRuntime rt = CudaRuntime.get();
        if (!rt.isAvailable()) return rt.unavailableReason();
        int n = rt.deviceCount();
        return device.index() < n ? null
                : "the driver reports " + n + (n == 1 ? " device (cuda:0)" : " devices (cuda:0 to cuda:" + (n - 1) + ")");
    }
}
