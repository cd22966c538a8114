package dev.antorcha.tensor;

import java.util.Arrays;

/**
 * How a tensor reads its storage: element {@code [i0, ..., ik]} is at
 * {@code offset + i0*strides[0] + ... + ik*strides[k]} (strides in elements). Every view op is a
 * new layout over the same storage; nothing here copies data. Arrays are never modified after
 * construction.
 */
public record Layout(int[] shape, int[] strides, int offset) {

    public static Layout contiguous(int... shape) {
        return new Layout(shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    /** Row-major contiguous: strides equal those of a fresh tensor (size-1 dims ignored); an empty tensor always is, as in torch. */
    public boolean isContiguous() {
        for (int d : shape) if (d == 0) return true;
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Flat storage index of the element at {@code index}. */
    public int indexOf(int... index) {
        int off = offset;
        for (int i = 0; i < index.length; i++) off += index[i] * strides[i];
        return off;
    }

    /**
     * The layout of {@code view(newShape)}, or {@code null} when the strides cannot express it
     * without a copy (then {@code reshape} copies). Follows PyTorch's computeStride.
     */
    public Layout view(int[] newShape) {
        if (isContiguous()) return new Layout(newShape, Shape.contiguousStrides(newShape), offset);
        int[] newStrides = new int[newShape.length];
        if (numel() == 0) return new Layout(newShape, Shape.contiguousStrides(newShape), offset);
        int viewD = newShape.length - 1;
        int chunkBase = strides[shape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return new Layout(newShape, newStrides, offset);
    }

    public Layout transpose(int d0, int d1) {
        int[] sh = shape.clone(), st = strides.clone();
        sh[d0] = shape[d1];
        sh[d1] = shape[d0];
        st[d0] = strides[d1];
        st[d1] = strides[d0];
        return new Layout(sh, st, offset);
    }

    public Layout permute(int[] dims) {
        int[] sh = new int[dims.length], st = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            sh[i] = shape[dims[i]];
            st[i] = strides[dims[i]];
        }
        return new Layout(sh, st, offset);
    }

    /** Broadcast to {@code target}: new leading dims and size-1 dims get stride 0. */
    public Layout expand(int[] target) {
        int extra = target.length - shape.length;
        int[] st = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            int j = i - extra;
            if (j < 0) {
                st[i] = 0;
            } else if (shape[j] == target[i]) {
                st[i] = strides[j];
            } else if (shape[j] == 1) {
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + target[i]
                        + ") must match the existing size (" + shape[j] + ") at non-singleton dimension "
                        + i + ".  Target sizes: " + Arrays.toString(target) + ".  Tensor sizes: "
                        + Arrays.toString(shape));
            }
        }
        return new Layout(target.clone(), st, offset);
    }

    public Layout narrow(int dim, int start, int length) {
        int[] sh = shape.clone();
        sh[dim] = length;
        return new Layout(sh, strides, offset + start * strides[dim]);
    }

    /** Every {@code step}-th element of {@code dim} from {@code start}, {@code length} of them. */
    public Layout slice(int dim, int start, int length, int step) {
        int[] sh = shape.clone(), st = strides.clone();
        sh[dim] = length;
        st[dim] = strides[dim] * step;
        return new Layout(sh, st, offset + start * strides[dim]);
    }

    /** Drops {@code dim}, fixing it at {@code index}. */
    public Layout select(int dim, int index) {
        return new Layout(remove(shape, dim), remove(strides, dim), offset + index * strides[dim]);
    }

    public Layout unsqueeze(int dim) {
        int[] sh = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < sh.length; i++) {
            if (i == dim) {
                sh[i] = 1;
                st[i] = dim < shape.length ? shape[dim] * strides[dim] : 1;
            } else {
                sh[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return new Layout(sh, st, offset);
    }

    public Layout squeeze(int dim) {
        return new Layout(remove(shape, dim), remove(strides, dim), offset);
    }

    static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && offset == l.offset && Arrays.equals(shape, l.shape)
                && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + offset;
    }

    @Override
    public String toString() {
        return "Layout" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " +" + offset;
    }
}
