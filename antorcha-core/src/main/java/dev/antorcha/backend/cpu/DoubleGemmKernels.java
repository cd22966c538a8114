package dev.antorcha.backend.cpu;

/**
 * The micro-kernel of the float64 matrix multiply ({@link DoubleGemm}), the double twin of
 * {@link FloatKernels#gemmTile}: {@link ScalarDoubleGemmKernels} in plain Java, always available,
 * and {@code PanamaDoubleGemmKernels} in SIMD, used when the float kernels are (the vector module
 * is present), so that a JVM without the module never loads it.
 */
interface DoubleGemmKernels {

    /** Width of the B panels {@link #tile} expects. */
    int nr();

    /**
     * One B panel: {@code bp[dst + p*nr() + j] = b[off + p*rs + j*cs]} for {@code p < kc, j < cols},
     * and zero for {@code cols <= j < nr()}.
     */
    default void packB(double[] b, int off, int rs, int cs, int kc, int cols, double[] bp, int dst) {
        int nr = nr();
        if (cols < nr) java.util.Arrays.fill(bp, dst, dst + kc * nr, 0.0);
        if (cs == 1) {
            for (int p = 0; p < kc; p++) System.arraycopy(b, off + p * rs, bp, dst + p * nr, cols);
        } else {
            // A transposed operand (W.t()): one column of the panel at a time, a sequential read when rs is 1.
            for (int j = 0; j < cols; j++) {
                int src = off + j * cs, d = dst + j;
                for (int p = 0; p < kc; p++) bp[d + p * nr] = b[src + p * rs];
            }
        }
    }

    /**
     * One A panel of {@code rows <= DoubleGemm.MR} rows: {@code ap[dst + p*MR + i] = a[off + i*rs + p*cs]}
     * for {@code p < kc, i < rows}, and zero for {@code rows <= i < MR}.
     */
    default void packA(double[] a, int off, int rs, int cs, int kc, int rows, double[] ap, int dst) {
        final int mr = DoubleGemm.MR;
        if (rows == mr) {
            // A full panel one step at a time: MR reads, one sequential run of writes.
            for (int p = 0; p < kc; p++) {
                int src = off + p * cs, d = dst + p * mr;
                for (int i = 0; i < mr; i++) ap[d + i] = a[src + i * rs];
            }
            return;
        }
        for (int i = 0; i < mr; i++) {
            if (i >= rows) {
                for (int p = 0; p < kc; p++) ap[dst + p * mr + i] = 0.0;
                continue;
            }
            int src = off + i * rs;
            for (int p = 0; p < kc; p++) ap[dst + p * mr + i] = a[src + p * cs];
        }
    }

    /**
     * {@code C[rows×cols] = A·B} (or {@code +=} when {@code accumulate}) where A is a packed panel
     * {@code [kc][DoubleGemm.MR]} at {@code ap[aOff..]} and B a packed panel {@code [kc][nr()]} at
     * {@code bp[bOff..]}; only the first {@code rows} rows and {@code cols} columns of C are written.
     * Each element is one chain over {@code p} in order, then added to C when accumulating.
     * {@code tile} is the calling thread's scratch of at least {@code DoubleGemm.MR × nr()} doubles.
     */
    void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows, int cols,
              boolean accumulate, double[] tile);

    /** The kernels that go with {@code k}: SIMD when {@code k} is (more than one lane), scalar otherwise. */
    static DoubleGemmKernels matching(FloatKernels k) {
        return k.lanes() > 1 ? new PanamaDoubleGemmKernels() : new ScalarDoubleGemmKernels();
    }
}
