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
    /** Rows of a register tile (see {@link PanamaKernels#gemmTile}). */
    static final int MR = 12;
    /**
     * Steps of the inner dimension per block: a B micro-panel ({@code KC × nr}, 8 KB at nr = 8) and
     * an A micro-panel ({@code KC × MR}, 12 KB) stay in the 32 KB L1 cache together.
     */
    static final int KC = 256;
    /** Most rows of C per task (a multiple of MR): their packed A block ({@code MC × KC}, 96 KB) stays in L2. */
    private static final int MC = 8 * MR;
    /** Panels of B per task (256 columns of C at nr = 8). */
    private static final int TASK_PANELS = 32;
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 20;
    /**
     * Most floats of B packed at a time (2 MB): a block stays in the last-level cache while every
     * row task reads it.
     */
    private static final int B_BLOCK = 1 << 19;
    /**
     * From this many multiply-adds on, row-major A panels and transposed B panels are packed by the
     * kernels' SIMD transposes ({@link FloatKernels#gemmPackA}, {@link FloatKernels#gemmPackBColumns});
     * below, by the scalar copies. The transpose makes the tutorial's
     * forward product 14–24% faster once compiled, but the tutorial's 3-second job took about 0.3 s
     * more CPU with it (median of 8 alternating runs: 6.12 against 5.79 s), the cost of running it
     * before C2 has compiled it; with this threshold, 6.17 against 6.20.
     */
    private static final long SIMD_PACK_WORK = 1L << 25;
    /** Most floats of A packed once for a whole product (4 MB; see {@link #gemm}). */
    private static final int A_SHARED = 1 << 20;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][]);

    private Gemm() {
    }

    static void gemm(FloatKernels k, int m, int n, int kk,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc) {
        gemm(k, m, n, kk, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, false, true);
    }

    /**
     * As above, with {@code C += A·B} when {@code accumulate}; {@code mayParallelize} false keeps
     * the whole product on the calling thread (a caller that already splits its work into
     * parallel tasks, e.g. one convolution image per task).
     */
    static void gemm(FloatKernels k, int m, int n, int kk,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate, boolean mayParallelize) {
        gemm(k, m, n, kk, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, mayParallelize, null, 0);
    }

    /**
     * As above, and then {@code C[i, j] += bias[biasOff + j]} when {@code bias} is not null: a
     * linear layer's {@code x Wᵀ + b} (torch's addmm), each element's sum of products first and the
     * bias added to it, as a separate pass would (the same bits), but by each task to its own block of
     * C while that is still in cache.
     */
    static void gemm(FloatKernels k, int m, int n, int kk,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate, boolean mayParallelize, float[] bias, int biasOff) {
        if (kk == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            if (bias != null) for (int i = 0; i < m; i++) k.axpy(1f, bias, biasOff, c, cOff + i * ldc, n);
            return;
        }
        if (m == 0 || n == 0) return;
        int nr = k.gemmNr(), panelStride = nr * KC;
        int panels = (n + nr - 1) / nr;
        int kBlocks = (kk + KC - 1) / KC;
        boolean parallel = mayParallelize && (long) m * n * kk >= PARALLEL_WORK;
        boolean simd = (long) m * n * kk >= SIMD_PACK_WORK;
        // B is packed a block at a time: [q0, q1) k-blocks of panels [j0, j1), at most B_BLOCK floats,
        // so that the packed block is still in cache when the tasks read it (all of a large B, packed
        // first, went out to memory and came back once per row task). Blocks run in order of columns,
        // then of k, so every element of C is still summed over the k-blocks in order.
        // A transposed B (W.t(): each column contiguous) is cut into blocks of all its k-blocks where
        // at least two column groups fit (fewer leave a thread idle when A has rows for only two
        // uneven row tasks), so that packing reads whole columns; a row-major one into blocks of whole rows.
        int blockPanels = panels, blockKs = kBlocks;
        boolean columns = bRs == 1 && bCs != 1;
        if ((long) kBlocks * panels * panelStride > B_BLOCK) {
            int fit = B_BLOCK / panelStride;
            if (columns && kBlocks * 2 * TASK_PANELS <= fit) {
                blockPanels = Math.min(panels, fit / kBlocks / TASK_PANELS * TASK_PANELS);
            } else {
                blockPanels = Math.min(panels, Math.max(1, fit / TASK_PANELS) * TASK_PANELS);
                blockKs = Math.max(1, Math.min(kBlocks, fit / blockPanels));
            }
        }
        float[][] scratch = SCRATCH.get();
        float[] bp = scratch[1] = ensure(scratch[1], blockKs * blockPanels * panelStride);
        // A, which each task packs for its rows, is packed once for the whole product instead where
        // there are several column groups to pack it for and it is small enough: the word model's
        // decoder input, [700, 200], was packed once per group of its 18,328 outputs, 72 times.
        int aBlock = (m + MR - 1) / MR * MR * KC;
        boolean shareA = panels > TASK_PANELS && (long) kBlocks * aBlock <= A_SHARED;
        float[] apAll = shareA ? (scratch[2] = ensure(scratch[2], kBlocks * aBlock)) : null;
        if (shareA) packAll(k, simd, a, aOff, aRs, aCs, m, kk, apAll, parallel);
        for (int j0 = 0; j0 < panels; j0 += blockPanels) {
            int j1 = Math.min(panels, j0 + blockPanels), np = j1 - j0;
            GemmGrid grid = GemmGrid.of(m, np, MR, MC, TASK_PANELS);
            for (int q0 = 0; q0 < kBlocks; q0 += blockKs) {
                int q1 = Math.min(kBlocks, q0 + blockKs), from = j0, kFrom = q0;
                int nq = q1 - q0;   // a transposed B is packed a column panel's k-blocks after another: whole columns
                Parallel.forEach(nq * np, parallel, t -> packBPanel(k, simd, b, bOff, bRs, bCs, kk, n, nr, from, np, kFrom,
                        columns ? t % nq * np + t / nq : t, bp));
                float[] addBias = q1 == kBlocks ? bias : null;   // after the last k-block
                Parallel.forEach(grid.tasks(), parallel, task -> gemmTask(k, simd, m, n, kk, a, aOff, aRs, aCs, apAll, aBlock,
                        bp, from, np, kFrom, q1, c, cOff, ldc, accumulate, grid.taskRows(), task / grid.colTasks(),
                        task % grid.colTasks(), addBias, biasOff));
            }
        }
    }

    /**
     * One task of a block's grid: rows {@code rt·taskRows..} and the block's panels
     * {@code j0 + ct·TASK_PANELS..} of C, over k-blocks {@code [q0, q1)}. For each k-block in
     * order, the task's rows of A are packed (they stay in L2), unless {@code apAll} holds all of A
     * packed (k-block q at {@code q · aBlock}), and each B micro-panel (loaded into L1 once) meets
     * every A micro-panel; every element of C is summed in the same order whatever the threads.
     */
    private static void gemmTask(FloatKernels k, boolean simd, int m, int n, int kk, float[] a, int aOff, int aRs, int aCs,
                                 float[] apAll, int aBlock, float[] bp, int j0, int np, int q0, int q1,
                                 float[] c, int cOff, int ldc, boolean accumulate, int taskRows, int rt, int ct,
                                 float[] bias, int biasOff) {
        int nr = k.gemmNr();
        int panelStride = nr * KC, blockStride = np * panelStride;
        int i0 = rt * taskRows, rows = Math.min(taskRows, m - i0);
        int jp0 = j0 + ct * TASK_PANELS, jp1 = Math.min(j0 + np, jp0 + TASK_PANELS);
        float[][] scratch = SCRATCH.get();
        float[] ap = apAll != null ? apAll : (scratch[0] = ensure(scratch[0], MC * KC));
        float[] tile = scratch[3] = ensure(scratch[3], MR * nr);
        for (int q = q0; q < q1; q++) {
            int p0 = q * KC, kc = Math.min(KC, kk - p0), aAt = 0;
            if (apAll != null) aAt = q * aBlock + i0 * kc;
            else packA(k, simd, a, aOff + i0 * aRs + p0 * aCs, aRs, aCs, kc, rows, ap, 0);
            boolean acc = q > 0 || accumulate;
            for (int jp = jp0; jp < jp1; jp++) {
                int cols = Math.min(nr, n - jp * nr), bAt = (q - q0) * blockStride + (jp - j0) * panelStride;
                for (int ip = 0; ip * MR < rows; ip++) {
                    k.gemmTile(kc, ap, aAt + ip * MR * kc, bp, bAt, c, cOff + (i0 + ip * MR) * ldc + jp * nr, ldc,
                            Math.min(MR, rows - ip * MR), cols, acc, tile);
                }
            }
        }
        if (bias != null) {
            int c0 = jp0 * nr, width = Math.min(n, jp1 * nr) - c0;
            for (int i = i0; i < i0 + rows; i++) k.axpy(1f, bias, biasOff + c0, c, cOff + i * ldc + c0, width);
        }
    }

    private static float[] ensure(float[] buf, int size) {
        return buf != null && buf.length >= size ? buf : new float[size];
    }

    /**
     * Panel {@code t} of a block of B that starts at column panel {@code j0} and k-block {@code q0}
     * and is {@code np} panels wide: k-block {@code q0 + t / np}, column panel {@code j0 + t % np},
     * packed as [kc][nr] (zero-padded to nr columns) at {@code t · nr · KC} in {@code bp}. With
     * {@code simd}, a full panel of a transposed B goes through the kernels' transpose
     * ({@link FloatKernels#gemmPackBColumns}; same values, so the same bits).
     */
    private static void packBPanel(FloatKernels k, boolean simd, float[] b, int off, int rs, int cs, int kk, int n, int nr,
                                   int j0, int np, int q0, int t, float[] bp) {
        int q = q0 + t / np, jp = j0 + t % np;
        int p0 = q * KC, c0 = jp * nr, kc = Math.min(KC, kk - p0), cols = Math.min(nr, n - c0);
        if (simd && rs == 1 && cs != 1 && cols == nr) k.gemmPackBColumns(b, off + p0 + c0 * cs, cs, kc, bp, t * nr * KC);
        else k.gemmPackB(b, off + p0 * rs + c0 * cs, rs, cs, kc, cols, bp, t * nr * KC);
    }

    // ---- pre-packed operands: for callers that reuse a packed operand (a convolution's weight
    // across images) or pack it themselves (im2col straight into panels) -----------------------

    /** Floats of B {@code [kk × n]} packed: k-blocks of {@code ceil(n / nr)} panels of {@code [KC][nr]}. */
    static int packedBSize(int kk, int n, int nr) {
        return (kk + KC - 1) / KC * ((n + nr - 1) / nr) * nr * KC;
    }

    /** Floats of A {@code [m × kk]} packed: k-blocks of {@code ceil(m / MR)} panels of {@code [kc][MR]}. */
    static int packedASize(int m, int kk) {
        return (kk + KC - 1) / KC * ((m + MR - 1) / MR) * MR * KC;
    }

    /** B packed as {@link #multiplyPacked} reads it, into {@code bp} (at least {@link #packedBSize}); this thread only. */
    static void packB(FloatKernels k, float[] b, int off, int rs, int cs, int kk, int n, int nr, float[] bp) {
        int panels = (n + nr - 1) / nr, kBlocks = (kk + KC - 1) / KC;
        for (int t = 0; t < kBlocks * panels; t++) packBPanel(k, false, b, off, rs, cs, kk, n, nr, 0, panels, 0, t, bp);
    }

    /** A packed as {@link #multiplyPacked} reads it, into {@code ap} (at least {@link #packedASize}). */
    static void packAll(FloatKernels k, float[] a, int off, int rs, int cs, int m, int kk, float[] ap) {
        packAll(k, true, a, off, rs, cs, m, kk, ap, false);
    }

    /** {@link #packAll} in units of MC rows of one k-block, which run in parallel when {@code parallel}. */
    private static void packAll(FloatKernels k, boolean simd, float[] a, int off, int rs, int cs, int m, int kk, float[] ap,
                                boolean parallel) {
        int blockSize = (m + MR - 1) / MR * MR * KC, units = (m + MC - 1) / MC;
        Parallel.forEach((kk + KC - 1) / KC * units, parallel, u -> {
            int q = u / units, r0 = u % units * MC, p0 = q * KC, kc = Math.min(KC, kk - p0);
            packA(k, simd, a, off + r0 * rs + p0 * cs, rs, cs, kc, Math.min(MC, m - r0), ap, q * blockSize + r0 * kc);
        });
    }

    /**
     * {@code C = A·B} (or {@code +=}) on this thread from operands packed by {@link #packAll} and
     * {@link #packB} (or laid out the same way); summed in the same order as {@link #gemm}.
     */
    static void multiplyPacked(FloatKernels k, int m, int n, int kk, float[] ap, float[] bp, float[] c, int cOff, int ldc,
                               boolean accumulate) {
        multiplyPacked(k, m, n, kk, ap, bp, c, cOff, ldc, accumulate, 0, (n + k.gemmNr() - 1) / k.gemmNr());
    }

    /**
     * {@link #multiplyPacked} for B's column panels {@code [jpFrom, jpTo)} only (C's columns from
     * {@code jpFrom·nr} on), so that a caller may split one product by columns among threads; each
     * element of C is summed in the same order as in the whole product.
     */
    static void multiplyPacked(FloatKernels k, int m, int n, int kk, float[] ap, float[] bp, float[] c, int cOff, int ldc,
                               boolean accumulate, int jpFrom, int jpTo) {
        int nr = k.gemmNr(), panels = (n + nr - 1) / nr, panelStride = nr * KC, blockStride = panels * panelStride;
        int aBlock = (m + MR - 1) / MR * MR * KC;
        float[][] scratch = SCRATCH.get();   // the edge tiles' scratch: a convolution calls this once an image
        float[] tile = scratch[3] = ensure(scratch[3], MR * nr);
        for (int q = 0; q * KC < kk; q++) {
            int kc = Math.min(KC, kk - q * KC);
            for (int jp = jpFrom; jp < jpTo; jp++) {
                int cols = Math.min(nr, n - jp * nr);
                for (int ip = 0; ip * MR < m; ip++) {
                    k.gemmTile(kc, ap, q * aBlock + ip * MR * kc, bp, q * blockStride + jp * panelStride,
                            c, cOff + ip * MR * ldc + jp * nr, ldc, Math.min(MR, m - ip * MR), cols, q > 0 || accumulate,
                            tile);
                }
            }
        }
    }

    /** {@code rows} rows of A as panels of MR: panel i holds rows i·MR.. as [kc][MR], zero-padded. */
    private static void packA(FloatKernels k, boolean simd, float[] a, int off, int rs, int cs, int kc, int rows, float[] ap,
                              int apOff) {
        int ip0 = 0;
        if (rs == 1 && cs != 1) {
            // A transposed operand (a weight gradient's gᵀ): each step's values of all the rows are
            // adjacent, so the full panels are filled a step at a time, from one run of memory.
            // (Filling one panel after the other read each step's row once per panel: for the word
            // model's decoder, 256 rows 73 KB apart per panel, a cache miss per copy of 12 floats,
            // and that packing was an eighth of the whole job.)
            int full = rows / MR;
            k.gemmPackAColumns(a, off, cs, kc, full, ap, apOff);   // plain vector copies: no shuffles to set up
            ip0 = full;
        }
        for (int ip = ip0; ip * MR < rows; ip++) {
            int r0 = ip * MR, r = Math.min(MR, rows - r0), base = apOff + ip * MR * kc;
            if (r == MR && cs == 1) {
                if (simd) k.gemmPackA(a, off + r0 * rs, rs, kc, ap, base);
                else FloatKernels.packRowMajorPanel(a, off + r0 * rs, rs, kc, ap, base);
                continue;
            }
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
