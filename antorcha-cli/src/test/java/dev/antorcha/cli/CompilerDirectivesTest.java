package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher's compiler directives, by their effect rather than their wording: HotSpot must
 * accept the file (a rejected file would stop every run of {@code ./antorcha}), and, applying
 * HotSpot's first-match rule to the methods that exist in the code today (found by reflection),
 * the arithmetic kernels must stay with C2 (C1 cannot compile the Vector API to SIMD code, orders
 * of magnitude slower) while the bookkeeping around them goes to C1. A renamed kernel class, a
 * new kernel method caught by an exclusion, or an exclusion that no longer excludes shows here.
 */
class CompilerDirectivesTest {
    private static final Path FILE = Path.of("src/main/jvm/compiler-directives.json");
    private static List<Directive> directives;

    /** One directive: its method patterns and whether C2 is excluded for them. */
    private record Directive(List<Pattern> patterns, boolean c2Excluded) {
        boolean matches(String method) {
            return patterns.stream().anyMatch(p -> p.matcher(method).matches());
        }
    }

    @BeforeAll
    static void parse() throws IOException {
        String text = Files.readString(FILE).replaceAll("(?m)^\\s*//.*$", "");
        Matcher block = Pattern.compile(
                "\\{\\s*match:\\s*(\\[[^\\]]*\\]|\"[^\"]*\")\\s*,\\s*c2:\\s*\\{\\s*Exclude:\\s*(true|false)\\s*\\}\\s*\\}")
                .matcher(text);
        directives = new ArrayList<>();
        while (block.find()) {
            List<Pattern> patterns = new ArrayList<>();
            Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(block.group(1));
            while (quoted.find()) patterns.add(hotspotPattern(quoted.group(1)));
            directives.add(new Directive(patterns, Boolean.parseBoolean(block.group(2))));
        }
    }

    /** HotSpot's {@code package/Class.method} pattern: {@code *} matches any run of characters. */
    private static Pattern hotspotPattern(String p) {
        StringBuilder re = new StringBuilder();
        for (String part : p.split("\\*", -1)) re.append(Pattern.quote(part)).append(".*");
        return Pattern.compile(re.substring(0, re.length() - 2));
    }

    /** Whether C2 may compile {@code method} ({@code java/lang/Math.fma}): the first matching directive decides. */
    private static boolean c2Compiles(String method) {
        for (Directive d : directives) if (d.matches(method)) return !d.c2Excluded();
        return true;                                    // no directive: HotSpot's default
    }

    private static List<String> methodsOf(String className) throws ClassNotFoundException {
        Class<?> c = Class.forName(className, false, CompilerDirectivesTest.class.getClassLoader());
        List<String> names = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) names.add(c.getName().replace('.', '/') + "." + m.getName());
        assertThat(names).as(className + " has methods").isNotEmpty();
        return names;
    }

    @Test
    void theJvmAcceptsTheFileAndCountsWhatThisTestParses() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(), "-XX:+DisplayVMOutputToStderr", "-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContainIgnoringCase("error");
        Matcher added = Pattern.compile("(\\d+) compiler directives added").matcher(out);
        assertThat(added.find()).as(out).isTrue();
        // HotSpot's own count is the reference for this test's reading of the file
        assertThat(directives).hasSize(Integer.parseInt(added.group(1)));
    }

    @Test
    void c2CompilesEveryKernelMethodAndTheGemmsPackingAndTileLoops() throws ClassNotFoundException {
        List<String> kernels = new ArrayList<>(methodsOf("dev.antorcha.backend.cpu.ScalarKernels"));
        kernels.addAll(methodsOf("dev.antorcha.backend.cpu.PanamaKernels"));
        for (String m : methodsOf("dev.antorcha.backend.cpu.Gemm")) {
            if (!m.endsWith(".gemm")) kernels.add(m);         // the packing and tile loops, their lambdas
        }
        assertThat(kernels).filteredOn(m -> !c2Compiles(m)).as("kernel methods left to C1").isEmpty();
    }

    @Test
    void c2CompilesTheVectorApiOpsTheKernelsCall() {
        assertThat(List.of("jdk/incubator/vector/FloatVector.fma", "jdk/incubator/vector/FloatVector.fromArray",
                "jdk/incubator/vector/FloatVector.intoArray", "jdk/incubator/vector/FloatVector.reduceLanes",
                "jdk/incubator/vector/Float256Vector.fma", "jdk/internal/vm/vector/VectorSupport.binaryOp",
                "java/lang/Math.fma", "java/lang/Float.floatToRawIntBits"))
                .filteredOn(m -> !c2Compiles(m)).as("Vector API and JDK helpers left to C1").isEmpty();
    }

    @Test
    void theBookkeepingAroundTheKernelsAndEverythingElseGoesToC1() throws ClassNotFoundException {
        List<String> bookkeeping = new ArrayList<>(methodsOf("dev.antorcha.backend.cpu.Parallel"));
        bookkeeping.addAll(methodsOf("dev.antorcha.backend.cpu.CpuBackend"));
        bookkeeping.add("dev/antorcha/backend/cpu/Gemm.gemm");
        bookkeeping.addAll(methodsOf("dev.antorcha.autograd.Engine"));
        bookkeeping.addAll(methodsOf("dev.antorcha.cli.Main"));
        bookkeeping.add("jdk/incubator/vector/Float256Vector.lambda$add$0");   // a fallback path
        assertThat(bookkeeping).filteredOn(CompilerDirectivesTest::c2Compiles).as("compiled by C2").isEmpty();
    }
}
