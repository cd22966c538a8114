package dev.antorcha.cli;

import static dev.antorcha.cli.ErrorPathsTest.oneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}'s outputs are checked before the data are loaded and any training time is spent;
 * each failure names the option and the user's file (never a temporary one) and says a full disk
 * or a read-only file system as such; nothing the user had is lost.
 */
class OutputChecksTest {
    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void setUp() throws Exception {
        root = Cli.mnistRoot(tmp.resolve("data"));
    }

    /** train on the committed sample with these outputs; a data folder that does not exist would fail later, at loading. */
    static String[] train(String... outputs) {
        String[] base = {"train", "--root", tmp.resolve("no-data-here").toString(), "--no-download", "--quiet", "--epochs", "1"};
        String[] a = java.util.Arrays.copyOf(base, base.length + outputs.length);
        System.arraycopy(outputs, 0, a, base.length, outputs.length);
        return a;
    }

    @Test
    void saveAndPlotOnOneFileIsRefusedAndTheFileKept() throws Exception {
        Path x = Files.writeString(tmp.resolve("x.bin"), "earlier weights");
        oneLineError(2, train("--save", x.toString(), "--plot", x.toString()))
                .contains("--save and --plot both name " + x).contains("overwrite");
        oneLineError(2, train("--save", x.toString(), "--plot", tmp.resolve("p.png").toString(), "--losses", x.toString()))
                .contains("--save and --losses both name " + x);
        // the same file under two spellings
        oneLineError(2, train("--save", x.toString(), "--plot", tmp.resolve("sub/../x.bin").toString()))
                .contains("both name");
        assertThat(Files.readString(x)).isEqualTo("earlier weights");
    }

    @Test
    void sameFileThroughASymbolicLinkIsRefused() throws Exception {
        Path real = Files.writeString(tmp.resolve("real.bin"), "w");
        Path link = Files.createSymbolicLink(tmp.resolve("link.png"), real);
        oneLineError(2, train("--save", real.toString(), "--plot", link.toString())).contains("both name");
    }

    @Test
    void aFolderOrAnEmptyNameIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("a-folder"));
        oneLineError(2, train("--save", dir.toString(), "--plot", tmp.resolve("p.png").toString()))
                .contains("--save " + dir + " is a folder").contains(dir.resolve("classifier.safetensors").toString());
        oneLineError(2, train("--save", "", "--plot", tmp.resolve("p.png").toString()))
                .contains("--save needs a file name");
        oneLineError(2, train("--save", tmp.resolve("w.safetensors").toString(), "--plot", tmp.resolve("p.png").toString(),
                "--losses", "")).contains("--losses needs a file name");
    }

    @Test
    void aDeviceIsNotAnOutputFile() {
        oneLineError(2, train("--save", tmp.resolve("w.safetensors").toString(), "--plot", "/dev/null"))
                .contains("--plot /dev/null exists and is not a regular file");
    }

    @Test
    void aFolderThatIsAFileIsNamed() throws Exception {
        Path aFile = Files.writeString(tmp.resolve("plain-file"), "x");
        oneLineError(1, train("--save", aFile.resolve("w.safetensors").toString(), "--plot", tmp.resolve("p.png").toString()))
                .contains("cannot write --save " + aFile.resolve("w.safetensors")).contains(aFile + " is a file, not a folder");
    }

    @Test
    void aReadOnlyFolderIsSaidAsSuchBeforeTraining() throws Exception {
        Path ro = tmp.resolve("read-only");
        try (var _ = Mounts.readOnly(ro)) {
            Path plot = ro.resolve("losses.png");
            oneLineError(1, train("--save", tmp.resolve("w.safetensors").toString(), "--plot", plot.toString()))
                    .isEqualTo("cannot write --plot " + plot + ": the file system is read-only");
            assertThat(ro).isEmptyDirectory();
        }
    }

    @Test
    void aFullDiskIsSaidAsSuchBeforeTraining() throws Exception {
        Path small = tmp.resolve("small-disk");
        try (var _ = Mounts.tmpfs(small, 64)) {
            // 784x2000 + 2000x1000 float weights: about 14 MB, far more than 64 KiB
            Path w = small.resolve("w.safetensors");
            oneLineError(1, train("--save", w.toString(), "--plot", tmp.resolve("p.png").toString(), "--hidden", "2000,1000"))
                    .startsWith("cannot write --save " + w + ": the disk is full");
            // nearly full: 4 KiB left, less than a plot
            Files.write(small.resolve("filler"), new byte[60 * 1024]);
            Path p = small.resolve("p.png");
            oneLineError(1, train("--save", tmp.resolve("w2.safetensors").toString(), "--plot", p.toString()))
                    .startsWith("cannot write --plot " + p + ": the disk is full");
            try (var files = Files.list(small)) {
                assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left").containsExactly("filler");
            }
        }
    }

    @Test
    void aWriteThatFailsLaterNamesTheUsersFileNotTheTemporaryOne() {
        Path user = tmp.resolve("weights.safetensors");
        // /dev/full fails every write with ENOSPC, as a disk that fills up during training would
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(java.io.IOException.class,
                () -> OutputFiles.write("--save", user, () -> Files.write(Path.of("/dev/full"), new byte[4096])));
        assertThat(e).hasMessage("cannot write --save " + user + ": the disk is full (No space left on device)");
        var ro = org.assertj.core.api.Assertions.catchThrowableOfType(java.io.IOException.class,
                () -> OutputFiles.write("--plot", user, () -> {
                    throw new java.nio.file.FileSystemException(tmp.resolve(".weights.safetensors.3blx.tmp").toString(), null,
                            "Read-only file system");
                }));
        assertThat(ro).hasMessage("cannot write --plot " + user + ": the file system is read-only");
    }

    @Test
    void goodOutputsPassAndTrainingRuns() throws Exception {
        Path w = tmp.resolve("ok/w.safetensors");
        Cli.ok("train", "--root", root.toString(), "--no-download", "--quiet", "--epochs", "1",
                "--save", w.toString(), "--plot", tmp.resolve("ok/p.png").toString(), "--losses", tmp.resolve("ok/l.csv").toString());
        assertThat(w).isRegularFile();
        try (var files = Files.list(w.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("w.safetensors", "p.png", "l.csv");
        }
    }
}
