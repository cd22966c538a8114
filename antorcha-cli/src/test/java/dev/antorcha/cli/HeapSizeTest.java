package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's heap ({@code src/main/sh/heap.sh}, sourced by {@code ./antorcha}): the maximum
 * follows train's job, and a job trains within it.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class HeapSizeTest {
    static final Path SCRIPT = Path.of("src/main/sh/heap.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    static int heapMb(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "source \"$0\"; heap_mb \"$@\"", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return Integer.parseInt(out);
    }

    @Test
    void theMaximumFollowsTheNetworkAndTheBatch() throws Exception {
        assertThat(heapMb("train")).isEqualTo(128);   // the tutorial's job: what the launcher always gave it
        int large = heapMb("train", "--hidden", "2000,1000");
        assertThat(large).isBetween(200, 300);        // 3.6 M weights with gradients and Adam's moments, twice over
        assertThat(heapMb("train", "--hidden=4000,2000", "--batch-size", "512")).isGreaterThan(2 * large);
        assertThat(heapMb("train", "--model", "cnn")).isEqualTo(320);
        assertThat(heapMb("train", "--model=cnn", "--batch-size=128")).isGreaterThan(320);
        assertThat(heapMb("train", "--hidden", "lots")).isEqualTo(512);   // the command refuses it, with its own message
    }

    @Test
    void aResumedRunSizesTheHeapForTheCheckpointsModel() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ck"));
        Files.writeString(dir.resolve("checkpoint.json"),
                "{\"settings\": {\"--model\": \"cnn\", \"--dataset\": \"mnist\", \"--hidden\": \"100,50\"}}");
        assertThat(heapMb("train", "--resume", dir.toString())).isEqualTo(320);
        Files.writeString(dir.resolve("checkpoint.json"), "{\"settings\": {\"--model\": \"mlp\", \"--hidden\": \"2000,1000\"}}");
        assertThat(heapMb("train", "--resume", dir.toString())).isEqualTo(heapMb("train", "--hidden", "2000,1000"));
    }

    /**
     * The CNN and the 2000,1000 network train an epoch of the fixture (and test) in their heap less
     * the full MNIST's 55 MB of pixels, which the fixture does not have.
     */
    @Test
    void jobsTrainWithinTheirHeap() throws Exception {
        Path root = Cli.mnistRoot(tmp.resolve("data"));
        for (String[] job : List.of(new String[] {"--model", "cnn"}, new String[] {"--hidden", "2000,1000"})) {
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(List.of(job));
            int heap = heapMb(args.toArray(String[]::new)) - 55;
            args.addAll(List.of("--root", root.toString(), "--no-download", "--epochs", "1", "--quiet",
                    "--save", tmp.resolve("w.safetensors").toString(), "--plot", tmp.resolve("p.png").toString()));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                    "-Xms64m", "-Xmx" + heap + "m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", job) + " in " + heap + " MB: " + out).isZero();
            assertThat(out).contains("test accuracy: ");
        }
    }
}
