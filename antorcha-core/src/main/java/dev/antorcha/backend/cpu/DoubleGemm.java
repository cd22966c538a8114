package dev.antorcha.backend.cpu;

/**
 * Double-precision matrix multiply {@code C = A · B} (or {@code C += A · B}) on strided operands,
 * the float64 twin of {@link Gemm}: for each block of {@link #KC} steps of the inner dimension,
 * B is packed into panels {@code nr} wide and A into panels {@link #MR} tall, and a
 * register-blocked micro-kernel ({@link DoubleGemmKernels#tile}) computes each {@code MR×nr} tile.
 * Tiles are grouped into a fixed grid of tasks that depends on the shape only; every element of C
 * is summed in the same order whatever the number of threads, so results do not depend on it.
 * The loops live here and not in {@code CpuBackend*}, which the launcher keeps away from the
 * optimizing compiler.
 */
final class DoubleGemm {
    /** Rows of a register tile: 12 rows × 1 vector are twelve accumulators (see {@link PanamaDoubleGemmKernels}). */
    static final int MR = 12;
    /**
     * Steps of the inner dimension per block: a B micro-panel ({@code KC × nr}, 8 KB at nr = 4)
     * stays in the 32 KB L1 cache while the A micro-panels ({@code KC × MR}, 24 KB) stream past it.
     */
    static final int KC = 256;
    /** Most rows of C per task (a multiple of MR): their packed A block ({@code MC × KC}, 144 KB) stays in L2. */
    private static final int MC = 6 * MR;
    /** Panels of B per task (256 columns of C at nr = 4). */
    private static final int TASK_PANELS = 64;
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 18;
    /** Below this many elements of B, packing it takes less than handing it to another thread. */
    private static final long PARALLEL_PACK = 1L << 15;

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][]);

    private DoubleGemm() {
    }

    /**
     * {@code C[m×n] = A[m×kk] · B[kk×n]} ({@code +=} when {@code accumulate}); A and B are given by
     * array, offset and row and column strides (any, so transposed views need no copy), C by
     * offset and row stride {@code ldc}.
     */
    static void gemm(DoubleGemmKernels k, int m, int n, int kk,
                     double[] a, int aOff, int aRs, int aCs,
                     double[] b, int bOff, int bRs, int bCs,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        gemm(k, m, n, kk, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, null, 0);
    }

    /**
     * As above, and then {@code C[i, j] += bias[biasOff + j]} when {@code bias} is not null (a linear
     * layer's {@code x Wᵀ + b}): each task adds it to its block of C once the block's sums are
     * complete, the same additions as a separate pass, so the same bits.
     */
    static void gemm(DoubleGemmKernels k, int m, int n, int kk,
                     double[] a, int aOff, int aRs, int aCs,
                     double[] b, int bOff, int bRs, int bCs,
                     double[] c, int cOff, int ldc, boolean accumulate, double[] bias, int biasOff) {
        if (m == 0 || n == 0) return;
        if (kk == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
            if (bias != null) addBias(bias, biasOff, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        int nr = k.nr();
        int panels = (n + nr - 1) / nr;
        int kBlocks = (kk + KC - 1) / KC;
        boolean parallel = (long) m * n * kk >= PARALLEL_WORK;
        double[] bp = packB(k, b, bOff, bRs, bCs, kk, n, panels, kBlocks, parallel && (long) kk * n >= PARALLEL_PACK);
        GemmGrid grid = GemmGrid.of(m, panels, MR, MC, TASK_PANELS);
        Parallel.forEach(grid.tasks(), parallel, task -> {
            int i0 = task / grid.colTasks() * grid.taskRows();
            int rows = Math.min(grid.taskRows(), m - i0), ct = task % grid.colTasks();
            task(k, n, kk, a, aOff, aRs, aCs, bp, c, cOff, ldc, accumulate, i0, rows, ct);
            if (bias != null) {
                int c0 = ct * TASK_PANELS * nr;
                addBias(bias, biasOff, c, cOff, ldc, i0, i0 + rows, c0, Math.min(n, c0 + TASK_PANELS * nr));
            }
        });
    }

    /** {@code C[i, j] += bias[biasOff + j]} for rows {@code [i0, i1)}, columns {@code [j0, j1)}. */
    private static void addBias(double[] bias, int biasOff, double[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            for (int j = j0; j < j1; j++) c[row + j] += bias[biasOff + j];
        }
    }

    /**
     * One task of the grid: rows {@code i0..i0+rows} and panels {@code ct·TASK_PANELS..} of C.
     * For each k-block in order, the task's rows of A are packed (they stay in L2) and each B
     * micro-panel meets every A micro-panel.
     */
    private static void task(DoubleGemmKernels k, int n, int kk, double[] a, int aOff, int aRs, int aCs,
                             double[] bp, double[] c, int cOff, int ldc, boolean accumulate, int i0, int rows, int ct) {
        int nr = k.nr(), panels = (n + nr - 1) / nr;
        int panelStride = nr * KC, blockStride = panels * panelStride;
        int jp0 = ct * TASK_PANELS, jp1 = Math.min(panels, jp0 + TASK_PANELS);
        double[][] scratch = SCRATCH.get();
        double[] ap = scratch[0] = ensure(scratch[0], MC * KC), tile = scratch[2] = ensure(scratch[2], MR * nr);
        for (int q = 0, p0 = 0; p0 < kk; q++, p0 += KC) {
            int kc = Math.min(KC, kk - p0);
            packA(k, a, aOff + i0 * aRs + p0 * aCs, aRs, aCs, kc, rows, ap);
            boolean acc = q > 0 || accumulate;
            for (int jp = jp0; jp < jp1; jp++) {
                int cols = Math.min(nr, n - jp * nr), bAt = q * blockStride + jp * panelStride;
                for (int ip = 0; ip * MR < rows; ip++) {
                    k.tile(kc, ap, ip * MR * kc, bp, bAt, c, cOff + (i0 + ip * MR) * ldc + jp * nr, ldc,
                            Math.min(MR, rows - ip * MR), cols, acc, tile);
                }
            }
        }
    }

    private static double[] ensure(double[] buf, int size) {
        return buf != null && buf.length >= size ? buf : new double[size];
    }

    /** All of B as k-blocks of panels ([kc][nr], zero-padded), in this thread's scratch buffer. */
    private static double[] packB(DoubleGemmKernels k, double[] b, int off, int rs, int cs, int kk, int n, int panels,
                                  int kBlocks, boolean parallel) {
        int nr = k.nr(), panelStride = nr * KC;
        double[][] scratch = SCRATCH.get();
        double[] bp = scratch[1] = ensure(scratch[1], kBlocks * panels * panelStride);
        Parallel.forEach(kBlocks * panels, parallel, t -> {
            int q = t / panels, jp = t % panels, p0 = q * KC, j0 = jp * nr;
            k.packB(b, off + p0 * rs + j0 * cs, rs, cs, Math.min(KC, kk - p0), Math.min(nr, n - j0), bp, t * panelStride);
        });
        return bp;
    }

    /** {@code rows} rows of A as panels of MR: panel i holds rows i·MR.. as [kc][MR], zero-padded. */
    private static void packA(DoubleGemmKernels k, double[] a, int off, int rs, int cs, int kc, int rows, double[] ap) {
        for (int ip = 0; ip * MR < rows; ip++) {
            int r0 = ip * MR;
            k.packA(a, off + r0 * rs, rs, cs, kc, Math.min(MR, rows - r0), ap, ip * MR * kc);
        }
    }
}
