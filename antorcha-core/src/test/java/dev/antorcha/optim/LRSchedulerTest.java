package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Learning-rate schedules over 12 epochs against PyTorch 1.13's {@code get_last_lr()}, printed
 * with {@code repr} by Python from:
 * <pre>
 * def lrs(make):
 *     p = torch.zeros(1, requires_grad=True); o = torch.optim.SGD([p], lr=0.1); s = make(o); out = []
 *     for e in range(12): out.append(s.get_last_lr()[0]); o.step(); s.step()
 *     return out
 * </pre>
 */
class LRSchedulerTest {

    private static List<Double> lrs(Function<Optimizer, LRScheduler> make) {
        Parameter p = new Parameter(Antorcha.zeros(1));
        SGD sgd = new SGD(List.of(p), 0.1);
        LRScheduler s = make.apply(sgd);
        List<Double> out = new ArrayList<>();
        for (int epoch = 0; epoch < 12; epoch++) {
            out.add(s.lastLr().get(0));
            assertThat(sgd.paramGroups().get(0).lr()).as("the optimizer uses the scheduled rate").isEqualTo(s.lastLr().get(0));
            sgd.step();
            s.step();
        }
        return out;
    }

    private static void assertSequence(List<Double> got, double... expected) {
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(got.get(i)).as("epoch " + i).isCloseTo(expected[i], within(1e-15 * Math.abs(expected[i]) + 1e-18));
        }
    }

    @Test
    void stepLR() {
        // lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.1))
        assertSequence(lrs(o -> new StepLR(o, 2, 0.1)), 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
                0.0010000000000000002, 0.0010000000000000002, 0.00010000000000000003, 0.00010000000000000003,
                1.0000000000000004e-05, 1.0000000000000004e-05, 1.0000000000000004e-06, 1.0000000000000004e-06);
    }

    @Test
    void cosineAnnealingLR() {
        // lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.001)): down to eta_min
        // at epoch 5, then back up (the recursive form's special case at (epoch - 1 - T_max) % (2 T_max) == 0)
        assertSequence(lrs(o -> new CosineAnnealingLR(o, 5, 0.001)), 0.1, 0.0905463412215599, 0.06579634122155989,
                0.035203658778440096, 0.010453658778440105, 0.001, 0.010453658778440102, 0.03520365877844012,
                0.06579634122155993, 0.09054634122155995, 0.10000000000000005, 0.09054634122155998);
    }

    @Test
    void schedulersScaleEachGroupFromItsOwnInitialRate() {
        Parameter a = new Parameter(Antorcha.zeros(1)), b = new Parameter(Antorcha.zeros(1));
        SGD sgd = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).set("lr", 1.0)), new SGD.Options(0.1));
        StepLR s = new StepLR(sgd, 1, 0.5);
        assertThat(sgd.paramGroups().get(0).get("initial_lr")).isEqualTo(0.1);
        assertThat(sgd.paramGroups().get(1).get("initial_lr")).isEqualTo(1.0);
        sgd.step();
        s.step();
        sgd.step();
        s.step();
        assertThat(s.lastLr()).containsExactly(0.025, 0.25);
        assertThat(s.lastEpoch()).isEqualTo(2);
    }

    @Test
    void badSchedulerArgumentsAreRejected() {
        SGD sgd = new SGD(List.of(new Parameter(Antorcha.zeros(1))), 0.1);
        assertThatThrownBy(() -> new StepLR(sgd, 0, 0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> new CosineAnnealingLR(sgd, -3, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
    }
}
