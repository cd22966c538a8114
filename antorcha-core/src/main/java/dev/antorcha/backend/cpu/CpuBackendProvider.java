package dev.antorcha.backend.cpu;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.tensor.Device;

/** Registers the CPU backend with {@link java.util.ServiceLoader} (module-info and META-INF/services). */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public Backend backendFor(Device device) {
        return device.type() == Device.Type.CPU ? CpuBackend.INSTANCE : null;
    }
}
