package dev.antorcha.cli;

import dev.antorcha.Antorcha;
import dev.antorcha.io.Json;
import dev.antorcha.io.SafeTensors;
import dev.antorcha.optim.LRScheduler;
import dev.antorcha.optim.OptimizerState;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.ParseResult;

/**
 * A training checkpoint in a folder {@code DIR}: where a run stands, everything a resume needs to
 * continue it bit for bit.
 *
 * <pre>
 * DIR/checkpoint.json             the manifest: position, settings, scheduler, the files' SHA-256
 * DIR/step-000016/model.safetensors       the classifier (what {@code --save} writes; eval reads it)
 * DIR/step-000016/optimizer.safetensors   {@link OptimizerState#save}
 * DIR/step-000016/training.safetensors    every loss so far, the generator's state at the epoch's start
 * </pre>
 *
 * A save writes a fresh folder under a temporary name, renames it into place, and only then
 * replaces the manifest (itself written under a temporary name and renamed), so a kill at any
 * moment leaves the manifest naming a complete folder; older folders are deleted afterwards. (That
 * covers a killed process; nothing is fsync'ed, so a power cut may still lose the last save.) The
 * position is {@code epoch} finished epochs plus {@code iteration} iterations of the next one,
 * with the generator's state from before that epoch drew its order: a resume draws the same order
 * and skips the iterations already done.
 */
final class Checkpoint {
    static final String MANIFEST = "checkpoint.json";
    static final String FORMAT = "antorcha-train-checkpoint-1";
    static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", TRAINING = "training.safetensors";
    private static final List<String> FILES = List.of(MODEL, OPTIMIZER, TRAINING);

    final Path dir;
    final Path folder;
    final int epoch;
    final int iteration;
    final Map<String, String> settings;
    /** Null when the run has no scheduler. */
    final LRScheduler.State scheduler;

    private Checkpoint(Path dir, Path folder, int epoch, int iteration, Map<String, String> settings,
                       LRScheduler.State scheduler) {
        this.dir = dir;
        this.folder = folder;
        this.epoch = epoch;
        this.iteration = iteration;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    /**
     * Before a run: checks the checkpoint options of {@code cmd}, and with {@code --resume} reads
     * the checkpoint and makes {@code cmd}'s settings those of its run (see {@link RunSettings}).
     * Returns the checkpoint to resume from, or null.
     */
    static Checkpoint prepare(TrainCommand cmd, ParseResult given) throws IOException {
        RunSettings.validate(cmd);
        Checkpoint resumed = null;
        if (cmd.resume != null) {
            resumed = load(cmd.resume);
            RunSettings.adopt(cmd, resumed.settings, given, cmd.resume);
            RunSettings.validate(cmd);
            int reached = resumed.epoch + (resumed.iteration > 0 ? 1 : 0);
            if (cmd.epochs < reached) {
                throw new UsageException("--epochs " + cmd.epochs + " ends before the checkpoint in " + cmd.resume
                        + ", which is " + (resumed.iteration > 0 ? "at epoch " + reached + ", iteration " + resumed.iteration
                        : "after epoch " + reached) + ": give --epochs " + reached + " or more");
            }
        }
        Path dir = cmd.checkpoint;
        if (dir != null && exists(dir) && (cmd.resume == null || !Files.isSameFile(dir, cmd.resume))) {
            throw new UsageException(dir + " already holds a checkpoint: continue its run with --resume " + dir
                    + ", or give --checkpoint another folder");
        }
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IOException("cannot write the checkpoint in " + dir + ": " + Main.describe(e), e);
            }
        }
        return resumed;
    }

    /** Whether {@code dir} holds a checkpoint (complete or not). */
    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(MANIFEST));
    }

    /** Writes the state of a run into {@code dir} (created if needed), replacing the checkpoint there. */
    static void save(Path dir, TrainingState run) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("step-%06d", run.totalIterations());
        Path tmp = dir.resolve(".tmp-" + name + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        Path target = dir.resolve(name);
        if (name.equals(currentFolder(dir))) return;   // this very position is saved there already
        try {
            Files.createDirectory(tmp);
            ModelFiles.save(run.model, run.kind, tmp.resolve(MODEL), run.settings.get("--dataset"));
            run.optimizer.stateDict().save(tmp.resolve(OPTIMIZER));
            Map<String, Tensor> training = new LinkedHashMap<>();
            float[] losses = new float[run.losses.size()];
            for (int i = 0; i < losses.length; i++) losses[i] = run.losses.get(i);
            training.put("losses", Factory.of(losses, new int[] {losses.length}));
            training.put("rng_state", run.rngAtEpochStart);
            SafeTensors.save(training, tmp.resolve(TRAINING));
            Map<String, String> sums = new LinkedHashMap<>();
            for (String f : FILES) sums.put(f, sha256(tmp.resolve(f)));
            if (Files.exists(target)) deleteTree(target);   // a leftover of a save killed before its manifest
            Files.move(tmp, target);
            AtomicFiles.write(dir.resolve(MANIFEST), manifest(name, run, sums).getBytes(StandardCharsets.UTF_8));
        } finally {
            deleteTree(tmp);
        }
        deleteOthers(dir, name);
    }

    /** The folder the manifest of {@code dir} names, or null when there is no readable one. */
    private static String currentFolder(Path dir) {
        try {
            return Json.parse(dir.resolve(MANIFEST)) instanceof Map<?, ?> m && m.get("folder") instanceof String f ? f : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * Reads and checks the manifest and the files it names (present, same SHA-256), so that a
     * damaged checkpoint is refused before any data is loaded.
     *
     * @throws IllegalArgumentException or {@link IOException} with one line naming the file
     */
    static Checkpoint load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "checkpoint folder not found");
        }
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new NoSuchFileException(manifest.toString(), null,
                    "no checkpoint in " + dir + " (train with --checkpoint " + dir + " to write one); file not found");
        }
        Object parsed;
        try {
            parsed = Json.parse(manifest);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!(parsed instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException(manifest + " is not an antorcha training checkpoint (expected \"format\": \""
                    + FORMAT + "\")");
        }
        String name = field(m, "folder", String.class, manifest);
        if (!name.matches("step-\\d{6,}")) throw new IllegalArgumentException(manifest + ": bad folder name '" + name + "'");
        Path folder = dir.resolve(name);
        Map<?, ?> files = field(m, "sha256", Map.class, manifest);
        for (String f : FILES) {
            Path file = folder.resolve(f);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "checkpoint file missing (the checkpoint in " + dir
                        + " is incomplete)");
            }
            if (!(files.get(f) instanceof String expected)) throw new IllegalArgumentException(manifest + ": no SHA-256 for " + f);
            if (!sha256(file).equals(expected)) {
                throw new IllegalArgumentException(file + " is corrupt: its SHA-256 differs from the one " + MANIFEST
                        + " recorded (the checkpoint in " + dir + " cannot be resumed)");
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<?, ?> given = field(m, "settings", Map.class, manifest);
        given.forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
        LRScheduler.State scheduler = null;
        if (m.get("scheduler") instanceof Map<?, ?> s) {
            List<Double> base = new ArrayList<>();
            for (Object v : field(s, "base_lrs", List.class, manifest)) base.add(Double.parseDouble(String.valueOf(v)));
            scheduler = new LRScheduler.State(Math.toIntExact(field(s, "last_epoch", Long.class, manifest)), base);
        }
        int epoch = Math.toIntExact(field(m, "epoch", Long.class, manifest));
        int iteration = Math.toIntExact(field(m, "iteration", Long.class, manifest));
        return new Checkpoint(dir, folder, epoch, iteration, settings, scheduler);
    }

    /** Puts the checkpoint's weights, optimizer and scheduler state into a freshly built run, and its losses and generator state. */
    void restore(TrainingState run) throws IOException {
        Path model = folder.resolve(MODEL), optimizer = folder.resolve(OPTIMIZER), training = folder.resolve(TRAINING);
        try {
            run.model.loadStateDict(SafeTensors.load(model), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model + " does not fit the classifier: " + Main.describe(e), e);
        }
        try {
            run.optimizer.loadStateDict(OptimizerState.load(optimizer));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optimizer + ": " + Main.describe(e), e);
        }
        if ((scheduler == null) != (run.scheduler == null)) {
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + ": the scheduler state does not match --lr-step");
        }
        if (scheduler != null) run.scheduler.loadStateDict(scheduler);
        Map<String, Tensor> t = SafeTensors.load(training);
        Tensor losses = t.get("losses"), rng = t.get("rng_state");
        if (losses == null || losses.dtype() != DType.FLOAT32 || losses.dim() != 1 || rng == null) {
            throw new IllegalArgumentException(training + " lacks the float32 'losses' or the 'rng_state' tensor");
        }
        run.losses.clear();
        for (float v : losses.toFloatArray()) run.losses.add(v);
        run.epoch = epoch;
        run.iteration = iteration;
        run.rngAtEpochStart = rng;
        Antorcha.setRngState(rng);
    }

    private static String manifest(String folder, TrainingState run, Map<String, String> sums) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"format\": ").append(quote(FORMAT)).append(",\n");
        sb.append("  \"epoch\": ").append(run.epoch).append(",\n");
        sb.append("  \"iteration\": ").append(run.iteration).append(",\n");
        sb.append("  \"folder\": ").append(quote(folder)).append(",\n");
        sb.append("  \"settings\": ").append(object(run.settings)).append(",\n");
        if (run.scheduler != null) {
            LRScheduler.State s = run.scheduler.stateDict();
            List<String> base = s.baseLrs().stream().map(d -> quote(Double.toString(d))).toList();
            sb.append("  \"scheduler\": {\"last_epoch\": ").append(s.lastEpoch())
                    .append(", \"base_lrs\": [").append(String.join(", ", base)).append("]},\n");
        }
        sb.append("  \"sha256\": ").append(object(sums)).append("\n}\n");
        return sb.toString();
    }

    private static String object(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(quote(k) + ": " + quote(v)));
        return "{" + String.join(", ", parts) + "}";
    }

    /** A JSON string; the values here are option names, numbers, hex digests and data set names. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static <T> T field(Map<?, ?> m, String key, Class<T> type, Path manifest) {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(manifest + ": expected " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '" + key
                    + "', found " + (v == null ? "none" : v));
        }
        return type.cast(v);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Removes the folders of earlier saves and of saves killed half-way; leaves anything else alone. */
    private static void deleteOthers(Path dir, String keep) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (!n.equals(keep) && (n.matches("step-\\d{6,}") || n.startsWith(".tmp-step-")) && Files.isDirectory(p)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
