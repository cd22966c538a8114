package dev.antorcha.parity;

import dev.antorcha.optim.LBFGS;
import dev.antorcha.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code optim_lbfgs} case of {@code PARITY_FORMAT_SEQ.md}: {@code torch.optim.LBFGS([x])} on
 * {@code f(x) = 0.5 e·(A e) + 0.25 sum(c e⁴)}, {@code e = x - m}, once per entry of {@code params.runs}
 * (its value is the {@code line_search_fn}: null or {@code "strong_wolfe"}), each from {@code x0}
 * again. After each of the {@code steps} calls: {@code <run>/step<k>/x} and {@code <run>/step<k>/loss}
 * (what the call returns). Every hyperparameter comes from the case.
 */
final class LbfgsCases {
    private LbfgsCases() {
    }

    static boolean handles(String kind) {
        return kind.equals("optim_lbfgs");
    }

    static Map<String, Tensor> run(ParityCase c, Map<String, Tensor> in) {
        Tensor a = input(in, c, "A"), m = input(in, c, "m"), coef = input(in, c, "c"), x0 = input(in, c, "x0");
        if (!(c.params().get("runs") instanceof Map<?, ?> runs) || runs.isEmpty()) {
            throw new IllegalArgumentException("case " + c.id() + ": param 'runs' should map run names to line_search_fn; params are "
                    + c.params());
        }
        int steps = (int) c.param("steps");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var run : runs.entrySet()) {
            String name = String.valueOf(run.getKey());
            String lineSearch = run.getValue() == null ? null : String.valueOf(run.getValue());
            LBFGS.Options options = LBFGS.Options.defaults().lr(c.param("lr")).maxIter((int) c.param("max_iter"))
                    .maxEval((int) c.param("max_eval")).historySize((int) c.param("history_size"))
                    .toleranceGrad(c.param("tolerance_grad")).toleranceChange(c.param("tolerance_change"))
                    .lineSearchFn(lineSearch);
            Tensor x = x0.clone().requiresGrad(true);
            LBFGS opt = new LBFGS(java.util.List.of(x), options);
            for (int k = 1; k <= steps; k++) {
                Tensor loss = opt.step(() -> {
                    opt.zeroGrad();
                    Tensor e = x.sub(m);
                    Tensor l = e.matmul(a.matmul(e)).mul(0.5).add(coef.mul(e.pow(4)).sum().mul(0.25));
                    l.backward();
                    return l;
                });
                out.put(name + "/step" + k + "/x", x.detach().clone());
                out.put(name + "/step" + k + "/loss", loss.detach());
            }
        }
        return out;
    }

    private static Tensor input(Map<String, Tensor> in, ParityCase c, String name) {
        Tensor t = in.get(name);
        if (t == null) throw new IllegalArgumentException("case " + c.id() + " has no input '" + name + "'; it has " + in.keySet());
        return t;
    }
}
