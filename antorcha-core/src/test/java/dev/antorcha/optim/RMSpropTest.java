package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RMSprop against two steps computed by hand (see {@link TwoSteps}) in each mode, and PyTorch's messages. */
class RMSpropTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void plainTwoSteps(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new RMSprop(ps, 0.01));
        TwoSteps.matches(dtype, "param", r.param(), 0.35833337629624873, -0.6802510378728933, -0.10122033329199048, 1.5);
        TwoSteps.matches(dtype, "square_avg", r.state("square_avg"),
                0.0005062500000000004, 0.0002401062011718752, 0.08921962890625008, 0.0);
        assertThat(r.state().keySet()).containsExactly("step", "square_avg");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void centeredWithMomentumAndWeightDecay(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new RMSprop(ps, new RMSprop.Options(0.01, 0.9, 1e-6, 0.05, 0.9, true)));
        TwoSteps.matches(dtype, "param", r.param(),
                0.33640196018965157, -0.6887254526739048, -0.06215185946514156, 1.4114531588758275);
        TwoSteps.matches(dtype, "square_avg", r.state("square_avg"),
                0.004763948335578196, 0.003123739625859601, 0.8112286589448321, 0.0010440288641497962);
        TwoSteps.matches(dtype, "grad_avg", r.state("grad_avg"),
                -0.004104162802021983, -0.015630211321141577, 0.2807940268778857, 0.014083340740411536);
        TwoSteps.matches(dtype, "momentum_buffer", r.state("momentum_buffer"),
                0.5265479405952029, -2.7941811554411515, 3.125996941729713, 5.521498920648002);
        assertThat(r.state().keySet()).containsExactly("step", "square_avg", "momentum_buffer", "grad_avg");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void momentumWithoutCentering(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new RMSprop(ps, new RMSprop.Options(0.01, 0.99, 1e-8, 0, 0.5, false)));
        TwoSteps.matches(dtype, "param", r.param(), 0.3083334162962168, -0.6302510715570812, -0.15122033162532386, 1.5);
        TwoSteps.matches(dtype, "momentum_buffer", r.state("momentum_buffer"),
                -3.3333336296280747, -1.9748995811294536, 5.366174120865712, 0.0);
        assertThat(r.state().keySet()).containsExactly("step", "square_avg", "momentum_buffer");
    }

    @Test
    void defaultsArePyTorchs() {
        var g = new RMSprop(List.of(new Parameter(Antorcha.zeros(2)))).paramGroups().get(0);
        assertThat(g.get("lr")).isEqualTo(0.01);
        assertThat(g.get("alpha")).isEqualTo(0.99);
        assertThat(g.get("eps")).isEqualTo(1e-8);
        assertThat(g.get("weight_decay")).isEqualTo(0.0);
        assertThat(g.get("momentum")).isEqualTo(0.0);
        assertThat(g.get("centered")).isEqualTo(0.0);
    }

    @Test
    void badHyperparametersFailWithPyTorchsMessages() {
        List<Parameter> ps = List.of(new Parameter(Antorcha.zeros(2)));
        assertThatThrownBy(() -> new RMSprop(ps, -0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid learning rate: -0.01");
        assertThatThrownBy(() -> new RMSprop(ps, new RMSprop.Options(0.01, -0.5, 1e-8, 0, 0, false)))
                .hasMessage("Invalid alpha value: -0.5");
        assertThatThrownBy(() -> new RMSprop(ps, new RMSprop.Options(0.01, 0.99, -1.0, 0, 0, false)))
                .hasMessage("Invalid epsilon value: -1.0");
        assertThatThrownBy(() -> new RMSprop(ps, new RMSprop.Options(0.01, 0.99, 1e-8, -0.1, 0, false)))
                .hasMessage("Invalid weight_decay value: -0.1");
        assertThatThrownBy(() -> new RMSprop(ps, new RMSprop.Options(0.01, 0.99, 1e-8, 0, -0.9, false)))
                .hasMessage("Invalid momentum value: -0.9");
    }
}
