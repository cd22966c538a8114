package dev.antorcha.parity;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.DTypeRulesWalk;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Runs one {@code torch-parity-v1} case with Antorcha and compares every reference output with
 * {@link Tolerance}. Inputs named {@code v} get {@code requiresGrad(true)} when the case has an output
 * {@code "d" + v}; {@code g} is the upstream gradient of {@code y.backward(g)}.
 *
 * <pre>{@code
 * CaseResult r = ParityRunner.run(Path.of("../shared/parity/linear_s0.json"));
 * System.out.println(r.line());   // PASS linear_s0
 * }</pre>
 */
public final class ParityRunner {

    private ParityRunner() {}

    /** Outcome of a case. */
    public enum Status { PASS, FAIL, SKIP }

    /**
     * The result of one case.
     *
     * @param status     PASS, FAIL or SKIP
     * @param id         the case id ({@code linear_s0}), or the file name without {@code .json} if it did not load
     * @param message    PASS: the per-output summaries; FAIL: what failed and by how much; SKIP: {@code needs ...}
     * @param worstRatio max over the compared outputs of {@code |mine - ref| / tol} (0 when nothing was compared,
     *                   infinite for NaN, shape mismatches and exceptions)
     */
    public record CaseResult(Status status, String id, String message, double worstRatio) {
        public CaseResult {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(message, "message");
        }

        /** {@code PASS id}, {@code FAIL id: message} or {@code SKIP id: message}. */
        public String line() {
            return status == Status.PASS ? "PASS " + id : status + " " + id + ": " + message;
        }
    }

    /**
     * Loads and runs one case file; a file that does not load is a FAIL named after the file, except one
     * with tensors of a dtype Antorcha does not have, which is a SKIP.
     */
    public static CaseResult run(Path file) {
        if (isDTypeRules(file)) return dtypeRules(file);
        ParityCase c;
        try {
            c = ParityCase.load(file);
        } catch (RuntimeException e) {
            String fn = file.getFileName().toString();
            String id = fn.endsWith(".json") ? fn.substring(0, fn.length() - 5) : fn;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RefTensor.UnsupportedDTypeException u) return new CaseResult(Status.SKIP, id, u.getMessage(), 0);
            }
            return fail(id, e);
        }
        return run(c);
    }

    /** Runs one case; never throws for a problem inside the case (that is a FAIL with the exception). */
    public static CaseResult run(ParityCase c) {
        // the float64 set's kinds are the float32 ones computed in float64 (the dtype comes from the tensors)
        String kind = c.caseKind().startsWith(F64_PREFIX) ? c.caseKind().substring(F64_PREFIX.length()) : c.caseKind();
        if (kind.equals("matmul_3d")) kind = "matmul_3d_3d";
        Computation how = computation(kind);
        if (how == null) return new CaseResult(Status.SKIP, c.id(), "needs support for case kind '" + kind + "'", 0);
        try {
            return compare(c, how.compute(c));
        } catch (RuntimeException | AssertionError | OutOfMemoryError | StackOverflowError e) {
            return fail(c.id(), e);
        }
    }

    /** Antorcha's results for a case, by output name. */
    @FunctionalInterface
    private interface Computation {
        Map<String, Tensor> compute(ParityCase c);
    }

    /** How a case kind is computed, or null when Antorcha does not support it (a SKIP). */
    private static Computation computation(String kind) {
        if (RecurrentCases.handles(kind)) return c -> RecurrentCases.run(kind, c, inputs(c));
        if (PoolCases.handles(kind)) return c -> PoolCases.run(kind, c, inputs(c));
        if (AttentionCases.handles(kind)) return c -> AttentionCases.run(kind, c);
        if (ConvCases.handles(kind)) return c -> single(c, ConvCases::forward);
        if (kind.equals("sum_mean") || kind.equals("unary")) return c -> MultiOpCases.run(c, inputs(c));
        if (TensorOpCases.supports(kind)) return c -> TensorOpCases.run(kind, c);
        if (SeqOpCases.handles(kind)) return c -> SeqOpCases.run(kind, c);
        if (LbfgsCases.handles(kind)) return c -> LbfgsCases.run(c, inputs(c));
        if (kind.startsWith("optim_")) return NetworkCases.supportsOptimizer(kind) ? c -> NetworkCases.optimizer(c, inputs(c)) : null;
        if (kind.equals("mnist_cnn")) return c -> CnnCases.mnistCnn(c, inputs(c));
        if (WordLmCases.handles(kind)) return c -> WordLmCases.run(c, inputs(c));
        if (kind.equals("classifier")) return c -> NetworkCases.classifier(c, inputs(c));
        if (OptimCases.supportsScheduler(kind)) return c -> OptimCases.scheduler(c, inputs(c));
        if (kind.equals("cross_entropy")) return ParityRunner::crossEntropy;
        return ParityCases.of(kind).<Computation>map(expr -> c -> single(c, expr)).orElse(null);
    }

    /** The case-kind prefix of the float64 set ({@code PARITY_FORMAT_F64.md}). */
    static final String F64_PREFIX = "f64_";

    // ---------------------------------------------------------------- computing

    /** {@code y = expr(inputs); y.backward(g)}; results {@code y} and {@code d<input>}. */
    private static Map<String, Tensor> single(ParityCase c, ParityCases.Expr expr) {
        Map<String, Tensor> in = inputs(c);
        Tensor y = expr.forward(in, c);
        var out = new LinkedHashMap<String, Tensor>();
        out.put("y", y);
        if (hasGradOutputs(c)) {
            Tensor g = in.get("g");
            if (g != null) y.backward(g);
            else y.backward();
            collectGrads(in, out);
        }
        return out;
    }

    /**
     * {@code loss_R = F.cross_entropy(logits, target, reduction=R); loss_R.backward()} for each output
     * {@code loss_R} of the case (mean and sum in the public set), each from a fresh graph.
     */
    private static Map<String, Tensor> crossEntropy(ParityCase c) {
        var out = new LinkedHashMap<String, Tensor>();
        for (String name : c.outputs().keySet()) {
            if (!name.startsWith("loss_")) continue;
            String reduction = name.substring("loss_".length());
            Map<String, Tensor> in = inputs(c);
            Tensor loss = ParityCases.crossEntropy(in.get("logits"), in.get("target"), reduction);
            out.put(name, loss);
            if (c.outputs().containsKey("dlogits_" + reduction)) {
                Tensor g = in.get("g_" + reduction);
                if (g != null) loss.backward(g);
                else loss.backward();
                out.put("dlogits_" + reduction, in.get("logits").grad());
            }
        }
        return out;
    }

    /** The case's inputs as Antorcha tensors, {@code requiresGrad} on those whose gradient is an output. */
    static Map<String, Tensor> inputs(ParityCase c) {
        var in = new LinkedHashMap<String, Tensor>();
        for (var e : c.inputs().entrySet()) {
            RefTensor r = e.getValue();
            if (r.isSampled()) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' has layout strided_sample (only outputs may)");
            }
            Tensor t = switch (r.dtype()) {
                case RefTensor.INT64 -> Antorcha.tensor(r.longValues(), r.shape());
                case RefTensor.FLOAT64 -> Antorcha.tensor(r.doubles(), r.shape());
                default -> Antorcha.tensor(r.values(), r.shape());
            };
            if (t.dtype().isFloatingPoint() && needsGrad(c, e.getKey())) t.requiresGrad(true);
            in.put(e.getKey(), t);
        }
        return in;
    }

    /** Whether the case has an output {@code d<input>} or {@code d<input>_<suffix>} (cross-entropy's {@code dlogits_mean}). */
    static boolean needsGrad(ParityCase c, String input) {
        for (String out : c.outputs().keySet()) {
            String leaf = out.substring(out.lastIndexOf('/') + 1);   // multi-op cases: <op>/d<input>
            if (leaf.equals("d" + input) || leaf.startsWith("d" + input + "_")) return true;
        }
        return false;
    }

    private static boolean hasGradOutputs(ParityCase c) {
        for (String name : c.inputs().keySet()) {
            if (needsGrad(c, name)) return true;
        }
        return false;
    }

    private static void collectGrads(Map<String, Tensor> in, Map<String, Tensor> out) {
        for (var e : in.entrySet()) {
            if (e.getValue().requiresGrad()) out.put("d" + e.getKey(), e.getValue().grad());
        }
    }

    // ---------------------------------------------------------------- comparing

    private static CaseResult compare(ParityCase c, Map<String, Tensor> mine) {
        List<String> failures = new ArrayList<>(), passes = new ArrayList<>();
        double worst = 0;
        for (var e : c.outputs().entrySet()) {
            String name = e.getKey();
            RefTensor ref = e.getValue();
            Tensor t = mine.get(name);
            if (t == null) {
                failures.add(name + ": " + (mine.containsKey(name) ? "no gradient was computed" : "not computed by the runner"));
                worst = Double.POSITIVE_INFINITY;
                continue;
            }
            int[] shape = t.shape().toArray();
            Tolerance.Result r;
            if (RefTensor.FLOAT64.equals(ref.dtype())) {
                r = t.dtype() != DType.FLOAT64
                        ? new Tolerance.Result(false, name, name + ": computed in " + t.dtype().torchName()
                                + ", the reference is torch.float64", Double.NaN, Double.POSITIVE_INFINITY)
                        : (c.tolerance() != null ? c.tolerance() : F64_DEFAULT).compare(name, t.toDoubleArray(), shape, ref);
            } else if (RefTensor.INT64.equals(ref.dtype())) {
                r = Tolerance.compareLongs(name, t.toLongArray(), shape, ref);
            } else {
                r = Tolerance.compare(name, t.toFloatArray(), shape, ref, c.f32Err(name));
            }
            worst = Double.isNaN(r.worstRatio()) ? Double.POSITIVE_INFINITY : Math.max(worst, r.worstRatio());
            (r.ok() ? passes : failures).add(r.message());
        }
        if (!failures.isEmpty()) return new CaseResult(Status.FAIL, c.id(), String.join("; ", failures), worst);
        String msg = passes.isEmpty() ? "no outputs to compare"
                : String.format(Locale.ROOT, "worst ratio %.3g (%s)", worst, String.join("; ", passes));
        return new CaseResult(Status.PASS, c.id(), msg, worst);
    }

    /** The float64 format's tolerance, for a float64 file that does not state its own. */
    private static final Float64Tolerance F64_DEFAULT = new Float64Tolerance(1e-10, 1e-12);

    private static final Pattern RULES_FORMAT =
            Pattern.compile("\"format\"\\s*:\\s*\"" + DTypeRulesWalk.FORMAT + "\"");

    /** Whether {@code file} declares the dtype-rules format near its start (the table of PyTorch's result dtypes). */
    private static boolean isDTypeRules(Path file) {
        try (var in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return RULES_FORMAT.matcher(head).find();
        } catch (IOException e) {
            return false;   // ParityCase.load reports the unreadable file
        }
    }

    /** The dtype-rules table as one case: PASS when every row gives PyTorch's dtype or its refusal. */
    private static CaseResult dtypeRules(Path file) {
        String fn = file.getFileName().toString();
        String id = fn.endsWith(".json") ? fn.substring(0, fn.length() - 5) : fn;
        try {
            DTypeRulesWalk.Result r = DTypeRulesWalk.check(file);
            if (r.mismatches().isEmpty()) return new CaseResult(Status.PASS, id, r.rows() + " dtype rules agree with PyTorch", 0);
            return new CaseResult(Status.FAIL, id, r.report().replace("\n", "; "), Double.POSITIVE_INFINITY);
        } catch (IOException | RuntimeException e) {
            return fail(id, e);
        }
    }

    private static CaseResult fail(String id, Throwable e) {
        String msg = e.getMessage() == null ? "" : ": " + e.getMessage();
        return new CaseResult(Status.FAIL, id, e.getClass().getName() + msg, Double.POSITIVE_INFINITY);
    }
}
