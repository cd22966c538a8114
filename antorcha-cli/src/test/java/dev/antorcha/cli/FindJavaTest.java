package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JDK search ({@code src/main/sh/find-java.sh}, sourced by {@code ./antorcha}):
 * a JDK 17 first on PATH and in JAVA_HOME (Debian's default) must not stop it from using an
 * installed JDK 25. Fake JDKs (a {@code release} file and executable {@code java}/{@code javac})
 * stand in for real ones, so the answer does not depend on what this machine has installed.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class FindJavaTest {
    static final Path SCRIPT = Path.of("src/main/sh/find-java.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    /** A fake JDK of {@code version} under {@code dir}; {@code withJavac=false} makes it a JRE. */
    static Path fakeJdk(Path dir, String version, boolean withJavac) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        for (String tool : withJavac ? List.of("java", "javac") : List.of("java")) {
            Path p = dir.resolve("bin").resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho fake " + version + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir.resolve("bin/java");
    }

    /** Runs {@code find_java} with exactly this environment; returns [exit code, stdout]. */
    String[] findJava(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$0\"; find_java", SCRIPT.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new String[] {String.valueOf(p.waitFor()), out};
    }

    Map<String, String> withOld17First() throws IOException {
        Path old = fakeJdk(tmp.resolve("jdk-17"), "17.0.15", true);
        return Map.of("HOME", tmp.resolve("home").toString(), "JAVA_HOME", tmp.resolve("jdk-17").toString(),
                "PATH", old.getParent() + ":/usr/bin:/bin");
    }

    @Test
    void passesOverJava17InJavaHomeAndPathToAJdk25InSdkman() throws Exception {
        Path jdk25 = fakeJdk(tmp.resolve("home/.sdkman/candidates/java/25.0.1-tem"), "25.0.1", true);
        String[] r = findJava(withOld17First());
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).isEqualTo(jdk25.toString());
    }

    @Test
    void takesTheNewestOfSeveralAndSkipsARuntimeWithoutCompiler() throws Exception {
        Path candidates = tmp.resolve("home/.sdkman/candidates/java");
        fakeJdk(candidates.resolve("25.0.1-tem"), "25.0.1", true);
        Path newest = fakeJdk(candidates.resolve("26-ea"), "26", true);
        fakeJdk(candidates.resolve("27-jre"), "27", false);   // a JRE: cannot build the project
        String[] r = findJava(withOld17First());
        assertThat(r[1]).isEqualTo(newest.toString());
    }

    @Test
    void javaHomeOf25WinsOverEverythingElse() throws Exception {
        fakeJdk(tmp.resolve("home/.sdkman/candidates/java/26"), "26", true);
        Path mine = fakeJdk(tmp.resolve("my-jdk"), "25", true);
        Path old = fakeJdk(tmp.resolve("jdk-17"), "17", true);
        String[] r = findJava(Map.of("HOME", tmp.resolve("home").toString(), "JAVA_HOME", tmp.resolve("my-jdk").toString(),
                "PATH", old.getParent() + ":/usr/bin:/bin"));
        assertThat(r[1]).isEqualTo(mine.toString());
    }

    @Test
    void aJavaNNHomeVariableIsLookedAt() throws Exception {
        Path jdk = fakeJdk(tmp.resolve("elsewhere/jdk25"), "25.0.2", true);
        var env = new java.util.HashMap<>(withOld17First());
        env.put("JAVA25_HOME", tmp.resolve("elsewhere/jdk25").toString());
        String[] r = findJava(env);
        assertThat(r[1]).isEqualTo(jdk.toString());
    }
}
