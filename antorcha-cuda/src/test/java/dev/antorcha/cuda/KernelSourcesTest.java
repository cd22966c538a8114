package dev.antorcha.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kernel the backend can ask for compiles: each source with each set of defines that
 * {@link CudaKernels} builds, through NVRTC (found as the backend finds it; skipped, with the
 * reason, where it is missing), to PTX for the H100's architecture. No GPU is needed.
 */
class KernelSourcesTest {
    private static final String ARCH = "compute_90";
    private static Nvrtc nvrtc;
    private static String missing;

    @BeforeAll
    static void findNvrtc() {
        try {
            nvrtc = new Nvrtc(NativeLibrary.open(CudaLibraries.ofProcess().locate(CudaLibraries.Library.NVRTC)));
        } catch (CudaUnavailableException e) {
            missing = e.getMessage();
        }
    }

    private static String compile(String file, List<String> defines) {
        assumeTrue(nvrtc != null, () -> "NVRTC is not installed: " + missing);
        String source = CudaDevice.KernelSources.withDefines(CudaDevice.KernelSources.read(file), defines);
        byte[] ptx = nvrtc.compile(source, file + ".cu", CudaDevice.compileOptions(ARCH), false);
        return new String(ptx, StandardCharsets.UTF_8);
    }

    @Test
    void theRowKernelsAndTheOptimizerSteps() {
        String rows = compile("rows", List.of());
        for (String k : List.of("log_softmax", "log_softmax_backward", "nll_rows", "cross_entropy_backward", "argmax_rows",
                "sum_inner", "divide_first", "add_rows")) {
            assertThat(rows).contains(".entry " + k + "(");
        }
        String optim = compile("optim", List.of());
        assertThat(optim).contains(".entry adam(").contains(".entry sgd(").contains(".entry adadelta(");
        assertThat(compile("pool", List.of())).contains(".entry max_pool2d(").contains(".entry max_pool2d_backward(");
        assertThat(compile("conv", List.of())).contains(".entry im2col(").contains(".entry col2im(").contains(".entry add_channel_bias(");
        assertThat(compile("dropout", List.of())).contains(".entry dropout(");
        assertThat(compile("recurrent", List.of())).contains(".entry lstm_cell(").contains(".entry lstm_cell_backward(");
        assertThat(compile("index", List.of())).contains(".entry index_select_rows(").contains(".entry index_add_rows(")
                .contains(".entry log_softmax_backward_one_hot(").contains(".entry sum_squares(")
                .contains(".entry gather_rows(").contains(".entry sum_inner_double(");
        // --fmad=false: Adam's unfused v·β2 + (1−β2)·g·g stays two multiplies and an add
        assertThat(optim).contains("mul.rn.f32").contains("fma.rn.f32");
    }

    @Test
    void everyUnaryAndBinaryKernelOfEveryDtype() {
        List<String> compiled = new ArrayList<>();
        for (DType d : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                List<String> defines = CudaKernels.unaryDefines(op, d);
                if (defines == null) continue;
                assertThat(compile("elementwise", defines)).as("%s %s", op, d).contains(".entry unary_kernel(");
                compiled.add(op + " " + d);
            }
            for (BinaryOp op : BinaryOp.values()) {
                List<String> defines = CudaKernels.binaryDefines(op, d);
                if (defines == null) continue;
                assertThat(compile("elementwise", defines)).as("%s %s", op, d).contains(".entry binary_kernel(");
                compiled.add(op + " " + d);
            }
        }
        assertThat(compiled).contains("RELU FLOAT32", "MASK_POSITIVE FLOAT32", "ADD INT64", "GE FLOAT64", "ERF FLOAT64");
    }

    @Test
    void everyConversionAndFill() {
        for (DType from : DType.values()) {
            List<String> fill = CudaKernels.fillDefines(from);
            if (fill != null) assertThat(compile("elementwise", fill)).contains(".entry fill_kernel(");
            for (DType to : DType.values()) {
                List<String> defines = CudaKernels.convertDefines(from, to);
                if (defines == null) continue;
                assertThat(compile("elementwise", defines)).as("%s to %s", from, to)
                        .contains(".entry convert_kernel(").contains(".entry convert_bool_kernel(");
            }
        }
    }

    @Test
    void aCompilationErrorCarriesTheCompilersLog() {
        assumeTrue(nvrtc != null, () -> "NVRTC is not installed: " + missing);
        assertThatThrownBy(() -> nvrtc.compile("extern \"C\" __global__ void k() { undefined_name(); }", "broken.cu",
                CudaDevice.compileOptions(ARCH), false)).isInstanceOf(CudaException.class)
                .hasMessageStartingWith("nvrtcCompileProgram(broken.cu) failed: NVRTC_ERROR_COMPILATION")
                .hasMessageContaining("undefined_name");
    }
}
