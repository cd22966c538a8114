package dev.antorcha.parity;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every case of a parity directory and prints one line per case and a summary:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp antorcha-core/target/classes:antorcha-parity/target/classes dev.antorcha.parity.ParityMain [-v] DIR
 *
 * PASS linear_s0
 * FAIL relu_s1: dx: max |err| 1.0e+00 at index 7 [0, 7] (mine 1.0, ref 0.0), ...
 * SKIP classifier_s0: needs nn and optim (issue 3)
 * 40 passed, 1 failed, 6 skipped
 * </pre>
 *
 * Exit status: 0 if nothing failed, 1 if a case failed, 2 for a usage error (no DIR, DIR missing, no cases),
 * reported as one line on stderr. {@code -v} appends each case's worst ratio {@code |err|/tol} to its line.
 */
public final class ParityMain {

    private ParityMain() {}

    /** Exit status when a case failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status for a usage error. */
    public static final int EXIT_USAGE = 2;

    /** A problem with the arguments or the directory (not with a case): exit status 2, one line on stderr. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }

        public UsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Counts and per-case results of a run.
     *
     * @param results one per case, in the order run
     */
    public record Summary(int passed, int failed, int skipped, List<ParityRunner.CaseResult> results) {
        public Summary {
            results = List.copyOf(results);
        }

        /** {@code N passed, N failed, N skipped}. */
        public String line() {
            return passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }

        /** 1 if a case failed, else 0. */
        public int exitCode() {
            return failed > 0 ? EXIT_FAILED : 0;
        }
    }

    /** {@link #run(Path, PrintStream, boolean)} without the worst ratios. */
    public static Summary run(Path dir, PrintStream out) {
        return run(dir, out, false);
    }

    /**
     * Runs every case of {@code dir} ({@link ParityCase#listCases}), printing one line per case as it finishes
     * and the summary line at the end.
     *
     * @param verbose append {@code  (worst ratio R)} to each PASS/FAIL line
     * @throws UsageException if {@code dir} is not a directory, its manifest is unusable, or it holds no case
     */
    public static Summary run(Path dir, PrintStream out, boolean verbose) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("parity directory " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        List<Path> files;
        try {
            files = ParityCase.listCases(dir);
        } catch (RuntimeException e) {
            throw new UsageException("cannot list the cases of " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new UsageException("no parity cases in " + dir + " (no " + ParityCase.MANIFEST + " and no case *.json files)");
        }
        int passed = 0, failed = 0, skipped = 0;
        var results = new ArrayList<ParityRunner.CaseResult>();
        for (Path f : files) {
            ParityRunner.CaseResult r = ParityRunner.run(f);
            results.add(r);
            switch (r.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case SKIP -> skipped++;
            }
            String line = r.line();
            if (verbose && r.status() != ParityRunner.Status.SKIP) {
                line += String.format(Locale.ROOT, "  (worst ratio %.3g)", r.worstRatio());
            }
            out.println(line);
        }
        var summary = new Summary(passed, failed, skipped, results);
        out.println(summary.line());
        out.flush();
        return summary;
    }

    /** Parses the arguments and runs; returns the exit status instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean verbose = false;
        Path dir = null;
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                verbose = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(usage());
                return 0;
            } else if (a.startsWith("-") || dir != null) {
                err.println("parity: unexpected argument '" + a + "'. " + usage());
                return EXIT_USAGE;
            } else {
                dir = Path.of(a);
            }
        }
        if (dir == null) {
            err.println("parity: no parity directory given. " + usage());
            return EXIT_USAGE;
        }
        try {
            return run(dir, out, verbose).exitCode();
        } catch (UsageException e) {
            out.flush();
            err.println("parity: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static String usage() {
        return "Usage: ParityMain [-v] DIR   (DIR holds manifest.json and <case>_s<seed>.json files)";
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
