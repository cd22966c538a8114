package dev.antorcha.optim;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch 1.13's single-tensor update, per parameter and step t:
 * <pre>
 * g = g + wd·p                     (weight decay as L2; AdamW decouples it instead)
 * m = β1·m + (1-β1)·g ;  v = β2·v + (1-β2)·g²
 * denom = sqrt(v) / sqrt(1-β2^t) + eps          (amsgrad: max of all v so far)
 * p = p - lr/(1-β1^t) · m / denom
 * </pre>
 * Tensors are float32, the bias corrections double, exactly as torch computes them.
 *
 * <pre>{@code
 * Optimizer optimizer = new Adam(classifier.parameters(), 0.001);
 * }</pre>
 */
public class Adam extends Optimizer {

    /** Validated hyperparameters (PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        public Options {
            validate(Map.of("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay));
        }

        public Options(double lr) {
            this(lr, 0.9, 0.999, 1e-8, 0, false);
        }

        Map<String, Double> asMap() {
            return Map.of("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay,
                    "amsgrad", amsgrad ? 1.0 : 0.0);
        }

        static void validate(Map<String, Double> o) {
            check(o.get("lr") >= 0, "Invalid learning rate: " + o.get("lr"));
            check(o.get("eps") >= 0, "Invalid epsilon value: " + o.get("eps"));
            check(o.get("beta1") >= 0 && o.get("beta1") < 1, "Invalid beta parameter at index 0: " + o.get("beta1"));
            check(o.get("beta2") >= 0 && o.get("beta2") < 1, "Invalid beta parameter at index 1: " + o.get("beta2"));
            check(o.get("weight_decay") >= 0, "Invalid weight_decay value: " + o.get("weight_decay"));
        }
    }

    private final boolean decoupled;

    public Adam(Iterable<? extends Tensor> params, double lr) {
        this(single(params, "Adam"), new Options(lr), false);
    }

    public Adam(Iterable<? extends Tensor> params, Options options) {
        this(single(params, "Adam"), options, false);
    }

    public Adam(List<ParamGroup> groups, Options defaults) {
        this(groups, defaults, false);
    }

    /** For AdamW: {@code decoupled} applies weight decay to the parameter instead of the gradient. */
    protected Adam(List<ParamGroup> groups, Options defaults, boolean decoupled) {
        super(groups, Args.nonNull(defaults, decoupled ? "AdamW" : "Adam", "defaults", "an Adam.Options").asMap());
        this.decoupled = decoupled;
    }

    @Override
    protected void validate(Map<String, Double> options) {
        Options.validate(options);
    }

    @Override
    public void step() {
        for (ParamGroup group : paramGroups()) {
            double lr = group.get("lr"), beta1 = group.get("beta1"), beta2 = group.get("beta2");
            double eps = group.get("eps"), wd = group.get("weight_decay");
            boolean amsgrad = group.get("amsgrad") != 0;
            for (Tensor param : group.params()) {
                Tensor g = denseGrad(param);
                if (g == null) continue;
                Tensor m = bufferTensor(param, "exp_avg"), v = bufferTensor(param, "exp_avg_sq");
                Tensor vmax = amsgrad ? bufferTensor(param, "max_exp_avg_sq") : null;
                long t = nextStep(param);
                double bc1 = 1 - Math.pow(beta1, t), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
                var coefficients = new AdamStep(beta1, 1 - beta1, beta2, 1 - beta2, -(lr / bc1), bc2Sqrt, eps, wd,
                        wd != 0 && !decoupled, 1 - lr * wd, wd != 0 && decoupled);
                param.backend().adam(param, g, m, v, vmax, coefficients);
                param.storage().bumpVersion();
            }
        }
    }
}
