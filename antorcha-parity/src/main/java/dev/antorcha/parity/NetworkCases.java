package dev.antorcha.parity;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.CrossEntropyLoss;
import dev.antorcha.nn.Linear;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.Parameter;
import dev.antorcha.nn.ReLU;
import dev.antorcha.nn.Sequential;
import dev.antorcha.optim.Adam;
import dev.antorcha.optim.AdamW;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.SGD;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parity cases that exercise modules and optimizers: the tutorial's classifier (forward,
 * loss, gradients, Adam and SGD trajectories) and the {@code optim_*} single-parameter runs.
 * Each returns the Java results under the case's output names.
 */
final class NetworkCases {
    private NetworkCases() {
    }

    /** The reference model: {@code layers = Sequential(Linear(784,100), ReLU, Linear(100,50), ReLU, Linear(50,10))}. */
    static final class Mlp extends Module {
        final Sequential layers;

        Mlp(int in, int h1, int h2, int out) {
            layers = registerModule("layers", new Sequential(new Linear(in, h1), new ReLU(), new Linear(h1, h2),
                    new ReLU(), new Linear(h2, out)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return layers.forward(x);
        }
    }

    /** The case's {@code init/<name>} inputs, by state-dict name. */
    static Map<String, Tensor> initialState(Map<String, Tensor> in) {
        Map<String, Tensor> init = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k.startsWith("init/")) init.put(k.substring(5), v);
        });
        return init;
    }

    static Map<String, Tensor> classifier(ParityCase c, Map<String, Tensor> in) {
        Map<String, Tensor> init = initialState(in);
        Tensor x = in.get("x"), target = in.get("target");
        Map<String, Tensor> out = new LinkedHashMap<>();

        Mlp model = fresh(init);
        Tensor h1 = model.layers.get(0).forward(x).relu();
        Tensor h2 = model.layers.get(2).forward(h1).relu();
        Tensor logits = model.layers.get(4).forward(h2);
        Tensor loss = new CrossEntropyLoss().forward(logits, target);
        loss.backward();
        out.put("h1", h1);
        out.put("h2", h2);
        out.put("logits", logits);
        out.put("loss", loss);
        model.namedParameters().forEach((k, p) -> out.put("grad/" + k, p.grad()));

        Mlp adamModel = fresh(init);
        Optimizer adam = new Adam(adamModel.parameters(), new Adam.Options(c.param("adam.lr"),
                c.param("adam.betas.0"), c.param("adam.betas.1"), c.param("adam.eps"), 0, false));
        List<Integer> adamSnapshots = snapshots(c, "adam");
        out.putAll(train(adamModel, adam, x, target, "adam", adamSnapshots, CROSS_ENTROPY));

        if (c.params().containsKey("sgd")) {
            Mlp sgdModel = fresh(init);
            Optimizer sgd = new SGD(sgdModel.parameters(), new SGD.Options(c.param("sgd.lr"), c.param("sgd.momentum"), 0, 0, false));
            List<Integer> sgdSnapshots = snapshots(c, "sgd");
            out.putAll(train(sgdModel, sgd, x, target, "sgd", sgdSnapshots, CROSS_ENTROPY));
        }
        return out;
    }

    /** The steps after which the case keeps {@code <name>_step<k>/...} outputs, ascending (the last is the run's length). */
    static List<Integer> snapshots(ParityCase c, String name) {
        var steps = new java.util.TreeSet<Integer>();
        var pattern = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name) + "_step(\\d+)/.*");
        for (String out : c.outputs().keySet()) {
            var m = pattern.matcher(out);
            if (m.matches()) steps.add(Integer.parseInt(m.group(1)));
        }
        if (c.outputs().containsKey(name + "_losses")) steps.add(c.output(name + "_losses").numel());
        if (steps.isEmpty()) throw new IllegalArgumentException("case " + c.id() + " has no " + name + "_step<k> outputs");
        return List.copyOf(steps);
    }

    /** The model in the dtype of its initial parameters (float64 files: {@code Classifier().double()}), loaded from them. */
    private static Mlp fresh(Map<String, Tensor> init) {
        Tensor w0 = init.get("layers.0.weight"), w2 = init.get("layers.2.weight"), w4 = init.get("layers.4.weight");
        Mlp m = new Mlp(w0.size(1), w0.size(0), w2.size(0), w4.size(0));
        m.to(w0.dtype());
        m.loadStateDict(init, true);
        return m;
    }

    private static final java.util.function.BinaryOperator<Tensor> CROSS_ENTROPY = new CrossEntropyLoss()::forward;

    /**
     * The tutorial's loop on one batch with {@code loss(output, target)}, as many steps as the last
     * snapshot; parameters snapshotted after the listed steps as {@code <name>_step<k>/<param>}, the
     * loss of every step as {@code <name>_losses}.
     */
    static Map<String, Tensor> train(Module model, Optimizer opt, Tensor x, Tensor target, String name,
                                     List<Integer> snapshots, java.util.function.BinaryOperator<Tensor> loss) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int steps = snapshots.getLast();
        double[] losses = new double[steps];
        for (int step = 1; step <= steps; step++) {
            Tensor output = model.forward(x);
            model.zeroGrad();
            Tensor error = loss.apply(output, target);
            error.backward();
            opt.step();
            losses[step - 1] = error.doubleItem();
            if (snapshots.contains(step)) {
                int s = step;
                model.namedParameters().forEach((k, p) -> out.put(name + "_step" + s + "/" + k, p.detach().contiguousCopy()));
            }
        }
        // float32 losses were computed in float32: the doubles hold them exactly
        Tensor lossTensor = Antorcha.tensor(losses, steps);
        out.put(name + "_losses", x.dtype() == DType.FLOAT64 ? lossTensor : lossTensor.toFloat());
        return out;
    }

    /** {@code optim_*}: step k sets {@code p.grad = grads[k]} and steps; outputs stacked over the steps. */
    static Map<String, Tensor> optimizer(ParityCase c, Map<String, Tensor> in) {
        Tensor p0 = in.get("p0"), grads = in.get("grads");
        Parameter p = new Parameter(p0.contiguousCopy());
        Optimizer opt = optimizerFor(c, p);
        int steps = grads.size(0);
        Map<String, List<Tensor>> series = new LinkedHashMap<>();
        for (int k = 0; k < steps; k++) {
            p.setGrad(grads.select(0, k).contiguousCopy());
            opt.step();
            series.computeIfAbsent("params", n -> new ArrayList<>()).add(p.detach().contiguousCopy());
            Map<String, Tensor> state = opt.stateDict().state().get(0);
            for (String buffer : OptimCases.stateNames(c, List.of("exp_avg", "exp_avg_sq", "momentum_buffer", "max_exp_avg_sq"))) {
                if (state != null && state.containsKey(buffer)) {
                    series.computeIfAbsent(buffer, n -> new ArrayList<>()).add(state.get(buffer));
                }
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        series.forEach((name, list) -> out.put(name, OptimCases.stack(list)));   // in the parameter's dtype
        return out;
    }

    /**
     * Whether {@link #optimizer} runs this {@code optim_<name>[_<variant>]} kind: Adam, AdamW and SGD
     * ({@code optim_adam_wd}, {@code optim_adamw_wd}, {@code optim_sgd_nesterov}, ...) and those of
     * {@link OptimCases} ({@code optim_adadelta_wd}, {@code optim_rmsprop_momentum_centered}, ...).
     */
    static boolean supportsOptimizer(String kind) {
        return List.of("adam", "adamw", "sgd").contains(optimizerName(kind)) || OptimCases.supports(optimizerName(kind));
    }

    /** {@code adam} for {@code optim_adam_default}, {@code adamw} for {@code optim_adamw_wd}. */
    private static String optimizerName(String kind) {
        String rest = kind.startsWith("optim_") ? kind.substring("optim_".length()) : "";
        int end = rest.indexOf('_');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static Optimizer optimizerFor(ParityCase c, Parameter p) {
        String kind = c.caseKind().startsWith(ParityRunner.F64_PREFIX)   // the float64 set's f64_optim_*
                ? c.caseKind().substring(ParityRunner.F64_PREFIX.length()) : c.caseKind();
        String name = optimizerName(kind);
        double lr = c.param("lr"), wd = opt(c, "weight_decay", 0);
        List<Parameter> ps = List.of(p);
        if (name.equals("adam") || name.equals("adamw")) {
            var o = new Adam.Options(lr, opt(c, "betas.0", 0.9), opt(c, "betas.1", 0.999), opt(c, "eps", 1e-8), wd,
                    opt(c, "amsgrad", 0) != 0);
            return name.equals("adamw") ? new AdamW(ps, o) : new Adam(ps, o);
        }
        if (name.equals("sgd")) {
            return new SGD(ps, new SGD.Options(lr, opt(c, "momentum", 0), opt(c, "dampening", 0), wd,
                    opt(c, "nesterov", 0) != 0));
        }
        return OptimCases.optimizer(name, c, ps);
    }

    /** Param {@code name} as a number (a boolean as 1 or 0), or {@code fallback} when the case has none. */
    static double opt(ParityCase c, String name, double fallback) {
        try {
            return c.param(name);
        } catch (IllegalArgumentException e) {
            Object v = c.params().get(name);
            if (v instanceof Boolean b) return b ? 1 : 0;
            return fallback;
        }
    }
}
