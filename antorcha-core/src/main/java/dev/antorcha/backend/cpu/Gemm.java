package dev.antorcha.backend.cpu;

/**
 * Single-precision matrix multiply {@code C = A · B} on strided operands, so transposed views
 * ({@code W.t()}) need no copy. Goto/BLIS structure: for each block of {@code KC} of the inner
 * dimension, B is packed into panels {@code NR} wide and A into panels {@code MR} tall, and a
 * register-blocked micro-kernel ({@link FloatKernels#gemmTile}) computes each {@code MR×NR} tile.
 * Tiles are grouped into a fixed grid of tasks that may run in parallel; every element of C is
 * summed in the same order whatever the number of threads, so results do not depend on it.
 */
final class Gemm {
    static final int MR = 6;
    private static final int KC = 256;
    /** Rows of C per task (a multiple of MR) and panels of B per task. */
    private static final int TASK_ROWS = 4 * MR;
    private static final int TASK_PANELS = 4;
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 20;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);

    private Gemm() {
    }

    static void gemm(FloatKernels k, int m, int n, int kk,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        if (kk == 0 || m == 0 || n == 0) return;
        int nr = k.gemmNr();
        int panels = (n + nr - 1) / nr;
        int rowTasks = (m + TASK_ROWS - 1) / TASK_ROWS, colTasks = (panels + TASK_PANELS - 1) / TASK_PANELS;
        boolean parallel = (long) m * n * kk >= PARALLEL_WORK;
        float[] bp = null;
        for (int p0 = 0; p0 < kk; p0 += KC) {
            int kc = Math.min(KC, kk - p0);
            bp = packB(b, bOff + p0 * bRs, bRs, bCs, kc, n, nr, panels, bp);
            float[] fbp = bp;
            int fp0 = p0;
            Parallel.forEach(rowTasks * colTasks, parallel, task -> {
                int rt = task / colTasks, ct = task % colTasks;
                int i0 = rt * TASK_ROWS, rows = Math.min(TASK_ROWS, m - i0);
                float[][] scratch = SCRATCH.get();
                float[] ap = scratch[0] = ensure(scratch[0], TASK_ROWS * kc);
                packA(a, aOff + i0 * aRs + fp0 * aCs, aRs, aCs, kc, rows, ap);
                int jp0 = ct * TASK_PANELS, jp1 = Math.min(panels, jp0 + TASK_PANELS);
                for (int ip = 0; ip * MR < rows; ip++) {
                    int r = Math.min(MR, rows - ip * MR);
                    for (int jp = jp0; jp < jp1; jp++) {
                        int cols = Math.min(nr, n - jp * nr);
                        k.gemmTile(kc, ap, ip * MR * kc, fbp, jp * nr * kc,
                                c, cOff + (i0 + ip * MR) * ldc + jp * nr, ldc, r, cols);
                    }
                }
            });
        }
    }

    private static float[] ensure(float[] buf, int size) {
        return buf != null && buf.length >= size ? buf : new float[size];
    }

    /** B[p0.., :] as panels: panel j holds columns j·nr.. as [kc][nr], zero-padded. */
    private static float[] packB(float[] b, int off, int rs, int cs, int kc, int n, int nr, int panels, float[] reuse) {
        int size = panels * nr * kc;
        float[] bp = reuse != null && reuse.length >= size ? reuse : new float[size];
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jp * nr, cols = Math.min(nr, n - j0), base = jp * nr * kc;
            for (int p = 0; p < kc; p++) {
                int src = off + p * rs + j0 * cs, dst = base + p * nr;
                if (cs == 1) {
                    System.arraycopy(b, src, bp, dst, cols);
                } else {
                    for (int j = 0; j < cols; j++) bp[dst + j] = b[src + j * cs];
                }
                for (int j = cols; j < nr; j++) bp[dst + j] = 0f;
            }
        }
        return bp;
    }

    /** {@code rows} rows of A as panels of MR: panel i holds rows i·MR.. as [kc][MR], zero-padded. */
    private static void packA(float[] a, int off, int rs, int cs, int kc, int rows, float[] ap) {
        for (int ip = 0; ip * MR < rows; ip++) {
            int r0 = ip * MR, r = Math.min(MR, rows - r0), base = ip * MR * kc;
            for (int i = 0; i < MR; i++) {
                if (i >= r) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + i] = 0f;
                    continue;
                }
                int src = off + (r0 + i) * rs;
                for (int p = 0; p < kc; p++) ap[base + p * MR + i] = a[src + p * cs];
            }
        }
    }
}
