package dev.antorcha.backend;

import dev.antorcha.tensor.Device;

/**
 * A service that supplies a backend for a non-CPU device. A GPU module registers one in
 * {@code META-INF/services/dev.antorcha.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** The backend for {@code device}, or {@code null} if this provider does not serve it. */
    Backend backendFor(Device device);
}
