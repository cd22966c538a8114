package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SIMD float64 exp, sigmoid and tanh against {@link StrictMath} (fdlibm, correctly rounded
 * to within 1 ulp): at most 3 ulps apart over the ranges an LSTM meets and far beyond, the same
 * special values, and every tail length computed as the full vectors are.
 */
class PanamaDoubleMathTest {

    @BeforeEach
    void simd() {
        Assumptions.assumeTrue(VectorizationProvider.simdKernels().isPresent(), "jdk.incubator.vector absent: no SIMD kernels");
    }

    private interface InPlace {
        void apply(double[] a, int off, int n);
    }

    private static double ulps(double got, double want) {
        if (Double.isNaN(want)) return Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (got == want) return 0;
        return Math.abs(got - want) / Math.ulp(want);
    }

    private static void within3Ulps(String name, InPlace f, DoubleUnaryOperator reference) {
        Random rnd = new Random(7);
        for (double range : new double[] {1e-300, 1e-8, 1e-3, 0.7, 3, 20, 700, 760}) {
            double[] x = new double[10_007];   // not a multiple of the vector length: the masked tail too
            for (int i = 0; i < x.length; i++) x[i] = (rnd.nextDouble() * 2 - 1) * range;
            double[] y = x.clone();
            f.apply(y, 0, y.length);
            for (int i = 0; i < x.length; i++) {
                assertThat(ulps(y[i], reference.applyAsDouble(x[i])))
                        .as("%s(%s) = %s, StrictMath %s", name, x[i], y[i], reference.applyAsDouble(x[i])).isLessThanOrEqualTo(3);
            }
        }
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 709.7, 709.79, 710, 800,
            -708.5, -740, -745.1, -745.2, -746, -1000, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] y = special.clone();
        f.apply(y, 0, y.length);
        for (int i = 0; i < special.length; i++) {
            double want = reference.applyAsDouble(special[i]);
            assertThat(ulps(y[i], want)).as("%s(%s) = %s, StrictMath %s", name, special[i], y[i], want).isLessThanOrEqualTo(1);
            if (want == 0) assertThat(Double.doubleToRawLongBits(y[i])).as("sign of %s(%s)", name, special[i]).isEqualTo(Double.doubleToRawLongBits(want));
        }
    }

    @Test
    void expIsWithin3UlpsOfStrictMath() {
        within3Ulps("exp", PanamaDoubleMath::exp, StrictMath::exp);
    }

    @Test
    void sigmoidIsWithin3UlpsOfTheFormula() {
        within3Ulps("sigmoid", PanamaDoubleMath::sigmoid, x -> 1.0 / (1.0 + StrictMath.exp(-x)));
    }

    @Test
    void tanhIsWithin3UlpsOfStrictMath() {
        within3Ulps("tanh", PanamaDoubleMath::tanh, StrictMath::tanh);
    }

    @Test
    void aRunIsComputedInPlaceAndOnlyThere() {
        double[] a = {5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 5};
        PanamaDoubleMath.tanh(a, 1, 12);
        assertThat(a[0]).isEqualTo(5);
        assertThat(a[13]).isEqualTo(5);
        for (int i = 1; i <= 12; i++) assertThat(ulps(a[i], StrictMath.tanh(i))).as("tanh(%d)", i).isLessThanOrEqualTo(3);
    }
}
