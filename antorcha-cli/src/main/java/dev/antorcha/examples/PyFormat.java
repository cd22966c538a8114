package dev.antorcha.examples;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Python's {@code format(v, ".6g")}, so that the example prints its numbers as the Python does. */
final class PyFormat {
    private PyFormat() {
    }

    /** {@code f"{v:.6g}"}: 6 significant digits, trailing zeros dropped, exponent form below 1e-4 or from 1e6. */
    static String g6(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        BigDecimal r = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;   // the decimal exponent of the rounded value
        if (exp < -4 || exp >= 6) {
            String mantissa = strip(r.movePointLeft(exp).toPlainString());
            return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
        }
        return strip(r.toPlainString());
    }

    private static String strip(String s) {
        if (!s.contains(".")) return s;
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
