package dev.antorcha.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Adadelta against two steps computed by hand (see {@link TwoSteps}), its defaults and PyTorch's messages. */
class AdadeltaTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void twoStepsWithWeightDecay(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new Adadelta(ps, new Adadelta.Options(1.0, 0.9, 1e-6, 0.05)));
        TwoSteps.matches(dtype, "param", r.param(),
                0.3753172849857225, -0.7470794622979423, -0.0008925454704313022, 1.4936022997910474);
        TwoSteps.matches(dtype, "square_avg", r.state("square_avg"),
                0.004712759426597182, 0.003120635834004222, 0.811261420051084, 0.0010663828926966677);
        TwoSteps.matches(dtype, "acc_delta", r.state("acc_delta"),
                2.109768057346444e-06, 9.05561489803035e-07, 9.029462586946681e-07, 1.9470160112934316e-06);
        assertThat(r.state().keySet()).containsExactly("step", "square_avg", "acc_delta");
        assertThat(r.state().get("step").item()).isEqualTo(2f);
    }

    /** rho and eps from the options; eps inside both roots, so a zero gradient leaves the element alone. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void twoStepsWithOtherRhoAndEps(DType dtype) {
        var r = TwoSteps.run(dtype, ps -> new Adadelta(ps, new Adadelta.Options(0.5, 0.95, 1e-4, 0)));
        TwoSteps.matches(dtype, "param", r.param(), 0.3791993697673661, -0.7377441667323844, -0.021098623621046225, 1.5);
        TwoSteps.matches(dtype, "square_avg", r.state("square_avg"),
                0.0025000000000000022, 0.001156463623046876, 0.4280981445312504, 0.0);
        TwoSteps.matches(dtype, "acc_delta", r.state("acc_delta"),
                0.00021176435488270599, 0.00010385449650716748, 9.525823999541432e-05, 0.0);
    }

    @Test
    void defaultsArePyTorchs() {
        Parameter p = new Parameter(Antorcha.zeros(2));
        var withLr = new Adadelta(List.of(p), 1.0).paramGroups().get(0);
        assertThat(withLr.get("lr")).isEqualTo(1.0);
        assertThat(withLr.get("rho")).isEqualTo(0.9);
        assertThat(withLr.get("eps")).isEqualTo(1e-6);
        assertThat(withLr.get("weight_decay")).isEqualTo(0.0);
        assertThat(new Adadelta(List.of(p)).paramGroups().get(0).options()).isEqualTo(withLr.options());
    }

    @Test
    void aParameterWithoutGradientIsLeftAloneAndGetsNoState() {
        Parameter a = new Parameter(Antorcha.tensor(new float[] {1, 2})), b = new Parameter(Antorcha.tensor(new float[] {3, 4}));
        Adadelta opt = new Adadelta(List.of(a, b), 1.0);
        a.setGrad(Antorcha.tensor(new float[] {0.5f, -0.5f}));
        opt.step();
        assertThat(b.toFloatArray()).containsExactly(3f, 4f);
        assertThat(a.toFloatArray()[0]).isLessThan(1f);
        assertThat(opt.stateDict().state()).containsOnlyKeys(0);
    }

    @Test
    void badHyperparametersFailWithPyTorchsMessages() {
        List<Parameter> ps = List.of(new Parameter(Antorcha.zeros(2)));
        assertThatThrownBy(() -> new Adadelta(ps, new Adadelta.Options(1.0, 1.5, 1e-6, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid rho value: 1.5");
        assertThatThrownBy(() -> new Adadelta(ps, new Adadelta.Options(1.0, -0.1, 1e-6, 0))).hasMessage("Invalid rho value: -0.1");
        assertThatThrownBy(() -> new Adadelta(ps, -1.0)).hasMessage("Invalid learning rate: -1.0");
        assertThatThrownBy(() -> new Adadelta(ps, new Adadelta.Options(1.0, 0.9, -1e-6, 0)))
                .hasMessage("Invalid epsilon value: -1.0E-6");
        assertThatThrownBy(() -> new Adadelta(ps, new Adadelta.Options(1.0, 0.9, 1e-6, -0.5)))
                .hasMessage("Invalid weight_decay value: -0.5");
        // rho 0 and 1 are allowed, as in torch (0 <= rho <= 1)
        new Adadelta(ps, new Adadelta.Options(1.0, 1.0, 1e-6, 0));
        new Adadelta(ps, new Adadelta.Options(1.0, 0.0, 1e-6, 0));
    }

    @Test
    void aGroupWithABadRhoFailsToo() {
        ParamGroup group = ParamGroup.of(List.of(new Parameter(Antorcha.zeros(2)))).set("rho", 2.0);
        assertThatThrownBy(() -> new Adadelta(List.of(group), new Adadelta.Options(1.0)))
                .hasMessage("Invalid rho value: 2.0");
    }
}
