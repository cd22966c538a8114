package dev.antorcha.backend.cpu;

/**
 * Single-precision matrix multiply {@code C = A · B} on strided operands, so transposed views
 * ({@code W.t()}) need no copy: the operands are packed block by block into contiguous panels.
 * Blocked over k (panel fits in L2) and n; rows of C are split into fixed blocks that may run in
 * parallel, and each element's summation order is the same whatever the number of threads.
 */
final class Gemm {
    private static final int KC = 256;
    private static final int NC = 512;
    private static final int ROW_BLOCK = 16;
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 18;

    private Gemm() {
    }

    static void gemm(FloatKernels k, int m, int n, int kk,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        if (kk == 0 || m == 0 || n == 0) return;
        int rowBlocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        for (int p0 = 0; p0 < kk; p0 += KC) {
            int kc = Math.min(KC, kk - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                float[] bp = packB(b, bOff + p0 * bRs + j0 * bCs, bRs, bCs, kc, nc);
                int fp0 = p0, fj0 = j0;
                Parallel.forEach(rowBlocks, (long) m * nc * kc >= PARALLEL_WORK, rb -> {
                    float[] ap = new float[kc];
                    int iEnd = Math.min(m, (rb + 1) * ROW_BLOCK);
                    for (int i = rb * ROW_BLOCK; i < iEnd; i++) {
                        int aRow = aOff + i * aRs + fp0 * aCs;
                        for (int p = 0; p < kc; p++) ap[p] = a[aRow + p * aCs];
                        int cRow = cOff + i * ldc + fj0;
                        for (int p = 0; p < kc; p++) {
                            k.axpy(ap[p], bp, p * nc, c, cRow, nc);
                        }
                    }
                });
            }
        }
    }

    private static float[] packB(float[] b, int off, int rs, int cs, int kc, int nc) {
        float[] bp = new float[kc * nc];
        for (int p = 0; p < kc; p++) {
            int src = off + p * rs;
            if (cs == 1) {
                System.arraycopy(b, src, bp, p * nc, nc);
            } else {
                for (int j = 0; j < nc; j++) bp[p * nc + j] = b[src + j * cs];
            }
        }
        return bp;
    }
}
