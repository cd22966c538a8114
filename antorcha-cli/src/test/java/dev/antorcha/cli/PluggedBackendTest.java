package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.backend.Backend;
import dev.antorcha.backend.BackendProvider;
import dev.antorcha.backend.Backends;
import dev.antorcha.tensor.Device;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * A backend from outside the core plugs in the way a GPU module would: one class implementing
 * {@link BackendProvider}, listed in this module's test {@code META-INF/services}; the core
 * names nothing of it. It serves only {@code cuda:15}, so no other test meets it.
 */
class PluggedBackendTest {
    static final Device PLUGGED = new Device(Device.Type.CUDA, 15);

    /** The registered provider: a backend whose every kernel says it is a stand-in. */
    public static final class Provider implements BackendProvider {
        @Override
        public Backend backendFor(Device device) {
            if (!device.equals(PLUGGED)) return null;
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "device" -> PLUGGED;
                        case "describeKernels" -> "no, a test stand-in";
                        case "toString" -> "plugged backend";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void theCoreFindsABackendItDoesNotName() {
        Backend b = Backends.forDevice(PLUGGED);
        assertThat(b.device()).isEqualTo(PLUGGED);
        assertThat(b.describeKernels()).isEqualTo("no, a test stand-in");
        assertThat(Backends.forDevice(PLUGGED)).as("found once").isSameAs(b);
        assertThat(Backends.cpu().device()).isEqualTo(Device.CPU);
    }

    @Test
    void otherDevicesStillHaveNone() {
        assertThatThrownBy(() -> Backends.forDevice(new Device(Device.Type.CUDA, 14)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cuda:14");
    }
}
