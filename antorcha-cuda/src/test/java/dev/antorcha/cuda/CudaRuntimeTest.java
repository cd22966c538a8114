package dev.antorcha.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import dev.antorcha.Cuda;
import dev.antorcha.nn.Linear;
import dev.antorcha.tensor.Device;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether CUDA can be used, and what a user sees where it cannot. */
class CudaRuntimeTest {

    @Test
    void withoutTheDriverNothingIsAvailableAndTheReasonSaysWhereItLooked() {
        CudaRuntime rt = CudaRuntime.probe(new CudaLibraries(Map.of(), name -> false, List.of()));
        assertThat(rt.isAvailable()).isFalse();
        assertThat(rt.deviceCount()).isZero();
        assertThat(rt.unavailableReason()).startsWith("the CUDA driver (libcuda) not found; looked in ANTORCHA_CUDA_LIBS (not set)");
        assertThatThrownBy(() -> rt.device(0)).isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("cannot use cuda:0: the CUDA driver (libcuda) not found");
    }

    @Test
    void theCoreSeesThisModulesProvider() {
        // these tests' class path adds an emulated GPU as cuda:0 where no real one can be used (EmulatedGpu)
        assertThat(Cuda.isAvailable()).isTrue();
        assertThat(Cuda.unavailableReason()).isNull();
        CudaBackendProvider real = new CudaBackendProvider();
        if (CudaRuntime.get().isAvailable()) {
            assertThat(real.deviceCount(Device.Type.CUDA)).isPositive();
            assertThat(real.unavailableReason(Device.cuda())).isNull();
        } else {
            assertThat(real.deviceCount(Device.Type.CUDA)).isZero();
            assertThat(real.backendFor(Device.cuda())).isNull();
            assertThat(real.unavailableReason(Device.cuda())).isEqualTo(CudaRuntime.get().unavailableReason()).isNotBlank();
        }
    }

    @Test
    void movingATensorOrAModuleToAMissingGpuFailsWithTheReasonInOneLine() {
        assumeFalse(CudaRuntime.get().isAvailable(), "this machine has a usable GPU");
        Device second = new Device(Device.Type.CUDA, 1);   // the emulated GPU is cuda:0 only
        String reason = CudaRuntime.get().unavailableReason();
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).to(second)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot use cuda:1: " + reason);
        Linear layer = new Linear(4, 2);
        assertThatThrownBy(() -> layer.to(second)).isInstanceOf(IllegalStateException.class).hasMessage("cannot use cuda:1: " + reason);
        assertThat(layer.weight.device()).isEqualTo(Device.CPU);   // nothing moved
    }

    @Test
    void aDriverWithoutADeviceIsReportedInTheDriversOwnWords() {
        CudaLibraries libs = CudaLibraries.ofProcess();
        boolean driverPresent;
        try {
            libs.locate(CudaLibraries.Library.DRIVER);
            driverPresent = true;
        } catch (CudaUnavailableException e) {
            driverPresent = false;
        }
        assumeTrue(driverPresent, "no CUDA driver (libcuda.so.1) on this machine");
        CudaRuntime rt = CudaRuntime.probe(libs);
        if (rt.isAvailable()) {
            assertThat(rt.driverVersion()).matches("\\d+\\.\\d+");
        } else {
            // the driver's library loaded and answered through FFM: its error's name comes from cuGetErrorName
            assertThat(rt.unavailableReason()).containsPattern("cuInit failed: CUDA_ERROR_[A-Z_]+ \\(\\d+\\): ");
        }
    }
}
