package dev.antorcha.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The double-precision erf against reference values (C's {@code erf} from libm, printed with 17
 * digits), on both sides of the switch from the series to the continued fraction at 1.5 and the
 * saturation at 6; it is odd and NaN passes through.
 */
class ErfTest {
    private static final double[][] REF = {
            {0.0, 0.0}, {1e-8, 1.1283791670955126e-08}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465},
            {1, 0.8427007929497149}, {1.4999, 0.9660932516622953}, {1.5, 0.9661051464753108}, {2, 0.9953222650189527}, {2.5, 0.999593047982555},
            {2.999, 0.9999777698314002}, {3, 0.9999779095030014}, {3.5, 0.9999992569016276}, {4, 0.9999999845827421},
            {5, 0.9999999999984626}, {5.9, 0.9999999999999999}, {6, 1.0}, {-0.7, -0.6778011938374184},
            {-3.2, -0.9999939742388483}};

    @Test
    void matchesLibmToTheLastBits() {
        for (double[] r : REF) {
            assertThat(Erf.erf(r[0])).as("erf(" + r[0] + ")").isCloseTo(r[1], within(4 * Math.ulp(r[1]) + 1e-300));
        }
    }

    @Test
    void isOddSaturatesAndPassesNaN() {
        for (double x : new double[] {0.25, 1.75, 2.9, 3.1, 4.5}) assertThat(Erf.erf(-x)).isEqualTo(-Erf.erf(x));
        assertThat(Erf.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Erf.erf(-40)).isEqualTo(-1.0);
        assertThat(Erf.erf(Double.NaN)).isNaN();
    }
}
