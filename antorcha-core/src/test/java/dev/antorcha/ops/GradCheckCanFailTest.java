package dev.antorcha.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antorcha.Antorcha;
import dev.antorcha.autograd.GradCheck;
import dev.antorcha.autograd.Graph;
import dev.antorcha.tensor.Tensor;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * Proves that the checker used by the other GradCheck tests can fail: custom primitives
 * recorded with {@link Graph#record} whose backward is deliberately wrong must be rejected,
 * while the same primitive with the right backward passes (the control).
 */
class GradCheckCanFailTest {

    /** {@code x²} computed outside autograd, recorded with the backward {@code factor · x · g}. */
    private static Function<Tensor[], Tensor> square(double factor) {
        return in -> {
            Tensor x = in[0];
            Tensor out;
            try (var _ = Antorcha.noGrad()) {
                out = x.mul(x);
            }
            return Graph.record(out, "SquareBackward", Graph.inputs(x), Graph.saved(x),
                    (g, needs) -> Graph.grads(g.mul(x).mul(factor)));
        };
    }

    /** {@code a · b} with d/da right and d/db scaled by {@code factorB}. */
    private static Function<Tensor[], Tensor> product(double factorB) {
        return in -> {
            Tensor a = in[0], b = in[1];
            Tensor out;
            try (var _ = Antorcha.noGrad()) {
                out = a.mul(b);
            }
            return Graph.record(out, "ProductBackward", Graph.inputs(a, b), Graph.saved(a, b),
                    (g, needs) -> Graph.grads(needs[0] ? g.mul(b) : null, needs[1] ? g.mul(a).mul(factorB) : null));
        };
    }

    private static Tensor input() {
        Antorcha.manualSeed(7);
        return OpsTestSupport.awayFromZero(3, 4);
    }

    @Test
    void correctCustomBackwardPasses() {
        GradCheck.Result r = GradCheck.check(square(2), input());
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    @Test
    void backwardOffByFactorTwoFails() {
        GradCheck.Result r = GradCheck.check(square(4), input());
        assertThat(r.passed()).as(r.toString()).isFalse();
        assertThat(r.message()).startsWith("gradcheck failed");
        assertThat(r.input()).isZero();
        assertThat(r.element()).isBetween(0, 11);
        // analytic = 2 * (true derivative); numeric ≈ the true derivative.
        assertThat(r.analytic() / r.numeric()).isBetween(1.95, 2.05);
    }

    @Test
    void backwardOffByFactorHalfFails() {
        GradCheck.Result r = GradCheck.check(square(1), input());
        assertThat(r.passed()).as(r.toString()).isFalse();
        assertThat(r.analytic() / r.numeric()).isBetween(0.45, 0.55);
    }

    @Test
    void backwardWithWrongSignFails() {
        GradCheck.Result r = GradCheck.check(square(-2), input());
        assertThat(r.passed()).as(r.toString()).isFalse();
        assertThat(r.analytic() / r.numeric()).isBetween(-1.05, -0.95);
    }

    @Test
    void wrongGradientOfSecondInputIsReportedForThatInput() {
        Antorcha.manualSeed(11);
        Tensor a = OpsTestSupport.awayFromZero(2, 3), b = OpsTestSupport.awayFromZero(2, 3);
        GradCheck.Result ok = GradCheck.check(product(1), a, b);
        assertThat(ok.passed()).as(ok.toString()).isTrue();

        GradCheck.Result bad = GradCheck.check(product(2), a, b);
        assertThat(bad.passed()).as(bad.toString()).isFalse();
        assertThat(bad.input()).isEqualTo(1);
        assertThat(bad.analytic() / bad.numeric()).isBetween(1.95, 2.05);
    }

    @Test
    void missingGradientFails() {
        // A backward that returns no gradient at all: GradCheck sees analytic 0 vs numeric 2x.
        Function<Tensor[], Tensor> f = in -> {
            Tensor x = in[0];
            Tensor out;
            try (var _ = Antorcha.noGrad()) {
                out = x.mul(x);
            }
            return Graph.record(out, "NoGradBackward", Graph.inputs(x), Graph.nothingSaved(),
                    (g, needs) -> Graph.grads((Tensor) null));
        };
        GradCheck.Result r = GradCheck.check(f, input());
        assertThat(r.passed()).as(r.toString()).isFalse();
        assertThat(r.analytic()).isZero();
    }

    @Test
    void nanGradientFails() {
        GradCheck.Result r = GradCheck.check(square(Double.NaN), input());
        assertThat(r.passed()).as(r.toString()).isFalse();
    }

    @Test
    void wrongBackwardOnStridedLeafFails() {
        Antorcha.manualSeed(3);
        Tensor x = OpsTestSupport.strided(OpsTestSupport.awayFromZero(3, 4));
        assertThat(GradCheck.check(square(2), x).passed()).isTrue();
        GradCheck.Result r = GradCheck.check(square(4), x);
        assertThat(r.passed()).as(r.toString()).isFalse();
    }
}
