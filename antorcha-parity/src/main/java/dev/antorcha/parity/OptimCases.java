package dev.antorcha.parity;

import static dev.antorcha.parity.NetworkCases.opt;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.optim.Adadelta;
import dev.antorcha.optim.Adagrad;
import dev.antorcha.optim.CosineAnnealingLR;
import dev.antorcha.optim.LRScheduler;
import dev.antorcha.optim.Optimizer;
import dev.antorcha.optim.RMSprop;
import dev.antorcha.optim.SGD;
import dev.antorcha.optim.StepLR;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The optimizer and scheduler cases of {@code PARITY_FORMAT_CNN.md}: {@code optim_adadelta*},
 * {@code optim_rmsprop*} and {@code optim_adagrad} (run by {@link NetworkCases#optimizer}, which
 * asks {@link #optimizer} for them), and {@code sched_steplr} / {@code sched_cosine}. Every
 * hyperparameter comes from the case file.
 */
final class OptimCases {

    private OptimCases() {}

    /** Whether {@link #optimizer} builds the optimizer {@code name} ({@code adadelta} for {@code optim_adadelta_wd}). */
    static boolean supports(String name) {
        return List.of("adadelta", "rmsprop", "adagrad").contains(name);
    }

    /** The optimizer of an {@code optim_<name>*} case over {@code ps}, PyTorch's defaults where the file gives none. */
    static Optimizer optimizer(String name, ParityCase c, List<Parameter> ps) {
        double lr = c.param("lr"), wd = opt(c, "weight_decay", 0);
        return switch (name) {
            case "adadelta" -> new Adadelta(ps, new Adadelta.Options(lr, opt(c, "rho", 0.9), opt(c, "eps", 1e-6), wd));
            case "rmsprop" -> new RMSprop(ps, new RMSprop.Options(lr, opt(c, "alpha", 0.99), opt(c, "eps", 1e-8), wd,
                    opt(c, "momentum", 0), opt(c, "centered", 0) != 0));
            case "adagrad" -> new Adagrad(ps, new Adagrad.Options(lr, opt(c, "lr_decay", 0), wd,
                    opt(c, "initial_accumulator_value", 0), opt(c, "eps", 1e-10)));
            default -> throw new IllegalArgumentException("unknown optimizer case kind '" + c.caseKind() + "'");
        };
    }

    /** The state tensors an {@code optim_*} case records: its {@code state_names}, or {@code fallback}. */
    static List<String> stateNames(ParityCase c, List<String> fallback) {
        if (c.params().get("state_names") instanceof List<?> names) return names.stream().map(String::valueOf).toList();
        return fallback;
    }

    /** Whether {@link #scheduler} runs this kind. */
    static boolean supportsScheduler(String kind) {
        return kind.equals("sched_steplr") || kind.equals("sched_cosine");
    }

    /**
     * {@code sched_steplr} (configs {@code A} and {@code B}, outputs {@code A/lr}, {@code A/params}, ...)
     * and {@code sched_cosine} ({@code lr}, {@code params}): per epoch, record the rate in effect,
     * take one plain SGD step with {@code grads[e]}, record the parameter, step the scheduler.
     */
    static Map<String, Tensor> scheduler(ParityCase c, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (c.caseKind().endsWith("sched_steplr")) {   // also the float64 set's f64_sched_steplr
            for (String config : configs(c)) {
                int stepSize = (int) c.param(config + ".step_size");
                double gamma = c.param(config + ".gamma");
                epochs(c, in, opt -> new StepLR(opt, stepSize, gamma), config + "/", out);
            }
        } else {
            int tMax = (int) c.param("T_max");
            double etaMin = c.param("eta_min");
            epochs(c, in, opt -> new CosineAnnealingLR(opt, tMax, etaMin), "", out);
        }
        return out;
    }

    /** The names of the StepLR configs ({@code A}, {@code B}): the params that are maps holding a {@code step_size}. */
    private static List<String> configs(ParityCase c) {
        List<String> names = c.params().entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> m && m.containsKey("step_size")).map(Map.Entry::getKey).toList();
        if (names.isEmpty()) throw new IllegalArgumentException("case " + c.id() + " has no StepLR config (a param with a step_size)");
        return names;
    }

    private static void epochs(ParityCase c, Map<String, Tensor> in, Function<Optimizer, LRScheduler> scheduler,
                               String prefix, Map<String, Tensor> out) {
        Tensor p0 = in.get("p0"), grads = in.get("grads");
        Parameter p = new Parameter(p0.contiguousCopy());
        SGD opt = new SGD(List.of(p), c.param("lr"));
        LRScheduler sched = scheduler.apply(opt);
        int epochs = (int) c.param("epochs");
        double[] lrs = new double[epochs];
        List<Tensor> params = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            lrs[e] = opt.paramGroups().get(0).lr();
            p.setGrad(grads.select(0, e).contiguousCopy());
            opt.step();
            params.add(p.detach().contiguousCopy());
            sched.step();
        }
        Tensor lr = Antorcha.tensor(lrs);
        out.put(prefix + "lr", p0.dtype() == DType.FLOAT64 ? lr : lr.toFloat());
        out.put(prefix + "params", stack(params));
    }

    /** {@code torch.stack(list)} of same-shaped tensors, in their dtype. */
    static Tensor stack(List<Tensor> list) {
        int[] shape = list.get(0).shape().toArray();
        int[] stacked = new int[shape.length + 1];
        stacked[0] = list.size();
        System.arraycopy(shape, 0, stacked, 1, shape.length);
        int n = list.get(0).numel();
        if (list.get(0).dtype() == DType.FLOAT64) {
            double[] data = new double[n * list.size()];
            for (int i = 0; i < list.size(); i++) System.arraycopy(list.get(i).toDoubleArray(), 0, data, i * n, n);
            return Antorcha.tensor(data, stacked);
        }
        float[] data = new float[n * list.size()];
        for (int i = 0; i < list.size(); i++) System.arraycopy(list.get(i).toFloatArray(), 0, data, i * n, n);
        return Antorcha.tensor(data, stacked);
    }
}
