package dev.antorcha.backend.cpu;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The error function in double precision (Java's {@code Math} has none), fast enough for GELU. erf is
 * tabulated at the multiples of 1/32 below 6 (beyond 6 it is ±1: erfc(6) ≈ 2e-17 is below half an ulp
 * of 1); between them its Taylor series around the nearest grid point x₀ is summed, using
 * {@code erf^(k+1)(x₀) = 2/√π · (−1)^k H_k(x₀) e^(−x₀²)} with the Hermite polynomials H_k, which
 * converges within about 12 terms for |x − x₀| ≤ 1/64. The table is computed once from the Maclaurin
 * series in 45-digit decimal arithmetic (its terms stay below 1e15), so its entries are correctly
 * rounded; results are within about 1 ulp.
 */
final class Erf {
    private static final int STEPS = 32;   // grid points per unit
    private static final int POINTS = 6 * STEPS + 1;
    private static final double[] ERF = new double[POINTS];   // erf(i / 32)
    private static final double[] SLOPE = new double[POINTS];   // erf'(i / 32) = 2/√π e^(−(i/32)²)
    private static final double[] INV = new double[41];   // 1 / k

    static {
        MathContext mc = new MathContext(45);
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
        BigDecimal twoOverSqrtPi = BigDecimal.valueOf(2).divide(pi.sqrt(mc), mc);
        BigDecimal eps = new BigDecimal("1e-40");
        for (int i = 0; i < POINTS; i++) {
            BigDecimal x = BigDecimal.valueOf(i).divide(BigDecimal.valueOf(STEPS), mc);   // exact: a dyadic fraction
            BigDecimal minusX2 = x.multiply(x, mc).negate();
            // erf(x) = 2/√π Σ (−x²)ⁿ x / (n! (2n+1)),  e^(−x²) = Σ (−x²)ⁿ / n!
            BigDecimal pow = BigDecimal.ONE, series = BigDecimal.ZERO, exp = BigDecimal.ZERO;
            for (int n = 0; n == 0 || pow.abs().compareTo(eps) > 0; n++) {
                if (n > 0) pow = pow.multiply(minusX2, mc).divide(BigDecimal.valueOf(n), mc);
                exp = exp.add(pow, mc);
                series = series.add(pow.multiply(x, mc).divide(BigDecimal.valueOf(2L * n + 1), mc), mc);
            }
            ERF[i] = twoOverSqrtPi.multiply(series, mc).doubleValue();
            SLOPE[i] = twoOverSqrtPi.multiply(exp, mc).doubleValue();
        }
        for (int k = 1; k < INV.length; k++) INV[k] = 1.0 / k;
    }

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        if (a >= 6) return Math.copySign(1.0, x);
        int i = (int) Math.rint(a * STEPS);
        double x0 = (double) i / STEPS, h = a - x0;   // exact: a and x0 are within a factor 2 (or x0 = 0)
        // Σ_k (−1)^k H_k(x0) h^(k+1) / (k+1)!, with H_(k+1) = 2 x0 H_k − 2k H_(k−1)
        double hPrev = 1, hCur = 2 * x0, p = h, sum = h;
        for (int k = 1; k < INV.length - 1; k++) {
            p *= h * INV[k + 1];
            sum += ((k & 1) == 0 ? hCur : -hCur) * p;
            // H_k(0) = 0 for odd k: bound the rest by H_(k-1) too, never both zero
            if (Math.abs(p) * (Math.abs(hCur) + Math.abs(hPrev)) <= 1e-17 * Math.abs(sum)) break;
            double next = 2 * x0 * hCur - 2 * k * hPrev;
            hPrev = hCur;
            hCur = next;
        }
        return Math.copySign(ERF[i] + SLOPE[i] * sum, x);
    }
}
