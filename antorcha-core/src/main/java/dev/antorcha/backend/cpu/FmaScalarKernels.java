package dev.antorcha.backend.cpu;

/**
 * Plain-Java kernels that round exactly like {@code PanamaKernels}: the matrix tile and
 * {@code axpy} use {@link Math#fma} in the same order as the vector code, so both give bitwise the
 * same results. The JIT compiles them in a fraction of the time the Vector API needs, which
 * makes them the first tier of {@link TieredKernels}.
 */
final class FmaScalarKernels extends ScalarKernels {
    private final int nr;

    /** @param nr the panel width of the SIMD kernels this tier stands in for */
    FmaScalarKernels(int nr) {
        this.nr = nr;
    }

    @Override
    public String description() {
        return "scalar with fused multiply-add";
    }

    @Override
    public int gemmNr() {
        return nr;
    }

    @Override
    public void gemmTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                         boolean accumulate) {
        final int mr = Gemm.MR;
        float[] acc = new float[mr * nr];
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * nr;
            for (int i = 0; i < mr; i++) {
                float av = ap[a + i];
                int row = i * nr;
                for (int j = 0; j < nr; j++) acc[row + j] = Math.fma(av, bp[b + j], acc[row + j]);
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + acc[i * nr + j] : acc[i * nr + j];
            }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = Math.fma(x[xo + i], alpha, y[yo + i]);
    }
}
