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

/** Adagrad against two steps computed by hand (see {@link TwoSteps}), its eager state and PyTorch's messages. */
class AdagradTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void defaultTwoSteps(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new Adagrad(ps, 0.01));
        TwoSteps.matches(dtype, "param", r.param(), 0.3733205029476861, -0.7430113136841733, -0.007922935020356308, 1.5);
        TwoSteps.matches(dtype, "sum", r.state("sum"), 0.05078125, 0.02423095703125, 9.011962890625, 0.0);
        assertThat(r.state().keySet()).containsExactly("step", "sum");
        assertThat(r.state().get("step").item()).isEqualTo(2f);
    }

    /** lr_decay divides the second step's rate by 1 + lr_decay; the accumulator starts at its initial value. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void lrDecayWeightDecayAndInitialAccumulator(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new Adagrad(ps, new Adagrad.Options(0.1, 0.5, 0.05, 0.1, 1e-10)));
        TwoSteps.matches(dtype, "param", r.param(),
                0.3630362115140953, -0.7014771090979212, -0.09931616315377323, 1.462151661975832);
        TwoSteps.matches(dtype, "sum", r.state("sum"),
                0.14984323947833467, 0.13471458538806952, 9.11165783223239, 0.11107825443792227);
    }

    /** As torch's constructor: step 0 and sum = initial_accumulator_value before any step. */
    @Test
    void theStateExistsBeforeTheFirstStep() {
        Parameter p = new Parameter(Antorcha.tensor(new float[] {1, 2, 3}));
        var state = new Adagrad(List.of(p), new Adagrad.Options(0.1, 0, 0, 0.25, 1e-10)).stateDict().state().get(0);
        assertThat(state.keySet()).containsExactly("step", "sum");
        assertThat(state.get("step").item()).isEqualTo(0f);
        assertThat(state.get("sum").toFloatArray()).containsExactly(0.25f, 0.25f, 0.25f);
    }

    @Test
    void defaultsArePyTorchs() {
        var g = new Adagrad(List.of(new Parameter(Antorcha.zeros(2)))).paramGroups().get(0);
        assertThat(g.get("lr")).isEqualTo(0.01);
        assertThat(g.get("lr_decay")).isEqualTo(0.0);
        assertThat(g.get("weight_decay")).isEqualTo(0.0);
        assertThat(g.get("initial_accumulator_value")).isEqualTo(0.0);
        assertThat(g.get("eps")).isEqualTo(1e-10);
    }

    @Test
    void badHyperparametersFailWithPyTorchsMessages() {
        List<Parameter> ps = List.of(new Parameter(Antorcha.zeros(2)));
        assertThatThrownBy(() -> new Adagrad(ps, -0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid learning rate: -0.5");
        assertThatThrownBy(() -> new Adagrad(ps, new Adagrad.Options(0.01, -1, 0, 0, 1e-10)))
                .hasMessage("Invalid lr_decay value: -1.0");
        assertThatThrownBy(() -> new Adagrad(ps, new Adagrad.Options(0.01, 0, -1, 0, 1e-10)))
                .hasMessage("Invalid weight_decay value: -1.0");
        assertThatThrownBy(() -> new Adagrad(ps, new Adagrad.Options(0.01, 0, 0, -0.1, 1e-10)))
                .hasMessage("Invalid initial_accumulator_value value: -0.1");
        assertThatThrownBy(() -> new Adagrad(ps, new Adagrad.Options(0.01, 0, 0, 0, -1e-10)))
                .hasMessage("Invalid epsilon value: -1.0E-10");
    }
}
