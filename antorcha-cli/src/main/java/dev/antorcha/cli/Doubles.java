package dev.antorcha.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a number option as Python's {@code float()} does: besides Java's forms, {@code nan},
 * {@code inf}, {@code -inf} and {@code infinity} in any case, so that {@code --lr inf} reaches
 * the option's own check ("must be finite") instead of being called "not a number".
 */
final class Doubles implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        String unsigned = v.startsWith("+") || v.startsWith("-") ? v.substring(1) : v;
        double sign = v.startsWith("-") ? -1 : 1;
        if (unsigned.equals("nan")) return Double.NaN;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) return sign * Double.POSITIVE_INFINITY;
        try {
            // Java would also take hexadecimal floats and a trailing d or f; a user means neither.
            if (v.matches(".*[xdf].*")) throw new NumberFormatException();
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    /** A value as the user would write it: {@code nan}, {@code inf}, {@code 0.001}. */
    static String format(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return Double.toString(d);
    }
}
