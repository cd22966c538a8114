package dev.antorcha.parity;

import dev.antorcha.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One case file ({@code <case>_s<seed>.json}) of the {@code torch-parity-v1} format: PyTorch reference
 * inputs and outputs for one operation or model, with per-output tolerance hints ({@code f32_err}).
 * Maps keep the file's order and are unmodifiable.
 *
 * @param id          the case id, e.g. {@code linear_s0}
 * @param caseKind    the case kind ({@code "case"} field), e.g. {@code linear}
 * @param seed        the torch seed used to draw the inputs
 * @param set         {@code "public"} or {@code "hidden"} ({@code ""} if absent)
 * @param description one human-readable line ({@code ""} if absent)
 * @param expr        the Python that computed the outputs ({@code ""} if absent)
 * @param params      scalar settings as parsed by {@link Json} (may nest maps and lists)
 * @param f32Err      torch's own float32 error per float output
 * @param inputs      input tensors by name
 * @param outputs     reference output tensors by name
 * @param tolerance   the float64 files' {@code tolerance} ({@code PARITY_FORMAT_F64.md}); null if absent
 */
public record ParityCase(String id, String caseKind, long seed, String set, String description, String expr,
                         Map<String, Object> params, Map<String, Double> f32Err,
                         Map<String, RefTensor> inputs, Map<String, RefTensor> outputs, Float64Tolerance tolerance) {

    /** The value of the {@code format} field this reader understands. */
    public static final String FORMAT = "torch-parity-v1";
    /** File name of the manifest of a parity directory. */
    public static final String MANIFEST = "manifest.json";
    /** File name of the {@code nn.Linear} initialisation statistics (a different structure). */
    public static final String INIT_STATS = "init_stats.json";

    /**
     * Reads and validates one case file.
     *
     * @throws IllegalArgumentException naming the file, for malformed JSON, a {@code format} other than
     *                                  {@value #FORMAT}, or a missing or invalid field or tensor
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static ParityCase load(Path file) {
        Object root = Json.parse(file);
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Builds a case from an already parsed file (see {@link #load(Path)}). */
    @SuppressWarnings("unchecked")
    public static ParityCase fromJson(Object root) {
        if (!(root instanceof Map<?, ?> m)) throw new IllegalArgumentException("top-level value is not a JSON object");
        var json = (Map<String, Object>) m;
        Object format = json.get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format is " + (format instanceof String s ? "'" + s + "'" : format)
                    + ", expected '" + FORMAT + "'");
        }
        String id = reqString(json, "id");
        String kind = reqString(json, "case");
        if (kind.equals("init_stats")) {
            throw new IllegalArgumentException("this is the init_stats file, not a case (see ParityCase.initStats)");
        }
        if (!(json.get("seed") instanceof Long seed)) throw new IllegalArgumentException("case " + id + ": no integer field 'seed'");
        Map<String, Object> params = json.get("params") == null ? Map.of() : obj(id, json, "params");
        var f32 = new LinkedHashMap<String, Double>();
        if (json.get("f32_err") != null) {
            for (var e : obj(id, json, "f32_err").entrySet()) {
                if (!(e.getValue() instanceof Number v) || !(v.doubleValue() >= 0) || Double.isInfinite(v.doubleValue())) {
                    throw new IllegalArgumentException("case " + id + ": f32_err['" + e.getKey() + "'] is not a finite number >= 0: "
                            + e.getValue());
                }
                f32.put(e.getKey(), v.doubleValue());
            }
        }
        Float64Tolerance tolerance = null;
        if (json.get("tolerance") != null) {
            Map<String, Object> t = obj(id, json, "tolerance");
            if (!(t.get("rtol") instanceof Number r) || !(t.get("atol") instanceof Number a)
                    || !(r.doubleValue() >= 0) || !(a.doubleValue() >= 0)) {
                throw new IllegalArgumentException("case " + id + ": 'tolerance' needs numbers rtol >= 0 and atol >= 0, got " + t);
            }
            tolerance = new Float64Tolerance(r.doubleValue(), a.doubleValue());
        }
        return new ParityCase(id, kind, seed, optString(json, "set"), optString(json, "description"),
                optString(json, "expr"), Collections.unmodifiableMap(params), Collections.unmodifiableMap(f32),
                tensors(id, json, "inputs"), tensors(id, json, "outputs"), tolerance);
    }

    /** The input tensor {@code name}; throws an {@link IllegalArgumentException} listing the inputs if absent. */
    public RefTensor input(String name) {
        return lookup(inputs, "input", name);
    }

    /** The output tensor {@code name}; throws an {@link IllegalArgumentException} listing the outputs if absent. */
    public RefTensor output(String name) {
        return lookup(outputs, "output", name);
    }

    /**
     * A numeric parameter. {@code name} may be a dotted path through nested maps and lists, e.g. {@code "lr"},
     * {@code "adam.lr"} or {@code "betas.1"}.
     *
     * @throws IllegalArgumentException if the parameter is absent or not a number
     */
    public double param(String name) {
        Object cur = params;
        for (String part : name.split("\\.", -1)) {
            cur = switch (cur) {
                case Map<?, ?> m when m.containsKey(part) -> m.get(part);
                case List<?> l when part.matches("\\d{1,9}") && Integer.parseInt(part) < l.size() -> l.get(Integer.parseInt(part));
                default -> throw new IllegalArgumentException("case " + id + " has no param '" + name + "'; params are " + params);
            };
        }
        if (!(cur instanceof Number v)) {
            throw new IllegalArgumentException("case " + id + ": param '" + name + "' is not a number: " + cur);
        }
        return v.doubleValue();
    }

    /** torch's float32 error for output {@code name} ({@code f32_err[name]}), or 0 if the file gives none. */
    public double f32Err(String name) {
        return f32Err.getOrDefault(name, 0.0);
    }

    /**
     * The case files of a parity directory: the {@code files} of {@code dir/manifest.json} in manifest order
     * if it exists (skipping the {@code init_stats} entry), else every {@code *.json} in {@code dir} sorted
     * by name except {@value #MANIFEST} and {@value #INIT_STATS}. See {@link #initStats(Path)} for the latter.
     *
     * @throws IllegalArgumentException if the manifest is malformed or names a file that does not exist
     * @throws UncheckedIOException     if the directory cannot be listed
     */
    public static List<Path> listCases(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        var out = new ArrayList<Path>();
        if (Files.isRegularFile(manifest)) {
            if (!(Json.parse(manifest) instanceof Map<?, ?> m) || !(m.get("files") instanceof List<?> files)) {
                throw new IllegalArgumentException(manifest + ": expected an object with an array 'files'");
            }
            for (Object o : files) {
                if (!(o instanceof Map<?, ?> entry) || !(entry.get("file") instanceof String name)) {
                    throw new IllegalArgumentException(manifest + ": 'files' entry without a string 'file': " + o);
                }
                if (name.equals(INIT_STATS) || "init_stats".equals(entry.get("case"))) continue;
                Path p = dir.resolve(name);
                if (!Files.isRegularFile(p)) throw new IllegalArgumentException(manifest + ": listed file " + name + " does not exist");
                out.add(p);
            }
            return List.copyOf(out);
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p)).forEach(p -> {
                String fn = p.getFileName().toString();
                if (fn.endsWith(".json") && !fn.equals(MANIFEST) && !fn.equals(INIT_STATS)) out.add(p);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list parity directory: " + e, e);
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return List.copyOf(out);
    }

    /** {@code dir/init_stats.json} if that file exists. */
    public static Optional<Path> initStats(Path dir) {
        Path p = dir.resolve(INIT_STATS);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public String toString() {
        return "ParityCase[" + id + " (" + caseKind + ", seed " + seed + ", " + set + "): inputs " + inputs.keySet()
                + ", outputs " + outputs.keySet() + "]";
    }

    // ---------------------------------------------------------------- helpers

    private RefTensor lookup(Map<String, RefTensor> map, String what, String name) {
        RefTensor t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException("case " + id + " has no " + what + " '" + name + "'; it has " + map.keySet());
        }
        return t;
    }

    private static String reqString(Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof String s)) throw new IllegalArgumentException("no string field '" + key + "'");
        return s;
    }

    private static String optString(Map<String, Object> json, String key) {
        Object o = json.get(key);
        if (o == null) return "";
        if (!(o instanceof String s)) throw new IllegalArgumentException("field '" + key + "' is not a string: " + o);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(String id, Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof Map<?, ?> m)) throw new IllegalArgumentException("case " + id + ": no object field '" + key + "'");
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, RefTensor> tensors(String id, Map<String, Object> json, String key) {
        var out = new LinkedHashMap<String, RefTensor>();
        for (var e : obj(id, json, key).entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> t)) {
                throw new IllegalArgumentException("case " + id + ": " + key + "['" + e.getKey() + "'] is not an object");
            }
            try {
                out.put(e.getKey(), RefTensor.fromJson(e.getKey(), (Map<String, Object>) t));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("case " + id + ": " + key + ": " + ex.getMessage(), ex);
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
