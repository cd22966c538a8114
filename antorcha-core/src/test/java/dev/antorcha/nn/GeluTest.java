package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.nn.functional.F;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * GELU against the standard normal CDF's table values (x·Φ(x)), the tanh form against its formula,
 * the derivative Φ(x) + x·φ(x) at a few points, float32 and float64, and PyTorch's printed form and
 * refusal of an unknown approximation.
 */
class GeluTest {
    // x, Φ(x) (standard normal CDF)
    private static final double[][] PHI = {{-3, 0.0013498980316300946}, {-1, 0.15865525393145707},
            {-0.5, 0.3085375387259869}, {0, 0.5}, {0.5, 0.6914624612740131}, {1, 0.8413447460685429},
            {2, 0.9772498680518208}};

    @Test
    void exactFormIsXTimesTheNormalCdf() {
        double[] xs = new double[PHI.length];
        for (int i = 0; i < xs.length; i++) xs[i] = PHI[i][0];
        Tensor y64 = F.gelu(Antorcha.tensor(xs));
        Tensor y32 = new GELU().forward(Antorcha.tensor(xs).to(DType.FLOAT32));
        assertThat(y64.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(y32.dtype()).isEqualTo(DType.FLOAT32);
        double[] v64 = y64.toDoubleArray(), v32 = y32.toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double ref = PHI[i][0] * PHI[i][1];
            assertThat(v64[i]).as("gelu(" + xs[i] + ") float64").isCloseTo(ref, within(1e-15));
            assertThat(v32[i]).as("gelu(" + xs[i] + ") float32").isCloseTo(ref, within(3e-7 * Math.max(1, Math.abs(ref))));
        }
    }

    @Test
    void tanhFormFollowsItsFormula() {
        double[] xs = {-3, -1, -0.5, 0, 0.5, 1, 2};
        double[] v = F.gelu(Antorcha.tensor(xs), "tanh").toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            double ref = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertThat(v[i]).as("gelu_tanh(" + x + ")").isCloseTo(ref, within(1e-15));
        }
        // the two forms differ by a few 1e-4 at x = -3
        assertThat(v[0]).isCloseTo(-0.0036373920817729943, within(1e-15));
    }

    @Test
    void derivativeIsCdfPlusXTimesDensity() {
        double[] xs = {-1, 0.5, 2};
        Tensor x = Antorcha.tensor(xs).requiresGrad(true);
        F.gelu(x).sum().backward();
        double[] g = x.grad().toDoubleArray();
        double[] phiCdf = {0.15865525393145707, 0.6914624612740131, 0.9772498680518208};
        for (int i = 0; i < xs.length; i++) {
            double pdf = Math.exp(-xs[i] * xs[i] / 2) / Math.sqrt(2 * Math.PI);
            assertThat(g[i]).as("gelu'(" + xs[i] + ")").isCloseTo(phiCdf[i] + xs[i] * pdf, within(1e-14));
        }
    }

    @Test
    void printedFormAndRefusals() {
        assertThat(new GELU().toString()).isEqualTo("GELU(approximate='none')");
        assertThat(new GELU("tanh").toString()).isEqualTo("GELU(approximate='tanh')");
        assertThatThrownBy(() -> new GELU("fast")).hasMessage("approximate argument must be either none or tanh, got 'fast'");
        assertThatThrownBy(() -> F.gelu(Antorcha.ones(2), "erf")).hasMessageContaining("either none or tanh");
        assertThatThrownBy(() -> F.gelu(Antorcha.tensor(new long[] {1}))).hasMessageContaining("not implemented for 'Long'");
    }
}
