package dev.antorcha.optim;

import dev.antorcha.backend.RmspropStep;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSprop with PyTorch 1.13's single-tensor update, per parameter and step:
 * <pre>
 * g = g + wd·p                                             (weight decay as L2)
 * square_avg = α·square_avg + (1-α)·g²
 * centered:  grad_avg = α·grad_avg + (1-α)·g ;  avg = sqrt(square_avg - grad_avg²) + eps
 * else:      avg = sqrt(square_avg) + eps                  (eps outside the root, unlike Adadelta)
 * momentum &gt; 0:  buf = momentum·buf + g/avg ;  p = p - lr·buf
 * else:          p = p - lr·g/avg
 * </pre>
 * The state holds {@code step}, {@code square_avg}, and {@code momentum_buffer} (momentum &gt; 0)
 * and {@code grad_avg} (centered) as in torch.
 */
public class RMSprop extends Optimizer {

    /** Validated hyperparameters (PyTorch's defaults: lr 0.01, alpha 0.99, eps 1e-8, no decay, momentum or centering). */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        public Options {
            validate(Map.of("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum", momentum,
                    "centered", centered ? 1.0 : 0.0));
        }

        public Options(double lr) {
            this(lr, 0.99, 1e-8, 0, 0, false);
        }

        Map<String, Double> asMap() {
            return Map.of("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum", momentum,
                    "centered", centered ? 1.0 : 0.0);
        }

        /** PyTorch's checks, in its order. */
        static void validate(Map<String, Double> o) {
            check(o.get("lr") >= 0, "Invalid learning rate: " + o.get("lr"));
            check(o.get("eps") >= 0, "Invalid epsilon value: " + o.get("eps"));
            check(o.get("momentum") >= 0, "Invalid momentum value: " + o.get("momentum"));
            check(o.get("weight_decay") >= 0, "Invalid weight_decay value: " + o.get("weight_decay"));
            check(o.get("alpha") >= 0, "Invalid alpha value: " + o.get("alpha"));
        }
    }

    /** PyTorch's defaults, lr 0.01 included. */
    public RMSprop(Iterable<? extends Tensor> params) {
        this(params, new Options(0.01));
    }

    public RMSprop(Iterable<? extends Tensor> params, double lr) {
        this(params, new Options(lr));
    }

    public RMSprop(Iterable<? extends Tensor> params, Options options) {
        this(single(params, "RMSprop"), options);
    }

    public RMSprop(List<ParamGroup> groups, Options defaults) {
        super(groups, Args.nonNull(defaults, "RMSprop", "defaults", "an RMSprop.Options").asMap());
    }

    @Override
    protected void validate(Map<String, Double> options) {
        Options.validate(options);
    }

    @Override
    public void step() {
        for (ParamGroup group : paramGroups()) {
            double lr = group.get("lr"), alpha = group.get("alpha"), eps = group.get("eps");
            double wd = group.get("weight_decay"), momentum = group.get("momentum");
            boolean centered = group.get("centered") != 0;
            var coefficients = new RmspropStep(alpha, 1 - alpha, eps, -lr, momentum, wd, wd != 0);
            for (Tensor param : group.params()) {
                Tensor g = denseGrad(param);
                if (g == null) continue;
                nextStep(param);
                Tensor squareAvg = bufferTensor(param, "square_avg");
                Tensor buf = momentum > 0 ? bufferTensor(param, "momentum_buffer") : null;
                Tensor gradAvg = centered ? bufferTensor(param, "grad_avg") : null;
                param.backend().rmsprop(param, g, squareAvg, gradAvg, buf, coefficients);
                param.storage().bumpVersion();
            }
        }
    }
}
