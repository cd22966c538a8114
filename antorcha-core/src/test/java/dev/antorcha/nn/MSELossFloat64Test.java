package dev.antorcha.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * MSELoss on float64 tensors, as the time-sequence example trains it: differences of 1e-10 that
 * float32 would round to 0 (1 + 1e-10 is 1 in float32), the loss and its gradient 2(x − t)/n in
 * float64, and torch's promotion of a float32 target to the float64 input's dtype.
 */
class MSELossFloat64Test {

    @Test
    void meanOfSquaresKeepsDoublePrecision() {
        Tensor x = Antorcha.tensor(new double[] {1 + 1e-10, 2, -3}).requiresGrad(true);
        Tensor t = Antorcha.tensor(new double[] {1, 2 - 3e-10, -3});
        Tensor loss = new MSELoss().forward(x, t);
        assertThat(loss.dtype()).isEqualTo(DType.FLOAT64);
        // the differences as doubles: (1 + 1e-10) - 1 and 2 - (2 - 3e-10), each within an ulp of 1 resp. 2
        double d0 = (1 + 1e-10) - 1, d1 = 2 - (2 - 3e-10);
        double expected = (d0 * d0 + d1 * d1) / 3;   // ≈ 3.33e-20, a float32 computation gives 0
        assertThat(loss.doubleItem()).isCloseTo(expected, within(1e-32));
        assertThat(loss.doubleItem()).isGreaterThan(3.3e-20);
        loss.backward();
        double[] g = x.grad().toDoubleArray();
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(g[0]).isCloseTo(2 * d0 / 3, within(1e-25));
        assertThat(g[1]).isCloseTo(2 * d1 / 3, within(1e-25));
        assertThat(g[2]).isZero();
    }

    @Test
    void sumReductionAndAFloat32TargetPromoteToFloat64() {
        Tensor x = Antorcha.tensor(new double[] {0.1, 0.2});
        Tensor t = Antorcha.tensor(new float[] {0.5f, -0.25f}, 2);   // exact in float32
        Tensor loss = new MSELoss(Reduction.SUM).forward(x, t);
        assertThat(loss.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(loss.doubleItem()).isCloseTo((0.1 - 0.5) * (0.1 - 0.5) + (0.2 + 0.25) * (0.2 + 0.25), within(1e-16));
    }
}
