package dev.antorcha.tensor;

import java.util.Arrays;

/**
 * An immutable list of dimension sizes, PyTorch's {@code torch.Size}. Prints as {@code [2, 3]}.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape with the given sizes; each must be {@code >= 0}. */
    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension " + d + " in shape " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    /** Wraps without copying; callers promise never to modify {@code dims}. */
    static Shape wrap(int[] dims) {
        return new Shape(dims);
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int get(int i) {
        if (dims.length == 0) {
            throw new IndexOutOfBoundsException("dimension specified as " + i + " but tensor has no dimensions");
        }
        return dims[normalizeDim(i, dims.length)];
    }

    /** A copy of the sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** Product of the sizes (1 for a scalar). */
    public int numel() {
        return numel(dims);
    }

    public static int numel(int[] dims) {
        long n = 1;
        boolean tooMany = false;
        for (int d : dims) {
            n *= d;                                      // n <= 2^31 and d < 2^31: no long overflow
            if (n > Integer.MAX_VALUE - 16) {
                tooMany = true;
                n = Integer.MAX_VALUE;                   // keep multiplying: a later 0 makes it empty
            }
        }
        if (tooMany && n != 0) {
            java.math.BigInteger exact = java.math.BigInteger.ONE;
            for (int d : dims) exact = exact.multiply(java.math.BigInteger.valueOf(d));
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(dims)
                    + " has " + exact + " elements; at most " + (Integer.MAX_VALUE - 16)
                    + " are supported (one tensor is one Java array, indexed by int): use a smaller shape");
        }
        return (int) n;
    }

    /** Turns a possibly negative dim into {@code [0, rank)}, with PyTorch's error message. */
    public static int normalizeDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** Row-major strides of a contiguous tensor of these sizes. */
    public static int[] contiguousStrides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /**
     * The broadcast of two shapes under NumPy/PyTorch rules, or PyTorch's error naming the
     * first dimension that does not match.
     */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int ia = a.length - n + i, ib = b.length - n + i;
            int da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da
                        + ") must match the size of tensor b (" + db
                        + ") at non-singleton dimension " + i);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Formats sizes as {@code 128x784}, the way PyTorch's matmul errors do. */
    public static String times(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append('x');
            sb.append(dims[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
