package dev.antorcha.ops;

import dev.antorcha.tensor.Tensor;

/**
 * Null checks for the public entry points, with PyTorch's wording
 * ({@code add(): argument 'other' must be a Tensor, not null}) instead of a bare
 * {@link NullPointerException} thrown from deep inside a kernel. Each op family calls these at
 * its entry, so the message names the operation the caller wrote and the argument at fault.
 * The exception stays a {@code NullPointerException}, Java's type for a null argument.
 */
public final class Args {
    private Args() {
    }

    /** {@code t}, or an exception naming {@code op} and {@code arg} when it is null. */
    public static Tensor tensor(Tensor t, String op, String arg) {
        if (t == null) throw missing(op, arg, "a Tensor");
        return t;
    }

    /** {@code shape}, or an exception naming {@code op} and {@code arg} when it is null. */
    public static int[] ints(int[] shape, String op, String arg) {
        if (shape == null) throw missing(op, arg, "an int array");
        return shape;
    }

    /** {@code value}, or an exception saying that {@code arg} of {@code op} must be {@code what}. */
    public static <T> T nonNull(T value, String op, String arg, String what) {
        if (value == null) throw missing(op, arg, what);
        return value;
    }

    /** {@code values} when neither it nor any element is null; the message gives the index. */
    public static <T> T[] elements(T[] values, String op, String arg, String what) {
        nonNull(values, op, arg, "an array of " + what);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(op + "(): argument '" + arg + "' must hold " + what
                        + " at every position, but element " + i + " is null");
            }
        }
        return values;
    }

    private static NullPointerException missing(String op, String arg, String what) {
        return new NullPointerException(op + "(): argument '" + arg + "' must be " + what + ", not null");
    }
}
