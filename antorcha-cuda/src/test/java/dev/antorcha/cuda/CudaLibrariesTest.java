package dev.antorcha.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the libraries are looked for, on machines laid out in a temporary folder. */
class CudaLibrariesTest {
    @TempDir
    Path root;

    private Path file(String path) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "not a real library");
        return p;
    }

    private CudaLibraries machine(Map<String, String> env, String... systemNames) {
        List<String> system = List.of(systemNames);
        return new CudaLibraries(env, system::contains, List.of(root.resolve("usr/local/cuda"), root.resolve("usr/lib")));
    }

    @Test
    void nothingInstalledNamesEveryPlaceLookedIn() {
        assertThatThrownBy(() -> machine(Map.of()).locate(CudaLibraries.Library.NVRTC))
                .isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("NVRTC, CUDA's runtime compiler (libnvrtc) not found; looked in ")
                .hasMessageContaining("ANTORCHA_CUDA_LIBS (not set)")
                .hasMessageContaining("CUDA_HOME (not set)")
                .hasMessageContaining("CUDA_PATH (not set)")
                .hasMessageContaining("the system loader (libnvrtc.so.13, libnvrtc.so.12, libnvrtc.so.11.2, libnvrtc.so)")
                .hasMessageContaining(root.resolve("usr/local/cuda").toString())
                .hasMessageContaining("NVIDIA's Python wheels (no site-packages/nvidia/*/lib found)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theOverrideComesFirstAndTheNewestVersionWins() throws IOException {
        file("override/libnvrtc.so.12");
        Path newest = file("override/libnvrtc.so.13.0.48");
        file("override/libnvrtc-builtins.so.13.0");
        file("cuda/lib64/libnvrtc.so.13");
        CudaLibraries.Location l = machine(Map.of("ANTORCHA_CUDA_LIBS", root.resolve("override").toString(), "CUDA_HOME",
                root.resolve("cuda").toString()), "libnvrtc.so.12").locate(CudaLibraries.Library.NVRTC);
        assertThat(l.target()).isEqualTo(newest.toString());
        assertThat(l.isFile()).isTrue();
        assertThat(l.how()).isEqualTo("ANTORCHA_CUDA_LIBS");
    }

    @Test
    void cudaHomeBeforeTheSystemLoaderAndTheDriverStubsAreNeverTaken() throws IOException {
        file("cuda/lib64/stubs/libcuda.so");
        Path cublas = file("cuda/targets/x86_64-linux/lib/libcublas.so.12");
        file("cuda/lib64/libcublasLt.so.12");   // another library whose name starts the same
        CudaLibraries m = machine(Map.of("CUDA_HOME", root.resolve("cuda").toString()), "libcublas.so.11");
        assertThat(m.locate(CudaLibraries.Library.CUBLAS).target()).isEqualTo(cublas.toString());
        assertThatThrownBy(() -> m.locate(CudaLibraries.Library.DRIVER)).hasMessageContaining("CUDA_HOME (" + root.resolve("cuda") + ")");
        CudaLibraries.Location driver = machine(Map.of("CUDA_HOME", root.resolve("cuda").toString()), "libcuda.so.1")
                .locate(CudaLibraries.Library.DRIVER);
        assertThat(driver.target()).isEqualTo("libcuda.so.1");
        assertThat(driver.isFile()).isFalse();
        assertThat(driver.how()).isEqualTo("the system loader");
    }

    @Test
    void nvidiasPythonWheelsOfAVirtualEnvironment() throws IOException {
        Path cudnn = file("venv/lib/python3.12/site-packages/nvidia/cudnn/lib/libcudnn.so.9");
        file("venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12");
        CudaLibraries m = machine(Map.of("VIRTUAL_ENV", root.resolve("venv").toString()));
        CudaLibraries.Location l = m.locate(CudaLibraries.Library.CUDNN);
        assertThat(l.target()).isEqualTo(cudnn.toString());
        assertThat(l.how()).isEqualTo("NVIDIA's Python wheels");
        assertThat(m.wheelFolders()).hasSize(2);
    }

    @Test
    void wheelsOfTheSystemsPythonAndTheUsersAreFoundToo() throws IOException {
        Path user = file("home/lib/.local/lib/python3.11/site-packages/nvidia/cu13/lib/libnvrtc.so.13");
        Path system = file("usr/lib/python3/dist-packages/nvidia/cublas/lib/libcublas.so.13");
        CudaLibraries m = machine(Map.of("HOME", root.resolve("home/lib").toString()));
        assertThat(m.locate(CudaLibraries.Library.NVRTC).target()).isEqualTo(user.toString());
        assertThat(m.locate(CudaLibraries.Library.CUBLAS).target()).isEqualTo(system.toString());
    }

    @Test
    void aFileNamedInTheOverrideIsTakenAsItIs() throws IOException {
        Path lib = file("somewhere/libcuda.so.1");
        CudaLibraries.Location l = machine(Map.of("ANTORCHA_CUDA_LIBS", lib.toString())).locate(CudaLibraries.Library.DRIVER);
        assertThat(l.target()).isEqualTo(lib.toString());
    }

    @Test
    void aLibraryThatCannotBeLoadedSaysWhichFileAndWhereFrom() throws IOException {
        Path fake = file("override/libcublas.so.12");
        CudaLibraries.Location l = machine(Map.of("ANTORCHA_CUDA_LIBS", root.resolve("override").toString()))
                .locate(CudaLibraries.Library.CUBLAS);
        assertThatThrownBy(() -> NativeLibrary.open(l)).isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("cuBLAS (libcublas) at " + fake + " (from ANTORCHA_CUDA_LIBS) could not be loaded");
    }
}
