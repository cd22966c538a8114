package dev.antorcha.backend.cpu;

/** {@link DoubleGemmKernels} in plain Java: a product then a sum per step, panels of 8 columns. */
final class ScalarDoubleGemmKernels implements DoubleGemmKernels {
    private static final int NR = 8;

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, int rows, int cols,
                     boolean accumulate, double[] tile) {
        final int mr = DoubleGemm.MR;
        double[] acc = new double[mr * NR];
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * NR;
            for (int i = 0; i < mr; i++) {
                double av = ap[a + i];
                for (int j = 0; j < NR; j++) acc[i * NR + j] += av * bp[b + j];
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + acc[i * NR + j] : acc[i * NR + j];
            }
        }
    }
}
