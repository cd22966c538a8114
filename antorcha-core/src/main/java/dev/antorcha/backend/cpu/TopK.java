package dev.antorcha.backend.cpu;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Layout;
import dev.antorcha.tensor.Tensor;

/**
 * topk's selection: per fibre, the positions of the k best elements, best first. Each element
 * becomes a {@code long} key whose signed order is the value order (NaN above +infinity, -0.0
 * equal to 0.0), then a stable merge sort of the positions by key picks the k best with equal
 * values in index order.
 */
final class TopK {
    private TopK() {
    }

    /** x (float32, float64 or int64) → the int64 {@code indices} (x's shape with k at {@code dim}). */
    static void indices(Tensor x, int k, int dim, boolean largest, Tensor indices) {
        int rank = x.dim();
        int[] perm = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) if (i != dim) perm[j++] = i;
        perm[rank - 1] = dim;
        Tensor fibres = x.viewOf(x.layout().permute(perm)).contiguousCopy();   // each fibre contiguous, last
        int n = x.layout().shape()[dim];
        int rows = fibres.numel() / n;
        long[] keys = keys(fibres);
        long[] out = new long[rows * k];
        int[] order = new int[n], tmp = new int[n];
        long[] rowKeys = new long[n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
                long key = keys[r * n + i];
                rowKeys[i] = largest ? ~key : key;   // ~ reverses the order exactly (no overflow)
            }
            mergeSort(order, tmp, rowKeys, 0, n);
            for (int i = 0; i < k; i++) out[r * k + i] = order[i];
        }
        int[] outShape = fibres.layout().shape().clone();
        outShape[rank - 1] = k;
        Tensor src = Tensor.fromStorage(CpuStorage.ofLongs(out), Layout.contiguous(outShape), DType.INT64);
        Layout target = indices.layout().permute(perm);
        indices.backend().copy(src, indices.viewOf(target));
    }

    private static long[] keys(Tensor fibres) {
        int n = fibres.numel();
        long[] keys = new long[n];
        switch (fibres.dtype()) {
            case INT64 -> System.arraycopy(CpuStorage.longs(fibres), 0, keys, 0, n);
            case FLOAT64 -> {
                double[] v = CpuStorage.doubles(fibres);
                for (int i = 0; i < n; i++) keys[i] = key(v[i]);
            }
            case FLOAT32 -> {
                float[] v = CpuStorage.floats(fibres);
                for (int i = 0; i < n; i++) keys[i] = key(v[i]);
            }
            default -> throw new IllegalArgumentException("topk: no kernel for " + fibres.dtype().torchName());
        }
        return keys;
    }

    /** A long whose signed order is the double order; every NaN maps to the one key above +infinity. */
    private static long key(double v) {
        if (v != v) return Long.MAX_VALUE;
        long bits = Double.doubleToLongBits(v + 0.0);   // -0.0 + 0.0 is 0.0
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }

    /** Stable ascending sort of {@code order[lo, hi)} by {@code keys[order[i]]}. */
    private static void mergeSort(int[] order, int[] tmp, long[] keys, int lo, int hi) {
        if (hi - lo < 2) return;
        if (hi - lo <= 16) {   // insertion sort: stable, and quick on short runs
            for (int i = lo + 1; i < hi; i++) {
                int o = order[i];
                long key = keys[o];
                int j = i - 1;
                while (j >= lo && keys[order[j]] > key) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = o;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(order, tmp, keys, lo, mid);
        mergeSort(order, tmp, keys, mid, hi);
        int i = lo, j = mid, t = lo;
        while (i < mid && j < hi) tmp[t++] = keys[order[j]] < keys[order[i]] ? order[j++] : order[i++];
        while (i < mid) tmp[t++] = order[i++];
        while (j < hi) tmp[t++] = order[j++];
        System.arraycopy(tmp, lo, order, lo, hi - lo);
    }
}
