package dev.antorcha.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real full and read-only file systems for tests: a size-limited tmpfs and a read-only bind
 * mount, made with {@code mount}. Permissions cannot stand in for them (root writes anywhere);
 * where mounting is not allowed (not root, no mount namespace rights) the test is skipped and
 * says why.
 */
final class Mounts implements AutoCloseable {
    private final Path dir;

    private Mounts(Path dir) {
        this.dir = dir;
    }

    /** A tmpfs of {@code kib} KiB on {@code dir} (created if needed): writes past that fail with ENOSPC. */
    static Mounts tmpfs(Path dir, int kib) throws Exception {
        Files.createDirectories(dir);
        mount(dir, "mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", dir.toString());
        return new Mounts(dir);
    }

    /** {@code dir} (created if needed) mounted over itself read-only: writes fail with EROFS, even as root. */
    static Mounts readOnly(Path dir) throws Exception {
        Files.createDirectories(dir);
        mount(dir, "mount", "--bind", "-o", "ro", dir.toString(), dir.toString());
        return new Mounts(dir);
    }

    private static void mount(Path dir, String... command) throws IOException, InterruptedException {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        assumeTrue(linux, "full and read-only file systems are made with Linux's mount; this is " + System.getProperty("os.name"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        assumeTrue(code == 0, "cannot mount a test file system on " + dir + " (needs root): " + out);
    }

    @Override
    public void close() throws IOException {
        try {
            new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
