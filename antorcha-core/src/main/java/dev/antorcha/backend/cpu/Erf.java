package dev.antorcha.backend.cpu;

/**
 * The error function in double precision (Java's {@code Math} has none). Below |x| = 1.5 the series
 * {@code erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3···(2n+1))}, whose terms are all positive (no
 * cancellation); from 1.5 on the continued fraction of {@code erfc} (Lentz's method), which converges
 * within about 90 terms there; beyond 6, ±1 (erfc(6) ≈ 2e-17 is below half an ulp of 1). Relative error about 1e-16.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        if (a >= 6) return Math.copySign(1.0, x);
        if (a < 1.5) {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < 1e-17 * sum) break;
            }
            return Math.copySign(TWO_OVER_SQRT_PI * expMinusSquare(a) * sum, x);
        }
        return Math.copySign(1 - erfcLarge(a), x);
    }

    /**
     * {@code e^(−a²)} without the rounding error of {@code a²} (which e^ magnifies by a²): a is split
     * into a 26-bit head, whose square is exact, and the rest.
     */
    private static double expMinusSquare(double a) {
        double head = Double.longBitsToDouble(Double.doubleToRawLongBits(a) & 0xFFFFFFFFF8000000L);
        return Math.exp(-head * head) * Math.exp(-(a - head) * (a + head));
    }

    /**
     * erfc(a) for a >= 1.5: {@code e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...))))}, evaluated
     * by the modified Lentz algorithm.
     */
    private static double erfcLarge(double a) {
        final double tiny = 1e-300;
        double f = a, c = a, d = 0;
        for (int k = 1; k < 200; k++) {
            double an = k / 2.0;
            d = a + an * d;
            if (d == 0) d = tiny;
            c = a + an / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return ONE_OVER_SQRT_PI * expMinusSquare(a) / f;
    }
}
