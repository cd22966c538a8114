package dev.antorcha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antorcha.Antorcha;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real signals sent to a real {@code antorcha train} process (this JVM's java and class path):
 * it stops at the end of an iteration, writes its checkpoint and one line, exits with the
 * shell's status for the signal, and the checkpoint resumes to the weights of a run never
 * stopped. The process is signalled once its progress shows training under way; nothing here
 * depends on how fast it runs.
 */
@org.junit.jupiter.api.extension.ExtendWith(RestoresThreads.class)
class InterruptTest {
    static final Pattern INTERRUPTED = Pattern.compile(
            "interrupted (?:at epoch (\\d+), iteration \\d+|after epoch (\\d+)); checkpoint in (.+) \\(resume with --resume \\3\\)");
    static final String[] SETTINGS = {"--shuffle", "--lr-step", "1", "--optimizer", "adamw", "--seed", "7"};

    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void data() {
        root = Cli.mnistRoot(tmp.resolve("data"));
    }


    /** {@code antorcha train} in a new JVM, training far longer than any test waits, checkpointing into {@code ckpt}. */
    static Process startTraining(Path dir, Path ckpt) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--root", root.toString(), "--no-download", "--epochs", "100000", "--threads", "2",
                "--checkpoint", ckpt.toString(), "--save", dir.resolve("w.safetensors").toString(),
                "--plot", dir.resolve("p.png").toString()));
        cmd.addAll(List.of(SETTINGS));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    /** Reads the child's progress until epoch 2 is under way: the interrupt handling is installed by then. */
    static void awaitSecondEpoch(BufferedReader out, Process p) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("epoch 2/")) return;
        }
        throw new AssertionError("the child ended before its second epoch, exit " + waitQuietly(p));
    }

    static void signal(Process p, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s", sig).isZero();
    }

    /** Skips where the child inherits an ignored signal (started in the background without job control). */
    static void assumeNotIgnored(Process p, int signal) throws IOException {
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        assumeTrue(Files.isReadable(status), "needs /proc to see whether the child ignores the signal");
        String mask = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow();
        boolean ignored = (Long.parseUnsignedLong(mask.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
        if (ignored) p.destroyForcibly();
        assumeTrue(!ignored, "signal " + signal + " is ignored in this process tree, so a child could not receive it");
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 2, 130", "TERM, 15, 143"})
    void aSignalStopsAtAnIterationWithACheckpointThatResumesExactly(String sig, int number, int status) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(sig)), ckpt = dir.resolve("ckpt");
        Process p = startTraining(dir, ckpt);
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            awaitSecondEpoch(out, p);
            assumeNotIgnored(p, number);
            signal(p, sig);
            out.transferTo(java.io.Writer.nullWriter());   // keep the pipe drained until the end
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
        List<String> err = Files.readAllLines(dir.resolve("stderr.txt")).stream()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertThat(p.exitValue()).as("exit status; stderr %s", err).isEqualTo(status);
        assertThat(err).hasSize(1);
        Matcher m = INTERRUPTED.matcher(err.get(0));
        assertThat(m.matches()).as(err.get(0)).isTrue();
        assertThat(m.group(3)).isEqualTo(ckpt.toString());
        assertThat(Cli.tempFiles(ckpt)).as("no temporary folder left").isEmpty();
        assertThat(dir.resolve("w.safetensors")).as("no weights: the run did not end").doesNotExist();
        // the epoch in progress, or the next one when the signal came between two
        int epoch = m.group(1) != null ? Integer.parseInt(m.group(1)) : Integer.parseInt(m.group(2)) + 1;

        // Finish that epoch here, with another thread count, and compare with a run never stopped.
        String[] resumed = train(dir.resolve("resumed"), "--resume", ckpt.toString(), "--epochs", Integer.toString(epoch),
                "--threads", "1");
        Cli.ok(resumed);
        List<String> reference = new ArrayList<>(List.of(train(dir.resolve("reference"), "--epochs", Integer.toString(epoch))));
        reference.addAll(List.of(SETTINGS));
        Cli.ok(reference.toArray(String[]::new));
        CheckpointTest.assertSameRun(dir.resolve("resumed"), dir.resolve("reference"));
        assertThat(Cli.csv(dir.resolve("resumed").resolve("l.csv"))).hasSize(1 + 8 * epoch);
    }

    /**
     * A second Ctrl-C ends a run at once even when it cannot stop cleanly: here the training
     * thread is stuck writing progress to a pipe nobody reads, so it never reaches the end of its
     * iteration, and only the second signal can end the process.
     */
    @org.junit.jupiter.api.Test
    void aSecondCtrlCExitsAtOnceWhenTheRunCannotStop() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("twice")), ckpt = dir.resolve("ckpt");
        Process p = startTraining(dir, ckpt);
        try {
            var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            awaitSecondEpoch(out, p);
            assumeNotIgnored(p, 2);
            Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
            assumeTrue(Files.isDirectory(tasks), "needs /proc to see the child's threads");
            // Stop reading: once the pipe is full, the training thread blocks in its next write.
            assumeTrue(awaitThread(p, tasks, "wchan", "pipe_write"), "the child's training thread never blocked on its "
                    + "full stdout (kernel without /proc/PID/task/TID/wchan?)");
            signal(p, "INT");
            assertThat(awaitThread(p, tasks, "comm", "antorcha-interr")).as("the shutdown hook started").isTrue();
            assertThat(p.isAlive()).as("one Ctrl-C waits for the iteration to end").isTrue();
            signal(p, "INT");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the second Ctrl-C ended the process").isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
            // the checkpoint of the last finished epoch is intact
            assertThat(Checkpoint.load(ckpt).iteration).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Waits until a thread of {@code p} shows {@code value} in its {@code file} (comm; wchan, where
     * kernels differ: pipe_write, anon_pipe_write); false if {@code p} ended, or after two minutes
     * (a safeguard for kernels that hide wchan, not a measurement).
     */
    static boolean awaitThread(Process p, Path tasks, String file, String value) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (p.isAlive() && System.nanoTime() < giveUp) {
            try (var s = Files.list(tasks)) {
                for (Path t : s.toList()) {
                    try {
                        String v = Files.readString(t.resolve(file)).trim();
                        if (file.equals("wchan") ? v.endsWith(value) : v.equals(value)) return true;
                    } catch (IOException threadEnded) {
                        // the thread ended while listed
                    }
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    static String[] train(Path dir, String... more) throws Exception {
        return CheckpointTest.train(root, dir, more);
    }

    static int waitQuietly(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
