package dev.antorcha.optim;

import dev.antorcha.backend.AdadeltaStep;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adadelta (Zeiler, 2012) with PyTorch 1.13's single-tensor update, per parameter and step:
 * <pre>
 * g = g + wd·p                                             (weight decay as L2)
 * square_avg = ρ·square_avg + (1-ρ)·g²
 * delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) · g         (eps inside both roots)
 * acc_delta = ρ·acc_delta + (1-ρ)·delta²
 * p = p - lr·delta
 * </pre>
 * The state holds {@code step}, {@code square_avg} and {@code acc_delta}, as in torch.
 *
 * <pre>{@code
 * Optimizer optimizer = new Adadelta(model.parameters(), 1.0);    // examples/mnist
 * }</pre>
 */
public class Adadelta extends Optimizer {

    /** Validated hyperparameters (PyTorch's defaults: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0). */
    public record Options(double lr, double rho, double eps, double weightDecay) {
        public Options {
            validate(Map.of("lr", lr, "rho", rho, "eps", eps, "weight_decay", weightDecay));
        }

        public Options(double lr) {
            this(lr, 0.9, 1e-6, 0);
        }

        Map<String, Double> asMap() {
            return Map.of("lr", lr, "rho", rho, "eps", eps, "weight_decay", weightDecay);
        }

        static void validate(Map<String, Double> o) {
            check(o.get("lr") >= 0, "Invalid learning rate: " + o.get("lr"));
            check(o.get("rho") >= 0 && o.get("rho") <= 1, "Invalid rho value: " + o.get("rho"));
            check(o.get("eps") >= 0, "Invalid epsilon value: " + o.get("eps"));
            check(o.get("weight_decay") >= 0, "Invalid weight_decay value: " + o.get("weight_decay"));
        }
    }

    /** PyTorch's defaults, lr 1.0 included. */
    public Adadelta(Iterable<? extends Tensor> params) {
        this(params, new Options(1.0));
    }

    public Adadelta(Iterable<? extends Tensor> params, double lr) {
        this(params, new Options(lr));
    }

    public Adadelta(Iterable<? extends Tensor> params, Options options) {
        this(single(params, "Adadelta"), options);
    }

    public Adadelta(List<ParamGroup> groups, Options defaults) {
        super(groups, Args.nonNull(defaults, "Adadelta", "defaults", "an Adadelta.Options").asMap());
    }

    @Override
    protected void validate(Map<String, Double> options) {
        Options.validate(options);
    }

    @Override
    public void step() {
        for (ParamGroup group : paramGroups()) {
            double lr = group.get("lr"), rho = group.get("rho"), eps = group.get("eps"), wd = group.get("weight_decay");
            var coefficients = new AdadeltaStep(rho, 1 - rho, eps, -lr, wd, wd != 0);
            for (Tensor param : group.params()) {
                Tensor g = denseGrad(param);
                if (g == null) continue;
                nextStep(param);
                Tensor squareAvg = bufferTensor(param, "square_avg"), accDelta = bufferTensor(param, "acc_delta");
                param.backend().adadelta(param, g, squareAvg, accDelta, coefficients);
                param.storage().bumpVersion();
            }
        }
    }
}
