package dev.antorcha.nn;

import java.math.BigDecimal;

/** Python's printed forms of the values in module reprs, so that {@code toString()} reads as PyTorch's. */
final class Reprs {
    private Reprs() {
    }

    /** An int size as Python prints the argument it stands for: {@code 2} for one int, {@code (2, 3)} for a pair. */
    static String size(int[] s) {
        if (s.length == 1) return Integer.toString(s[0]);
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) sb.append(i > 0 ? ", " : "").append(s[i]);
        return sb.append(")").toString();
    }

    /** A tuple, always in parentheses: {@code (2, 5)}, {@code (4,)}. */
    static String tuple(int[] s) {
        return s.length == 1 ? "(" + s[0] + ",)" : size(s);
    }

    /** Python's {@code repr(float)}: the shortest digits, {@code 1e-05}, {@code 0.1}, {@code 1.0}, {@code 1e+16}. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp >= -4 && exp < 16) {
            String s = d.toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    static String bool(boolean b) {
        return b ? "True" : "False";
    }
}
