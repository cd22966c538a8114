package dev.antorcha.optim;

import dev.antorcha.backend.SgdStep;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch 1.13's momentum rule:
 * <pre>
 * d = g + wd·p
 * buf = d (first step) | momentum·buf + (1-dampening)·d
 * d = nesterov ? d + momentum·buf : buf
 * p = p - lr·d
 * </pre>
 */
public class SGD extends Optimizer {

    /** Validated hyperparameters; nesterov needs momentum &gt; 0 and zero dampening. */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Options {
            validate(Map.of("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                    "nesterov", nesterov ? 1.0 : 0.0));
        }

        public Options(double lr) {
            this(lr, 0, 0, 0, false);
        }

        Map<String, Double> asMap() {
            return Map.of("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                    "nesterov", nesterov ? 1.0 : 0.0);
        }

        static void validate(Map<String, Double> o) {
            check(o.get("lr") >= 0, "Invalid learning rate: " + o.get("lr"));
            check(o.get("momentum") >= 0, "Invalid momentum value: " + o.get("momentum"));
            check(o.get("weight_decay") >= 0, "Invalid weight_decay value: " + o.get("weight_decay"));
            check(o.get("nesterov") == 0 || (o.get("momentum") > 0 && o.get("dampening") == 0),
                    "Nesterov momentum requires a momentum and zero dampening (momentum=" + o.get("momentum")
                            + ", dampening=" + o.get("dampening") + ")");
        }
    }

    public SGD(Iterable<? extends Tensor> params, double lr) {
        this(single(params, "SGD"), new Options(lr));
    }

    public SGD(Iterable<? extends Tensor> params, Options options) {
        this(single(params, "SGD"), options);
    }

    public SGD(List<ParamGroup> groups, Options defaults) {
        super(groups, Args.nonNull(defaults, "SGD", "defaults", "an SGD.Options").asMap());
    }

    @Override
    protected void validate(Map<String, Double> options) {
        Options.validate(options);
    }

    @Override
    public void step() {
        for (ParamGroup group : paramGroups()) {
            double lr = group.get("lr"), momentum = group.get("momentum"), dampening = group.get("dampening");
            double wd = group.get("weight_decay");
            boolean nesterov = group.get("nesterov") != 0;
            double negLr = -lr, keep = 1 - dampening;
            for (Tensor param : group.params()) {
                Tensor grad = denseGrad(param);
                if (grad == null) continue;
                boolean first = momentum != 0 && !hasBuffer(param, "momentum_buffer");
                Tensor buf = momentum != 0 ? bufferTensor(param, "momentum_buffer") : null;
                param.backend().sgd(param, grad, buf, new SgdStep(negLr, momentum, keep, wd, wd != 0, nesterov, first));
                param.storage().bumpVersion();
            }
        }
    }
}
