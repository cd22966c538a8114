package dev.antorcha.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code antorcha} command. User mistakes (a bad flag, missing data offline, an unreadable
 * or foreign weights file) end in one line on stderr and a non-zero exit; {@code --verbose}
 * adds the stack trace.
 */
@Command(name = "antorcha", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Deep learning in Java with PyTorch's programming model: the MNIST tutorial and tools.")
public final class Main implements Runnable {
    /** When the command line started: {@code total time} is measured from here. */
    static final long START_NANOS = System.nanoTime();

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "show stack traces of errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (args.length > 0 && List.of("train", "eval", "predict").contains(args[0])) Warmup.startInBackground();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        // The JDK shapes the plot's text with HarfBuzz either through the FFM API (its default
        // since 22) or through JNI. The FFM binding generates a few hundred classes at first
        // use, and compiling them cost about 0.2 s of the 2 cores in the first epoch; the JNI
        // binding draws the same glyphs. A user's own setting wins.
        System.getProperties().putIfAbsent("sun.font.layout.ffm", "false");
        // picocli looks up optional converters (java.sql, java.time) by reflection when it starts,
        // loading about a hundred classes no option here needs; a user's own setting wins.
        System.getProperties().putIfAbsent("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
        CommandLine cl = new CommandLine(new Main());
        // picocli builds each registered command's model by reflection (tens of milliseconds
        // apiece before the JIT has compiled it): a run of one command registers only that one.
        String only = args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help") ? args[0] : null;
        SUBCOMMANDS.forEach((name, factory) -> {
            if (only == null || only.equals(name)) cl.addSubcommand(name, factory.get());
        });
        // nan and inf as Python's float() reads them, so that the options' own checks can name them.
        cl.registerConverter(Double.class, new Doubles());
        cl.registerConverter(double.class, new Doubles());
        exitCodes(cl);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("antorcha: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            boolean usage = ex instanceof UsageException;
            err.println("antorcha: " + (usage
                    ? ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')"
                    : describe(ex)));
            if (parsed.matchedOption("--verbose") != null
                    || (parsed.subcommand() != null && parsed.subcommand().matchedOption("--verbose") != null)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return usage ? 2 : 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler above; this Error still gets one line.
            cl.getErr().println("antorcha: " + outOfMemory(e));
            if (java.util.Arrays.asList(args).contains("--verbose")) e.printStackTrace(cl.getErr());
            cl.getErr().flush();
            return 1;
        }
    }

    /**
     * An out-of-memory line: the library's own message when it says what was asked (a tensor
     * larger than the heap), else the heap's size and how to raise it.
     */
    static String outOfMemory(OutOfMemoryError e) {
        String heap = "the Java heap of " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB is full";
        String remedy = "give it more with ANTORCHA_JAVA_OPTS=-Xmx1g (or more)";
        String msg = e.getMessage();
        if (msg != null && !msg.isBlank() && !msg.startsWith("Java heap space") && !msg.contains("GC overhead")) {
            return "out of memory: " + describe(e) + (msg.contains("-Xmx") ? "" : " (" + remedy + ")");
        }
        return "out of memory: " + heap + "; " + remedy;
    }

    /** Exit codes, listed at the end of every command's help. */
    private static void exitCodes(CommandLine cl) {
        var codes = new java.util.LinkedHashMap<String, String>();
        codes.put("0", "success");
        codes.put("1", "failure: missing or bad data, an unreadable or unwritable file, training diverged");
        codes.put("2", "usage error: an unknown option, a missing or malformed value");
        codes.put("130", "interrupted (Ctrl-C); 143: stopped by SIGTERM");
        for (CommandLine c : java.util.stream.Stream.concat(java.util.stream.Stream.of(cl), cl.getSubcommands().values().stream()).toList()) {
            c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
    }

    /** The subcommands, in the order the help lists them. */
    private static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS;

    static {
        var m = new java.util.LinkedHashMap<String, java.util.function.Supplier<Object>>();
        m.put("train", TrainCommand::new);
        m.put("eval", EvalCommand::new);
        m.put("predict", PredictCommand::new);
        m.put("time-sequence", TimeSequenceCommand::new);
        m.put("word-lm", WordLmCommand::new);
        m.put("download", DownloadCommand::new);
        m.put("parity", ParityCommand::new);
        m.put("info", InfoCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        SUBCOMMANDS = java.util.Collections.unmodifiableMap(m);
    }

    /** One line: the message, or the kind of failure when there is none. */
    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException nf) {
            return (nf.getReason() != null ? nf.getReason() : "file not found") + ": " + nf.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException ad) return "permission denied: " + ad.getFile();
        if (ex instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
                && (msg == null || !msg.contains(fs.getFile()))) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : ex.getClass().getSimpleName());
        }
        if (msg == null || msg.isBlank()) msg = ex.getClass().getSimpleName();
        return msg.replace("\n\t", " ").replace('\n', ' ');
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /** Version for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"antorcha " + version(), "java " + Runtime.version()};
        }
    }
}
