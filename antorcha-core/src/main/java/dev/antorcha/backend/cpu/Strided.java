package dev.antorcha.backend.cpu;

/**
 * Walks the rows of an N-dimensional index space for several operands at once, each with its
 * own strides (0 where broadcast). Dimensions that are contiguous for every operand are merged
 * first, so a contiguous op is one row of {@code numel} elements and costs one callback.
 *
 * <p>A large space (at least {@link #PARALLEL_MIN} elements) is split into blocks of its
 * outermost merged dimension (or of its one row) that the CPU threads walk side by side: the
 * callers are element-wise maps, each output element computed alone from its inputs, so the
 * results are the same on any number of threads. The callback must not keep state between
 * rows.
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
        for (int d : shape) if (d == 0) return;
        // Drop size-1 dims and merge neighbours that are contiguous for every operand.
        int[] sh = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
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
        if (r == 0) {
            row.row(offsets.clone(), new int[ops], 1);
            return;
        }
        long total = 1;
        for (int d = 0; d < r; d++) total *= sh[d];
        if (total < PARALLEL_MIN || Parallel.threads() < 2) {
            walk(sh, st, r, offsets, 0, sh[0], row);
            return;
        }
        // Blocks of the outermost dim, or of the one row in runs that are a multiple of 64 long.
        int outer = sh[0], blocks = (int) Math.min(outer, Math.min(MAX_BLOCKS, total / (PARALLEL_MIN / 2)));
        int unit = r == 1 ? 64 : 1, units = (outer + unit - 1) / unit;
        int count = Math.max(1, Math.min(blocks, units));
        int rank = r;
        Parallel.forEach(count, true, b -> {
            int from = (int) ((long) units * b / count) * unit, to = Math.min(outer, (int) ((long) units * (b + 1) / count) * unit);
            if (from < to) walk(sh, st, rank, offsets, from, to, row);
        });
    }

    /** Elements per op from which its rows are walked by all the CPU threads. */
    static final int PARALLEL_MIN = 1 << 16;
    /** Most blocks an op is split into (a thread takes the next free one). */
    private static final int MAX_BLOCKS = 16;

    /** The rows of merged dims {@code sh[0..r)} with the outermost index in {@code [from, to)}. */
    private static void walk(int[] sh, int[][] st, int r, int[] offsets, int from, int to, Row row) {
        int ops = st.length;
        int[] offs = offsets.clone();
        int[] inner = new int[ops];
        for (int k = 0; k < ops; k++) offs[k] += from * st[k][0];
        if (r == 1) {
            for (int k = 0; k < ops; k++) inner[k] = st[k][0];
            row.row(offs, inner, to - from);
            return;
        }
        int[] size = sh.clone();
        size[0] = to - from;
        int n = size[r - 1];
        for (int k = 0; k < ops; k++) inner[k] = st[k][r - 1];
        int[] idx = new int[r - 1];
        while (true) {
            row.row(offs, inner, n);
            int d = r - 2;
            for (; d >= 0; d--) {
                for (int k = 0; k < ops; k++) offs[k] += st[k][d];
                if (++idx[d] < size[d]) break;
                for (int k = 0; k < ops; k++) offs[k] -= st[k][d] * size[d];
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
