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
        if (Cuda.isAvailable()) {
            assertThat(Cuda.deviceCount()).isPositive();
            assertThat(Cuda.unavailableReason()).isNull();
        } else {
            assertThat(Cuda.deviceCount()).isZero();
            assertThat(Cuda.unavailableReason()).isEqualTo(CudaRuntime.get().unavailableReason()).isNotBlank();
        }
    }

    @Test
    void movingATensorOrAModuleToAMissingGpuFailsWithTheReasonInOneLine() {
        assumeFalse(Cuda.isAvailable(), "this machine has a usable GPU");
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).to(Device.cuda())).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot use cuda:0: " + Cuda.unavailableReason());
        assertThatThrownBy(() -> Antorcha.zeros(2, 3).cuda()).hasMessage("cannot use cuda:0: " + Cuda.unavailableReason());
        Linear layer = new Linear(4, 2);
        assertThatThrownBy(() -> layer.to(Device.cuda())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(layer::cuda).isInstanceOf(IllegalStateException.class);
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
