package dev.antorcha.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Device;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The core finds its backends, the CPU one included, through ServiceLoader. */
class BackendsTest {

    @Test
    void theCpuBackendIsTheOneItsRegisteredProviderGives() {
        BackendProvider registered = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.getClass().getName().equals("dev.antorcha.backend.cpu.CpuBackendProvider"))
                .findFirst().orElseThrow(() -> new AssertionError("no CPU backend registered as a service"));
        assertThat(registered.backendFor(Device.CPU)).isSameAs(Backends.cpu());
        assertThat(registered.backendFor(Device.cuda())).isNull();
        assertThat(Backends.forDevice(Device.CPU)).isSameAs(Backends.cpu());
        assertThat(Backends.cpu().device()).isEqualTo(Device.CPU);
    }

    @Test
    void aTensorsBackendIsItsStoragesOwner() {
        var x = Antorcha.zeros(2);
        assertThat(x.backend()).isSameAs(x.storage().backend()).isSameAs(Backends.cpu());
        assertThat(x.storage().device()).isEqualTo(Device.CPU);
    }

    @Test
    void theDefaultDeviceCannotBeOneWithoutABackend() {
        assertThat(Antorcha.getDefaultDevice()).isEqualTo(Device.CPU);
        assertThatThrownBy(() -> Antorcha.setDefaultDevice(Device.cuda())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no CUDA backend available");
        assertThat(Antorcha.getDefaultDevice()).isEqualTo(Device.CPU);
        Antorcha.setDefaultDevice(Device.CPU);
        assertThat(Antorcha.zeros(2).device()).isEqualTo(Device.CPU);
        assertThat(Antorcha.tensor(new float[] {1f, 2f}).device()).isEqualTo(Device.CPU);
    }

    @Test
    void withoutACudaModuleCudaIsUnavailableAndSaysWhy() {
        assertThat(dev.antorcha.Cuda.isAvailable()).isFalse();
        assertThat(dev.antorcha.Cuda.deviceCount()).isZero();
        assertThat(dev.antorcha.Cuda.unavailableReason()).startsWith("no CUDA backend is installed");
        assertThat(Backends.deviceCount(Device.Type.CPU)).isEqualTo(1);
        assertThat(Backends.unavailableReason(Device.CPU)).isNull();
    }

    @Test
    void aDeviceWithoutABackendSaysSo() {
        assertThatThrownBy(() -> Backends.forDevice(Device.of("cuda:3"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no CUDA backend available").hasMessageContaining("cuda:3");
    }
}
