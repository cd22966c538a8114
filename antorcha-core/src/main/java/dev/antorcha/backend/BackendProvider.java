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
     * Why this provider serves no device of {@code type} although it is meant to (a library or the
     * driver missing), or null when it serves some or does not deal in that type.
     */
    default String unavailableReason(Device.Type type) {
        return null;
    }
}
