package dev.antorcha.tensor;

import dev.antorcha.io.Json;
import dev.antorcha.tensor.TypePromotion.Operand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Walks a {@code torch-dtype-rules-v1} file (PyTorch's result dtype for each op and operand dtypes,
 * made by running PyTorch itself; the test resources hold a copy and describe the format) against
 * a {@link DTypeRules} table: each row is turned into the operands PyTorch saw, and the table must
 * give the row's dtype, or refuse with an {@link IllegalArgumentException} whose message names the
 * op and the dtypes (or scalar kind) that PyTorch's message names. {@code antorcha parity} runs it
 * on such a file; the test suite on the committed copy.
 */
public final class DTypeRulesWalk {

    /** The {@code format} field of the files this reads. */
    public static final String FORMAT = "torch-dtype-rules-v1";

    /** The parsed file: its header fields and rows. */
    public record RulesFile(String format, String defaultDtype, List<Map<String, Object>> rows) {
    }

    /** What the walk found: rows checked and one line per row that went wrong. */
    public record Result(int rows, List<String> mismatches) {
        /** The count and the first 20 mismatches, for a failure message. */
        public String report() {
            StringBuilder sb = new StringBuilder(mismatches.size() + " of " + rows + " rows disagree with PyTorch");
            mismatches.stream().limit(20).forEach(m -> sb.append("\n  ").append(m));
            if (mismatches.size() > 20) sb.append("\n  ... and ").append(mismatches.size() - 20).append(" more");
            return sb.toString();
        }
    }

    private DTypeRulesWalk() {
    }

    /** Reads a rules file ({@code gzipped}: as the committed {@code .json.gz}). */
    @SuppressWarnings("unchecked")
    public static RulesFile read(InputStream in, boolean gzipped) throws IOException {
        try (InputStream s = gzipped ? new GZIPInputStream(in) : in) {
            Map<String, Object> json = (Map<String, Object>) Json.parse(new String(s.readAllBytes(), StandardCharsets.UTF_8));
            return new RulesFile((String) json.get("format"), (String) json.get("default_dtype"),
                    (List<Map<String, Object>>) json.get("rows"));
        }
    }

    /**
     * Reads {@code file} (gzipped when its name ends in {@code .gz}) and walks it against Antorcha's
     * rules, {@link DTypeRules#PYTORCH}.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if it is not a {@value #FORMAT} file
     */
    public static Result check(Path file) throws IOException {
        RulesFile f;
        try (InputStream in = Files.newInputStream(file)) {
            f = read(in, file.getFileName().toString().endsWith(".gz"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a " + FORMAT + " file: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(f.format()) || f.rows() == null) {
            throw new IllegalArgumentException(file + ": expected format " + FORMAT + " with an array 'rows', found format "
                    + f.format());
        }
        return walk(f, DTypeRules.PYTORCH);
    }

    /** Every row of {@code file} against {@code rules}. */
    public static Result walk(RulesFile file, DTypeRules rules) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < file.rows().size(); i++) {
            Map<String, Object> row = file.rows().get(i);
            String expected = (String) row.get("result");
            String got;
            try {
                got = evaluate(row, rules).shortName();
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage();
                if (!expected.startsWith("error: ")) {
                    bad.add(describe(i, row) + ": PyTorch gives " + expected + ", refused here: " + msg);
                } else {
                    String missing = missingGist(expected, msg, (String) row.get("op"));
                    if (missing != null) {
                        bad.add(describe(i, row) + ": refused, but the message lacks " + missing + ": '" + msg
                                + "' (PyTorch: '" + expected.substring(7) + "')");
                    }
                }
                continue;
            }
            if (!got.equals(expected)) bad.add(describe(i, row) + ": PyTorch gives " + expected + ", here " + got);
        }
        return new Result(file.rows().size(), bad);
    }

    private static String describe(int i, Map<String, Object> row) {
        StringBuilder sb = new StringBuilder("row " + i + " " + row.get("form") + " " + row.get("op"));
        if (row.containsKey("a")) sb.append(" ").append(row.get("a"));
        if (row.containsKey("b")) sb.append(", ").append(row.get("b"));
        return sb.toString();
    }

    // ---- rows to operands ------------------------------------------------------------------------

    static DType evaluate(Map<String, Object> row, DTypeRules rules) {
        String op = (String) row.get("op");
        String form = (String) row.get("form");
        return switch (form) {
            case "tensor-tensor" -> rules.resultType(op, tensor(row, "a"), tensor(row, "b"));
            case "tensor-zerodim" -> rules.resultType(op, tensor(row, "a"), Operand.zeroDim(DType.parse((String) row.get("b"))));
            case "tensor-scalar" -> rules.resultType(op, tensor(row, "a"), scalar((String) row.get("b")));
            case "unary" -> switch (op) {
                // the generator's compositions (make_dtype_table.py): clamp(x, 0, 1) and x.float().sum()
                case "clamp" -> rules.resultType(op, tensor(row, "a"), Operand.scalar(0L), Operand.scalar(1L));
                case "to_float_sum" -> rules.resultType("sum", Operand.tensor(castTo("float")));
                default -> rules.resultType(op, tensor(row, "a"));
            };
            case "factory" -> factory(op, rules);
            default -> throw new IllegalStateException("unknown form '" + form + "' in the rules file");
        };
    }

    private static Operand tensor(Map<String, Object> row, String key) {
        return Operand.tensor(DType.parse((String) row.get(key)));
    }

    private static Operand scalar(String kind) {
        return switch (kind) {
            case "python_int" -> Operand.scalar(2L);
            case "python_float" -> Operand.scalar(2.5);
            case "python_bool" -> Operand.scalar(true);
            default -> throw new IllegalStateException("unknown scalar kind '" + kind + "'");
        };
    }

    private static DType castTo(String method) {
        for (DType d : DType.values()) if (d.castMethod().equals(method)) return d;
        throw new IllegalStateException("no dtype has the cast method ." + method + "()");
    }

    private static final Pattern CALL = Pattern.compile("(\\w+)\\((.*?)\\)((?:\\.\\w+\\(\\))*)");

    /**
     * A factory row such as {@code full((2,), 7.0)} or {@code ones(2).long().float()}: the numbers
     * the values come from are the operands (all of arange's, tensor's data, full's fill value; the
     * others take sizes only), then each trailing cast method replaces the dtype.
     */
    private static DType factory(String call, DTypeRules rules) {
        Matcher m = CALL.matcher(call);
        if (!m.matches()) throw new IllegalStateException("cannot read the factory call '" + call + "'");
        List<Object> args = new PyLiteral(m.group(2)).args();
        List<Object> values = switch (m.group(1)) {
            case "arange" -> args;
            case "tensor" -> flatten(args.get(0));
            case "full" -> List.of(args.get(1));
            default -> List.of();
        };
        DType d = rules.resultType(m.group(1), values.stream().map(Operand::scalar).toArray(Operand[]::new));
        for (String cast : m.group(3).split("\\(\\)")) {
            if (!cast.isEmpty()) d = castTo(cast.substring(1));
        }
        return d;
    }

    private static List<Object> flatten(Object o) {
        if (!(o instanceof List<?> l)) return List.of(o);
        List<Object> out = new ArrayList<>();
        for (Object e : l) out.addAll(flatten(e));
        return out;
    }

    /** Python literals as the factory calls write them: ints, floats, True/False, lists and tuples. */
    private static final class PyLiteral {
        private final String s;
        private int at;

        PyLiteral(String s) {
            this.s = s;
        }

        List<Object> args() {
            List<Object> out = new ArrayList<>();
            skip();
            while (at < s.length()) {
                out.add(value());
                skip();
                if (at < s.length() && s.charAt(at) == ',') at++;
                skip();
            }
            return out;
        }

        private Object value() {
            char c = s.charAt(at);
            if (c == '[' || c == '(') {
                char close = c == '[' ? ']' : ')';
                at++;
                List<Object> items = new ArrayList<>();
                skip();
                while (s.charAt(at) != close) {
                    items.add(value());
                    skip();
                    if (s.charAt(at) == ',') at++;
                    skip();
                }
                at++;
                return items;
            }
            int start = at;
            while (at < s.length() && ",)] ".indexOf(s.charAt(at)) < 0) at++;
            String tok = s.substring(start, at);
            return switch (tok) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                default -> tok.matches("-?\\d+") ? (Object) Long.parseLong(tok) : (Object) Double.parseDouble(tok);
            };
        }

        private void skip() {
            while (at < s.length() && s.charAt(at) == ' ') at++;
        }
    }

    // ---- the gist of a refusal ---------------------------------------------------------------------

    private static final Pattern CPP_TYPE =
            Pattern.compile("'(Bool|Byte|Char|Short|Int|Long|Half|BFloat16|Float|Double)'|Got: (\\w+)");
    private static final Pattern NOT_SCALAR = Pattern.compile("must be Tensor, not (int|float|bool)");

    /**
     * What our message lacks of PyTorch's gist, or {@code null}: the op's name, every dtype PyTorch
     * names (its C++ names, e.g. {@code 'Half'}, become torch names), bool where PyTorch speaks of bool
     * tensors, and the kind of number where PyTorch refuses a scalar.
     */
    static String missingGist(String pytorch, String ours, String op) {
        List<String> needed = new ArrayList<>();
        needed.add(op);
        Matcher m = CPP_TYPE.matcher(pytorch);
        while (m.find()) needed.add(torchNameOf(m.group(1) != null ? m.group(1) : m.group(2)));
        if (pytorch.contains("bool tensor") || pytorch.contains("Boolean")) needed.add("torch.bool");
        Matcher s = NOT_SCALAR.matcher(pytorch);
        if (s.find()) {
            needed.add(switch (s.group(1)) {
                case "int" -> "integer scalar";
                case "float" -> "floating point scalar";
                default -> "bool scalar";
            });
        }
        List<String> missing = needed.stream().filter(w -> ours == null || !ours.contains(w)).toList();
        return missing.isEmpty() ? null : String.join(", ", missing);
    }

    private static String torchNameOf(String cppName) {
        return switch (cppName) {
            case "Bool" -> "torch.bool";
            case "Byte" -> "torch.uint8";
            case "Char" -> "torch.int8";
            case "Short" -> "torch.int16";
            case "Int" -> "torch.int32";
            case "Long" -> "torch.int64";
            case "Half" -> "torch.float16";
            case "BFloat16" -> "torch.bfloat16";
            case "Float" -> "torch.float32";
            case "Double" -> "torch.float64";
            default -> throw new IllegalStateException("unknown C++ dtype name '" + cppName + "' in a PyTorch message");
        };
    }
}
