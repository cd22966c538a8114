package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * SGD, Adam and AdamW steps on a float64 parameter, computed in double: two steps from
 * {@code p0} with the gradients below, against PyTorch 1.13's float64 results (printed with
 * Python's repr by {@code torch.optim.*} on the same numbers) to 1e-14 relative. A float32 step
 * would be off by about 1e-8.
 */
class Float64OptimizersTest {
    private static final double[] P0 = {1.0 / 3, -0.7, 2.5e-3};
    private static final double[][] GRADS = {{0.1, -1.0 / 7, 3.0}, {-0.2, 0.05, 1.0 / 9}};

    private static double[] twoSteps(Function<List<Parameter>, Optimizer> make) {
        Parameter p = new Parameter(Antorcha.tensor(P0.clone()));
        assertThat(p.dtype()).isEqualTo(DType.FLOAT64);
        Optimizer opt = make.apply(List.of(p));
        for (double[] g : GRADS) {
            p.setGrad(Antorcha.tensor(g.clone()));
            opt.step();
        }
        return p.toDoubleArray();
    }

    private static void matches(double[] mine, double... torch) {
        for (int i = 0; i < torch.length; i++) {
            assertThat(Math.abs(mine[i] - torch[i])).as("element %d: %s vs PyTorch's %s", i, mine[i], torch[i])
                    .isLessThanOrEqualTo(1e-14 * Math.abs(torch[i]));
        }
    }

    @Test
    void sgdWithMomentumDampeningAndWeightDecay() {
        matches(twoSteps(ps -> new SGD(ps, new SGD.Options(0.01, 0.9, 0.1, 0.05, false))),
                0.3327671916666667, -0.6967565146428571, -0.05548999943750001);
    }

    @Test
    void nesterov() {
        matches(twoSteps(ps -> new SGD(ps, new SGD.Options(0.01, 0.9, 0, 0.05, true))),
                0.33365710583333336, -0.69546828175, -0.08086272135486111);
    }

    @Test
    void adamWithWeightDecayAndAmsgrad() {
        matches(twoSteps(ps -> new Adam(ps, new Adam.Options(0.01, 0.9, 0.999, 1e-8, 0.05, true))),
                0.3260280269084178, -0.6839711216005705, -0.014470633049652636);
    }

    @Test
    void adamW() {
        matches(twoSteps(ps -> new AdamW(ps, new Adam.Options(0.01, 0.9, 0.999, 1e-8, 0.05, false))),
                0.3266661193716822, -0.6854404755314681, -0.01446904126442436);
    }
}
