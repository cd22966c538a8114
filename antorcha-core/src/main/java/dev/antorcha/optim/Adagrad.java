package dev.antorcha.optim;

import dev.antorcha.backend.AdagradStep;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adagrad with PyTorch 1.13's single-tensor dense update, per parameter and step t (from 1):
 * <pre>
 * g = g + wd·p                                             (weight decay as L2)
 * clr = lr / (1 + (t-1)·lr_decay)                          (double)
 * sum = sum + g²
 * p = p - clr·g / (sqrt(sum) + eps)
 * </pre>
 * As in torch, the state ({@code step} 0 and {@code sum} filled with
 * {@code initial_accumulator_value}) exists from construction, so a state dict taken before the
 * first step already holds it.
 */
public class Adagrad extends Optimizer {

    /** Validated hyperparameters (PyTorch's defaults: lr 0.01, no decay, accumulator 0, eps 1e-10). */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        public Options {
            validate(Map.of("lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay,
                    "initial_accumulator_value", initialAccumulatorValue, "eps", eps));
        }

        public Options(double lr) {
            this(lr, 0, 0, 0, 1e-10);
        }

        Map<String, Double> asMap() {
            return Map.of("lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay,
                    "initial_accumulator_value", initialAccumulatorValue, "eps", eps);
        }

        /** PyTorch's checks, in its order. */
        static void validate(Map<String, Double> o) {
            check(o.get("lr") >= 0, "Invalid learning rate: " + o.get("lr"));
            check(o.get("lr_decay") >= 0, "Invalid lr_decay value: " + o.get("lr_decay"));
            check(o.get("weight_decay") >= 0, "Invalid weight_decay value: " + o.get("weight_decay"));
            check(o.get("initial_accumulator_value") >= 0,
                    "Invalid initial_accumulator_value value: " + o.get("initial_accumulator_value"));
            check(o.get("eps") >= 0, "Invalid epsilon value: " + o.get("eps"));
        }
    }

    /** PyTorch's defaults, lr 0.01 included. */
    public Adagrad(Iterable<? extends Tensor> params) {
        this(params, new Options(0.01));
    }

    public Adagrad(Iterable<? extends Tensor> params, double lr) {
        this(params, new Options(lr));
    }

    public Adagrad(Iterable<? extends Tensor> params, Options options) {
        this(single(params, "Adagrad"), options);
    }

    // The eager state is built from the groups the base constructor has validated; it reads no
    // field of this class, nor one a subclass would add.
    @SuppressWarnings("this-escape")
    public Adagrad(List<ParamGroup> groups, Options defaults) {
        super(groups, Args.nonNull(defaults, "Adagrad", "defaults", "an Adagrad.Options").asMap());
        for (ParamGroup group : paramGroups()) {
            for (Tensor param : group.params()) {
                stepTensor(param);
                sum(param, group);
            }
        }
    }

    @Override
    protected void validate(Map<String, Double> options) {
        Options.validate(options);
    }

    /** {@code param}'s {@code sum}, created filled with the group's initial accumulator value. */
    private Tensor sum(Tensor param, ParamGroup group) {
        if (hasBuffer(param, "sum")) return bufferTensor(param, "sum");
        Tensor sum = bufferTensor(param, "sum");
        sum.backend().fill(sum, group.get("initial_accumulator_value"));
        return sum;
    }

    @Override
    public void step() {
        for (ParamGroup group : paramGroups()) {
            double lr = group.get("lr"), lrDecay = group.get("lr_decay"), wd = group.get("weight_decay");
            double eps = group.get("eps");
            for (Tensor param : group.params()) {
                Tensor g = denseGrad(param);
                if (g == null) continue;
                long t = nextStep(param);
                double clr = lr / (1 + (t - 1) * lrDecay);
                param.backend().adagrad(param, g, sum(param, group), new AdagradStep(-clr, eps, wd, wd != 0));
                param.storage().bumpVersion();
            }
        }
    }
}
