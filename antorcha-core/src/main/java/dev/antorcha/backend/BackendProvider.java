package dev.antorcha.backend;

import dev.antorcha.tensor.Device;

/**
 * A service that supplies a backend for a non-CPU device. A GPU module registers one in
 * {@code META-INF/services/dev.antorcha.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** The backend for {@code device}, or {@code null} if this provider does not serve it. */
    Backend backendFor(Device device);

    /** How many devices of {@code type} this provider can serve now (0 where its libraries or devices are missing). */
    default int deviceCount(Device.Type type) {
        return 0;
    }

    /**
     * Why this provider does not serve {@code device} although it deals in its type (a library or
     * the driver missing, no such device), or null when it serves it or does not deal in its type.
     */
    default String unavailableReason(Device device) {
        return null;
    }
}
