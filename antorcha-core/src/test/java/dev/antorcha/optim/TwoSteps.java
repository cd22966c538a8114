package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Two optimizer steps on a 4-element parameter, for the tests of Adadelta, RMSprop and Adagrad.
 * Inputs are dyadic (exact in float32), so one double reference serves both dtypes. The
 * references were computed by hand, element by element in Python doubles, from torch 1.13's
 * single-tensor update formulas as listed in each optimizer's Javadoc. The last element's
 * gradient is 0 at both steps.
 */
final class TwoSteps {
    static final double[] P0 = {0.375, -0.75, 0.00244140625, 1.5};
    static final double[][] GRADS = {{0.125, -0.1484375, 3.0, 0.0}, {-0.1875, 0.046875, 0.109375, 0.0}};

    private TwoSteps() {}

    /** The parameter and its state after two steps, in {@code dtype}. */
    record Result(double[] param, Map<String, Tensor> state) {
        double[] state(String name) {
            assertThat(state).as("state names").containsKey(name);
            return state.get(name).toDouble().toDoubleArray();
        }
    }

    static Result run(DType dtype, Function<List<Parameter>, Optimizer> make) {
        Parameter p = new Parameter(Antorcha.tensor(P0.clone()).to(dtype));
        Optimizer opt = make.apply(List.of(p));
        for (double[] g : GRADS) {
            p.setGrad(Antorcha.tensor(g.clone()).to(dtype));
            opt.step();
        }
        assertThat(p.dtype()).isEqualTo(dtype);
        return new Result(p.toDouble().toDoubleArray(), opt.stateDict().state().get(0));
    }

    /**
     * float64 to 1e-14 relative (computed in double); float32 to its rounding, a few parts in 1e7
     * with 1e-12 absolute (the references go down to 1e-6, and a wrong formula moves them by far more).
     */
    static void matches(DType dtype, String what, double[] mine, double... reference) {
        double rel = dtype == DType.FLOAT64 ? 1e-14 : 1e-6, abs = dtype == DType.FLOAT64 ? 0 : 1e-12;
        assertThat(mine).as(what).hasSize(reference.length);
        for (int i = 0; i < reference.length; i++) {
            assertThat(Math.abs(mine[i] - reference[i])).as("%s %s element %d: %s vs %s", dtype, what, i, mine[i], reference[i])
                    .isLessThanOrEqualTo(rel * Math.abs(reference[i]) + abs);
        }
    }
}
