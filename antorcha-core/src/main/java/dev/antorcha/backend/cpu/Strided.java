package dev.antorcha.backend.cpu;

/**
 * Walks the rows of an N-dimensional index space for several operands at once, each with its
 * own strides (0 where broadcast). Dimensions that are contiguous for every operand are merged
 * first, so a contiguous op is one row of {@code numel} elements and costs one callback.
 */
final class Strided {

    /** Receives one row: each operand's start offset and inner stride, and the row length. */
    interface Row {
        void row(int[] offsets, int[] innerStrides, int n);
    }

    private Strided() {
    }

    static void forEachRow(int[] shape, int[][] strides, int[] offsets, Row row) {
        int ops = strides.length;
        int rank = shape.length;
        for (int d : shape) if (d == 0) return;
        // Drop size-1 dims and merge neighbours that are contiguous for every operand.
        int[] sh = new int[rank];
        int[][] st = new int[ops][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && mergeable(strides, d, shape[d], st, r - 1)) {
                sh[r - 1] *= shape[d];
                for (int k = 0; k < ops; k++) st[k][r - 1] = strides[k][d];
                continue;
            }
            sh[r] = shape[d];
            for (int k = 0; k < ops; k++) st[k][r] = strides[k][d];
            r++;
        }
        int[] offs = offsets.clone();
        int[] inner = new int[ops];
        if (r == 0) {
            row.row(offs, inner, 1);
            return;
        }
        int n = sh[r - 1];
        for (int k = 0; k < ops; k++) inner[k] = st[k][r - 1];
        int[] idx = new int[r - 1];
        while (true) {
            row.row(offs, inner, n);
            int d = r - 2;
            for (; d >= 0; d--) {
                for (int k = 0; k < ops; k++) offs[k] += st[k][d];
                if (++idx[d] < sh[d]) break;
                for (int k = 0; k < ops; k++) offs[k] -= st[k][d] * sh[d];
                idx[d] = 0;
            }
            if (d < 0) return;
        }
    }

    /** Whether dim {@code d} (size {@code size}) continues the previous merged dim for all operands. */
    private static boolean mergeable(int[][] strides, int d, int size, int[][] st, int prev) {
        for (int k = 0; k < strides.length; k++) {
            if (st[k][prev] != strides[k][d] * size) return false;
        }
        return true;
    }
}
