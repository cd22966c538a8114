package dev.antorcha.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The files a command will write, checked before any time is spent on training: each a distinct
 * file (never two options on one path: the plot would replace the weights), not a folder, not a
 * device, in a folder that exists or can be made and that takes a file of about the expected size.
 * Failures while writing later are reported with the path the user gave, never the temporary
 * file's, and a full disk or a read-only file system is said as such.
 */
final class OutputFiles {
    /** The most a probe writes. */
    private static final long PROBE_LIMIT = 1 << 20;

    /** Option name → the file it names, in the order given. */
    private final Map<String, Path> files = new LinkedHashMap<>();
    /** Option name → roughly how many bytes will be written there. */
    private final Map<String, Long> sizes = new LinkedHashMap<>();

    /** Adds an output; a {@code null} path (an option not given) is ignored. */
    OutputFiles add(String option, Path file, long expectedBytes) {
        if (file != null) {
            files.put(option, file);
            sizes.put(option, expectedBytes);
        }
        return this;
    }

    /**
     * Checks every output now: a bad one throws a {@link UsageException} (two options on one
     * file, a folder or device, an empty name) or an {@link IOException} (cannot be written there), whose
     * message names the option and the file. Missing folders are made.
     */
    void check() throws IOException {
        Map<Path, String> seen = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            String option = e.getKey();
            Path file = e.getValue();
            if (file.toString().isBlank()) throw new UsageException(option + " needs a file name, got an empty one");
            Path abs = file.toAbsolutePath().normalize();
            String other = seen.get(abs);
            if (other == null) {
                for (var s : seen.entrySet()) {
                    if (Files.exists(abs) && Files.exists(s.getKey()) && Files.isSameFile(abs, s.getKey())) other = s.getValue();
                }
            }
            if (other != null) {
                throw new UsageException(other + " and " + option + " both name " + file
                        + ": one would overwrite the other; give each its own file");
            }
            seen.put(abs, option);
            if (Files.isDirectory(abs)) {
                throw new UsageException(option + " " + file + " is a folder; give a file name, such as "
                        + file.resolve(defaultName(option)));
            }
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs)) {
                throw new UsageException(option + " " + file + " exists and is not a regular file");
            }
            Path dir = abs.getParent();
            makeFolder(option, file, dir);
            probe(option, file, dir, sizes.get(option));
        }
    }

    private static String defaultName(String option) {
        return switch (option) {
            case "--save" -> "classifier.safetensors";
            case "--plot" -> "losses.png";
            case "--losses" -> "losses.csv";
            default -> "file";
        };
    }

    private static void makeFolder(String option, Path file, Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IOException("cannot write " + option + " " + file + ": " + p + " is a file, not a folder");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot write " + option + " " + file + ": cannot create its folder " + dir + " ("
                    + reason(e) + ")", e);
        }
    }

    /**
     * Checks the free space, then creates, fills (up to 1 MiB) and deletes a file beside the target: a read-only
     * folder or file system, missing permissions or a disk too full fail here rather than after
     * the training. The probe is written under the same hidden temporary name pattern as the real
     * write, so nothing visible is touched.
     */
    private static void probe(String option, Path file, Path dir, long bytes) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < bytes) {
            throw new IOException("cannot write " + option + " " + file + ": the disk is full (" + mib(bytes)
                    + " needed, " + mib(free) + " free in " + dir + ")");
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            // Without SYNC: the file system reserves the blocks at write time (a full disk fails
            // here), and the probe costs no disk flush before the training starts.
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // Up to 1 MiB: enough to meet a full or nearly full disk; the free-space check
                // above answers for larger files without writing them twice.
                byte[] block = new byte[(int) Math.min(bytes, 1 << 16)];
                for (long left = Math.min(bytes, PROBE_LIMIT); left > 0; left -= block.length) {
                    out.write(block, 0, (int) Math.min(left, block.length));
                }
            }
        } catch (IOException e) {
            throw failure(option, file, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the probe's own failure, if any, is the one worth reporting
            }
        }
    }

    /** Runs a write of {@code file} (given as {@code option}), turning its failure into a message about that file. */
    static void write(String option, Path file, IoAction action) throws IOException {
        try {
            action.run();
        } catch (IOException e) {
            throw failure(option, file, e);
        }
    }

    /** What a write does. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** An exception whose message names the user's file and says why it could not be written. */
    static IOException failure(String option, Path file, IOException e) {
        return new IOException("cannot write " + (option == null ? "" : option + " ") + file + ": " + reason(e), e);
    }

    /**
     * Why an I/O operation failed, in words: a full disk, a read-only file system and missing
     * permissions are named as such; otherwise the system's reason without the temporary file's name.
     */
    static String reason(IOException e) {
        String text = (e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : String.valueOf(e.getMessage()))
                .toLowerCase(Locale.ROOT);
        if (text.contains("no space left") || text.contains("disk quota")) return "the disk is full (No space left on device)";
        if (text.contains("read-only file system")) return "the file system is read-only";
        if (e instanceof AccessDeniedException || text.contains("permission denied")) return "permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
