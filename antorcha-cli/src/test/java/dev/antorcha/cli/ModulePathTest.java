package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library as a module: the tests of every module run on the class path, so this one loads
 * the built antorcha-core and antorcha-vision (their jars, or their class folders in a reactor
 * build) on a module path of their own and checks what a modular application sees: only the API
 * packages are exported, an internal class cannot be reached, and the API works.
 */
class ModulePathTest {

    private static final Set<String> CORE_API = Set.of("dev.antorcha", "dev.antorcha.autograd",
            "dev.antorcha.backend", "dev.antorcha.data", "dev.antorcha.io", "dev.antorcha.nn",
            "dev.antorcha.nn.functional", "dev.antorcha.nn.utils", "dev.antorcha.optim", "dev.antorcha.tensor");

    private static Path locationOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleLayer layer() throws URISyntaxException {
        ModuleFinder finder = ModuleFinder.of(locationOf(dev.antorcha.Antorcha.class),
                locationOf(dev.antorcha.vision.transforms.ToTensor.class));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("dev.antorcha.vision"));
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void coreExportsTheApiAndKeepsKernelsOpsAndParityInside() throws Exception {
        Module core = layer().findModule("dev.antorcha.core").orElseThrow();
        Set<String> exported = core.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).isEqualTo(CORE_API);
        assertThat(core.getPackages()).contains("dev.antorcha.backend.cpu", "dev.antorcha.ops");
        assertThat(core.isExported("dev.antorcha.backend.cpu")).isFalse();
        assertThat(core.isExported("dev.antorcha.parity")).isFalse();
        assertThat(core.getDescriptor().uses()).containsExactly("dev.antorcha.backend.BackendProvider");
    }

    @Test
    void anInternalClassIsNotAccessibleFromOutside() throws Exception {
        Module core = layer().findModule("dev.antorcha.core").orElseThrow();
        Class<?> cpu = Class.forName("dev.antorcha.backend.cpu.CpuBackend", true, core.getClassLoader());
        assertThat(cpu.getModule()).isSameAs(core);
        // public static final INSTANCE: public, but its package is not exported to this (unnamed) module
        assertThatThrownBy(() -> cpu.getField("INSTANCE").get(null)).isInstanceOf(IllegalAccessException.class)
                .hasMessageContaining("does not export dev.antorcha.backend.cpu");
    }

    @Test
    void theApiWorksFromTheModulePath() throws Exception {
        ModuleLayer layer = layer();
        ClassLoader loader = layer.findLoader("dev.antorcha.core");
        Class<?> antorcha = Class.forName("dev.antorcha.Antorcha", true, loader);
        Class<?> tensor = Class.forName("dev.antorcha.tensor.Tensor", true, loader);
        assertThat(antorcha.getModule().getName()).isEqualTo("dev.antorcha.core");
        Object x = antorcha.getMethod("tensor", float[].class, int[].class)
                .invoke(null, new float[] {1, 2, 3, 4}, new int[] {2, 2});
        Object xx = tensor.getMethod("matmul", tensor).invoke(x, x);          // [[7, 10], [15, 22]]
        Object total = tensor.getMethod("sum").invoke(xx);
        assertThat((float) tensor.getMethod("item").invoke(total)).isEqualTo(54f);

        Module vision = layer.findModule("dev.antorcha.vision").orElseThrow();
        assertThat(vision.canRead(antorcha.getModule())).isTrue();
        assertThat(vision.getDescriptor().exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactlyInAnyOrder("dev.antorcha.vision.datasets", "dev.antorcha.vision.transforms");
    }

    @Test
    void theVectorApiIsReadWhenTheJvmHasItAndOptionalOtherwise() throws Exception {
        Module core = layer().findModule("dev.antorcha.core").orElseThrow();
        var vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        // requires static: read when the JVM runs with --add-modules jdk.incubator.vector (the
        // build's test JVM does), and the layer above resolved without it otherwise
        vector.ifPresent(v -> assertThat(core.canRead(v)).isTrue());
        assertThat(core.getDescriptor().requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("jdk.incubator.vector");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
        });
    }

    /**
     * A modular application in a fresh JVM, core on the module path: with
     * {@code --add-modules jdk.incubator.vector} the core reads the Vector API (SIMD kernels);
     * without it the optional module is absent and the scalar kernels give the same product.
     */
    @ParameterizedTest(name = "vector module {0}")
    @ValueSource(booleans = {true, false})
    void aFreshJvmUsesTheCoreFromTheModulePathWithOrWithoutTheVectorApi(boolean vector)
            throws URISyntaxException, IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", locationOf(dev.antorcha.Antorcha.class).toString(),
                "--add-modules", "dev.antorcha.core"));
        if (vector) cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of("-cp", locationOf(ModulePathProbe.class).toString(), ModulePathProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // [[1,2],[3,4]]² = [[7,10],[15,22]]: 54
        assertThat(out).as(out).contains("dev.antorcha.core vector=" + vector + " sum=54.0");
    }
}
