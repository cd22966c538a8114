package dev.antorcha.nn.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.Module;
import dev.antorcha.nn.Parameter;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * clip_grad_norm_ and clip_grad_value_ against hand-computed norms (3-4-5 and 5-12-13 triangles), with
 * torch 1.13's float32 arithmetic for the coefficient, the unclipped case multiplied by exactly 1,
 * parameters without a gradient skipped, a shared parameter counted once through
 * {@code Module.parameters()}, and the non-finite check.
 */
class ClipGradTest {

    private static Parameter param(float[] grad) {
        Parameter p = new Parameter(Antorcha.zeros(grad.length));
        p.setGrad(Antorcha.tensor(grad.clone(), grad.length));
        return p;
    }

    /** torch: coef = (total + 1e-6).reciprocal() * max_norm in float32, clamped at 1. */
    private static float coef(float total, double maxNorm) {
        float denom = total + (float) 1e-6;
        return Math.min((1f / denom) * (float) maxNorm, 1f);
    }

    @Test
    void l2NormOfAllGradientsTogether() {
        Parameter a = param(new float[] {3, 4}), b = param(new float[] {12});   // norms 5 and 12: total 13
        Tensor total = ClipGrad.clipGradNorm_(List.of(a, b), 1.0);
        assertThat(total.dim()).isZero();
        assertThat(total.item()).isEqualTo(13f);
        float c = coef(13f, 1.0);
        assertThat(a.grad().toFloatArray()).containsExactly(3 * c, 4 * c);
        assertThat(b.grad().toFloatArray()).containsExactly(12 * c);
    }

    @Test
    void infinityNormIsTheLargestMagnitude() {
        Parameter a = param(new float[] {3, -7}), b = param(new float[] {2});
        Tensor total = ClipGrad.clipGradNorm_(List.of(a, b), 0.5, Double.POSITIVE_INFINITY);
        assertThat(total.item()).isEqualTo(7f);
        float c = coef(7f, 0.5);
        assertThat(a.grad().toFloatArray()).containsExactly(3 * c, -7 * c);
        assertThat(b.grad().toFloatArray()).containsExactly(2 * c);
    }

    @Test
    void noClippingLeavesGradientsUnchangedAndStillReturnsTheNorm() {
        Parameter a = param(new float[] {0.3f, 0.4f});
        Parameter none = new Parameter(Antorcha.ones(3));   // no gradient: skipped
        Tensor total = ClipGrad.clipGradNorm_(List.of(a, none), 100.0);
        assertThat(total.item()).isEqualTo((float) Math.sqrt(0.3f * 0.3f + 0.4f * 0.4f), org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(a.grad().toFloatArray()).containsExactly(0.3f, 0.4f);
        assertThat(none.grad()).isNull();
        assertThat(ClipGrad.clipGradNorm_(List.of(none), 1.0).item()).isZero();
    }

    @Test
    void aSharedParameterCountsOnceThroughModuleParameters() {
        Parameter shared = param(new float[] {3, 4});
        Parameter other = param(new float[] {0, 12});
        Module m = new Module() {
            {
                registerParameter("encoder_weight", shared);
                registerParameter("decoder_weight", shared);
                registerParameter("other", other);
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        };
        assertThat(m.parameters()).hasSize(2);
        // counted once: sqrt(25 + 144) = 13 (twice it would be sqrt(194))
        assertThat(ClipGrad.clipGradNorm_(m.parameters(), 1.0).item()).isEqualTo(13f);
        float c = coef(13f, 1.0);
        assertThat(shared.grad().toFloatArray()).as("scaled once").containsExactly(3 * c, 4 * c);
    }

    @Test
    void float64GradientsGiveAFloat64Norm() {
        Parameter p = new Parameter(Antorcha.zeros(DType.FLOAT64, 2));
        p.setGrad(Antorcha.tensor(new double[] {0.6, 0.8}));
        Tensor total = ClipGrad.clipGradNorm_(List.of(p), 0.5);
        assertThat(total.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(total.doubleItem()).isEqualTo(1.0);
        double c = 0.5 / (1 + 1e-6);
        double[] g = p.grad().toDoubleArray();
        assertThat(g[0]).isCloseTo(0.6 * c, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(g[1]).isCloseTo(0.8 * c, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void nonFiniteNormScalesByDefaultAndThrowsWhenAsked() {
        Parameter p = param(new float[] {Float.NaN, 1});
        assertThatThrownBy(() -> ClipGrad.clipGradNorm_(List.of(p), 1.0, 2.0, true))
                .hasMessageContaining("is non-finite, so it cannot be clipped");
        assertThat(p.grad().toFloatArray()[1]).as("nothing scaled before the error").isEqualTo(1f);
        assertThat(ClipGrad.clipGradNorm_(List.of(p), 1.0).item()).isNaN();
        assertThat(p.grad().toFloatArray()[1]).isNaN();
    }

    @Test
    void clipGradValueClampsEveryElement() {
        Parameter a = param(new float[] {-3, 0.5f, 2}), none = new Parameter(Antorcha.ones(1));
        ClipGrad.clipGradValue_(List.of(a, none), 1.0);
        assertThat(a.grad().toFloatArray()).containsExactly(-1, 0.5f, 1);
        assertThat(none.grad()).isNull();
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> ClipGrad.clipGradNorm_(null, 1.0))
                .hasMessage("clipGradNorm_(): argument 'parameters' must be an Iterable of Tensors, not null");
        assertThatThrownBy(() -> ClipGrad.clipGradValue_(Arrays.asList(param(new float[] {1}), null), 1.0))
                .hasMessageContaining("element 1 is null");
        assertThatThrownBy(() -> ClipGrad.clipGradNorm_(List.of(param(new float[] {1})), 1.0, -2))
                .hasMessageContaining("norm_type");
    }
}
