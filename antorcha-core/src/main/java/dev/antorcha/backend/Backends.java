package dev.antorcha.backend;

import dev.antorcha.backend.cpu.CpuBackend;
import dev.antorcha.tensor.Device;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/** Finds the backend of a device: the built-in CPU one, or one supplied by a {@link BackendProvider}. */
public final class Backends {
    private static final Map<Device, Backend> FOUND = new ConcurrentHashMap<>();

    private Backends() {
    }

    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }

    /** The backend for {@code device}; a clear error when none is installed. */
    public static Backend forDevice(Device device) {
        if (device.type() == Device.Type.CPU) return CpuBackend.INSTANCE;
        Backend b = FOUND.computeIfAbsent(device, Backends::load);
        return b;
    }

    private static Backend load(Device device) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            Backend b = p.backendFor(device);
            if (b != null) return b;
        }
        throw new IllegalStateException("no " + device.type() + " backend available for device '" + device
                + "': this build of Antorcha runs on the CPU only (use Device.CPU)");
    }
}
