package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;

/**
 * The innermost loops over {@code float[]}: one call handles a whole row of {@code n} elements
 * with a stride per operand, so the op is chosen once per row and never per element. Two
 * implementations: {@link ScalarKernels} (plain Java, always available) and
 * {@code PanamaKernels} (SIMD through {@code jdk.incubator.vector}); {@link VectorizationProvider}
 * picks one at start-up.
 */
public interface FloatKernels {

    /** A name for diagnostics, e.g. {@code "Panama SIMD, 256-bit"}. */
    String description();

    /** Vector width in floats (1 for the scalar kernels). */
    int lanes();

    /** {@code o[oo + i*os] = a[ao + i*as] op b[bo + i*bs]} for {@code i < n}. */
    void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                float[] o, int oo, int os, int n);

    /** {@code o[oo + i*os] = op(x[xo + i*xs])} with scalar parameters {@code p0}, {@code p1}. */
    void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1);

    /** Sum of {@code x[off .. off+n)}. */
    float sum(float[] x, int off, int n);

    /** Max (or min) of {@code x[off .. off+n)}, NaN if any element is NaN; n &gt; 0. */
    float max(float[] x, int off, int n, boolean min);

    /** {@code y[yo .. yo+n) += alpha * x[xo .. xo+n)}. */
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /** Width of the B panels {@link #gemmTile} expects. */
    int gemmNr();

    /** Pixels of a run of {@link #convTile} (at most {@link #gemmNr()}). */
    default int convNr() {
        return gemmNr();
    }

    /**
     * One B panel for {@link #gemmTile}: {@code bp[dst + p*gemmNr() + j] = b[off + p*rs + j*cs]} for
     * {@code p < kc, j < cols}, and zero for {@code cols <= j < gemmNr()}.
     */
    default void gemmPackB(float[] b, int off, int rs, int cs, int kc, int cols, float[] bp, int dst) {
        int nr = gemmNr();
        if (cols < nr) java.util.Arrays.fill(bp, dst, dst + kc * nr, 0f);
        if (cs == 1) {
            for (int p = 0; p < kc; p++) System.arraycopy(b, off + p * rs, bp, dst + p * nr, cols);
        } else {
            // A transposed operand (W.t()): one column of the panel at a time, read in one
            // sequential run of memory when rs is 1 (faster than gathering each panel row).
            for (int j = 0; j < cols; j++) {
                int src = off + j * cs, d = dst + j;
                for (int p = 0; p < kc; p++) bp[d + p * nr] = b[src + p * rs];
            }
        }
    }

    /**
     * One full B panel of a transposed operand (its {@link #gemmNr()} columns each contiguous,
     * {@code cs} apart, as in {@code W.t()}): {@code bp[dst + p*gemmNr() + j] = b[off + j*cs + p]}
     * for {@code p < kc, j < gemmNr()}; what {@link #gemmPackB} does for such a panel.
     */
    default void gemmPackBColumns(float[] b, int off, int cs, int kc, float[] bp, int dst) {
        gemmPackB(b, off, 1, cs, kc, gemmNr(), bp, dst);
    }

    /**
     * One full A panel for {@link #gemmTile} from a row-major operand (unit column stride):
     * {@code ap[dst + p*Gemm.MR + i] = a[off + i*rs + p]} for {@code i < Gemm.MR, p < kc}.
     */
    default void gemmPackA(float[] a, int off, int rs, int kc, float[] ap, int dst) {
        packRowMajorPanel(a, off, rs, kc, ap, dst);
    }

    /**
     * The first {@code full} A panels from a column-major operand (unit row stride, as a weight
     * gradient's {@code gᵀ}): {@code ap[dst + ip*Gemm.MR*kc + p*Gemm.MR + i] = a[off + p*cs + ip*Gemm.MR + i]}
     * for {@code ip < full, p < kc, i < Gemm.MR}, a step at a time (each step's values of all the
     * rows are one run of memory).
     */
    default void gemmPackAColumns(float[] a, int off, int cs, int kc, int full, float[] ap, int dst) {
        final int mr = Gemm.MR;
        for (int p = 0; p < kc; p++) {
            int src = off + p * cs, d = dst + p * mr;
            for (int ip = 0; ip < full; ip++) System.arraycopy(a, src + ip * mr, ap, d + ip * mr * kc, mr);
        }
    }

    /**
     * One row of a B panel copied from a contiguous run: {@code dst[d + q] = x[s + q]} for
     * {@code q < gemmNr()} (a convolution's patch row of a panel's pixels, as one vector where the
     * kernels have them).
     */
    default void copyPanelRow(float[] x, int s, float[] dst, int d) {
        System.arraycopy(x, s, dst, d, gemmNr());
    }

    /**
     * Eight pixels of a convolution's weight-gradient panel, whose {@link #gemmNr()} patch rows
     * start at {@code base + offs[o + i]}: {@code dst[d + q*gemmNr() + i] = x[base + offs[o + i] + q]}
     * for {@code q < 8}, {@code i < gemmNr()} (a transpose of eight runs, in registers where the
     * kernels can).
     */
    default void transposeRuns8(float[] x, int base, int[] offs, int o, float[] dst, int d) {
        int nr = gemmNr();
        for (int q = 0; q < 8; q++) {
            for (int i = 0; i < nr; i++) dst[d + q * nr + i] = x[base + offs[o + i] + q];
        }
    }

    /** {@link #gemmPackA} in scalar code, for any kernels. */
    static void packRowMajorPanel(float[] a, int off, int rs, int kc, float[] ap, int dst) {
        final int mr = Gemm.MR, run = 16;
        // run steps at a time and one row at a time within them: each row's run is one cache line
        // read once (reading the MR rows at every step kept MR lines in flight; rows 4 KB apart all
        // fall in one L1 set, and a 1024-wide A took a fifth of the product to pack)
        for (int p0 = 0; p0 < kc; p0 += run) {
            int steps = Math.min(run, kc - p0);
            for (int i = 0; i < mr; i++) {
                int src = off + i * rs + p0, d = dst + p0 * mr + i;
                for (int p = 0; p < steps; p++) ap[d + p * mr] = a[src + p];
            }
        }
    }

    /**
     * The matrix-multiply micro-kernel: {@code C[rows×cols] = A·B} (or {@code += } when
     * {@code accumulate}) where A is a packed panel
     * {@code [kc][Gemm.MR]} at {@code ap[aOff..]} and B a packed panel {@code [kc][gemmNr()]} at
     * {@code bp[bOff..]}; only the first {@code rows} rows and {@code cols} columns are written.
     * {@code tile} is the calling thread's scratch of at least {@code Gemm.MR × gemmNr()} floats.
     */
    void gemmTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                  boolean accumulate, float[] tile);

    /**
     * Lanes of {@link #firstLayerWeightGrad}'s partial sums; 0 where the kernels have none (then
     * such a convolution's weight gradient is a lowered product).
     */
    default int firstLayerLanes() {
        return 0;
    }

    /**
     * The weight gradient of a convolution with one input channel, a 3×3 kernel, stride 1, no padding,
     * over images {@code [n0, n1)}: adds to {@code part[po + (o·9 + t)·L + l]} (L = {@link #firstLayerLanes()},
     * t = 3u + v) lane-wise sums over output pixels {@code (i, j)} of
     * {@code gy[o][i][j] · x[i + u][j + v]}, each pixel in one lane, in order of images and rows; slot
     * {@code o = outs} is scratch. {@code x} images are {@code h × w} from {@code xo}, {@code gy} images
     * {@code outs × (h − 2) × (w − 2)} from {@code go}; rows of at least L output pixels ({@code w − 2 ≥ L}).
     */
    default void firstLayerWeightGrad(float[] gy, int go, float[] x, int xo, int n0, int n1, int h, int w, int outs,
                                      float[] part, int po) {
        throw new UnsupportedOperationException("no first-layer weight gradient in " + getClass().getSimpleName());
    }

    /**
     * Whether {@link #convTile} is SIMD code: stride-1 convolutions take the direct path
     * ({@link ConvDirect}) only then, and the packed GEMM on im2col otherwise.
     */
    default boolean directConv() {
        return false;
    }

    /**
     * One tile of a direct stride-1 convolution ({@link ConvDirect}): for {@code i < rows},
     * {@code j < cols}, {@code c[cOff + i·ldc + j]} is the sum over steps {@code q < kk} in order,
     * one fused multiply-add at a time from zero, of
     * {@code ap[aOff + q·Gemm.MR + i] · x[xOff + taps[q] + j]} (step q a channel and kernel tap,
     * {@code taps[q]} its offset in the padded image). May read x up to {@code convNr() − 1} floats
     * past the last column's. {@code tile} is the calling thread's scratch of at least
     * {@code Gemm.MR × gemmNr()} floats.
     */
    default void convTile(float[] ap, int aOff, float[] x, int xOff, int[] taps, int kk, float[] c, int cOff, int ldc,
                          int rows, int cols, float[] tile) {
        final int mr = Gemm.MR;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float acc = 0f;
                for (int q = 0; q < kk; q++) acc = Math.fma(ap[aOff + q * mr + i], x[xOff + taps[q] + j], acc);
                c[cOff + i * ldc + j] = acc;
            }
        }
    }

    /** Whether {@link #winogradImage} is implemented: 3×3 convolutions take {@link Winograd}'s path only then. */
    default boolean winograd() {
        return false;
    }

    /**
     * One image of a {@link Winograd} convolution: {@code y[o][i][j] = bias[bo + o] +
     * Σ_{c,u,v} g_{o,c}[u][v] · x[c][i + u − padH][j + v − padW]} (zero outside x; no bias when
     * {@code bias} is null) for an image {@code x[xo..]} of {@code channels × h × w} and
     * {@code outs} outputs of {@code (h + 2padH − 2) × (w + 2padW − 2)}, both even and at least 16
     * wide, the kernels {@code g} given transformed by {@link Winograd#transformWeights}.
     */
    default void winogradImage(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] up, int outs,
                               float[] bias, int bo, float[] y, int yo) {
        throw new UnsupportedOperationException("Winograd convolutions need the SIMD kernels");
    }

    /** Whether {@link #winograd4Image} is implemented (vectors of 16 floats). */
    default boolean winograd4() {
        return false;
    }

    /**
     * {@link #winogradImage} by F(4×4, 3×3), for {@code channels} and {@code outs} multiples of 16,
     * images and outputs at least 8 wide and any output height or width, the kernels given
     * transformed by {@link Winograd#transformWeights4}.
     */
    default void winograd4Image(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] up, int outs,
                                float[] bias, int bo, float[] y, int yo) {
        throw new UnsupportedOperationException("F(4×4, 3×3) convolutions need 512-bit SIMD kernels");
    }

    /**
     * Adds one image's share of a weight gradient by F(3×3, 4×4) to {@code m}: for the 4×4 blocks
     * (tiles) of the output gradient {@code gy[go..]} ({@code outs × (h + 2padH − 2) × (w + 2padW − 2)},
     * zero-padded to whole blocks) and the 6×6 blocks of the zero-padded input {@code x[xo..]}
     * ({@code ins × h × w}) under them, {@code m[mo + (ξ·outs + o)·ins + c] += Σ_tiles (A h Aᵀ)_ξ[o] · (Bᵀ d B)_ξ[c]}
     * ({@link PanamaWinograd4Weights}); outs and ins multiples of 16, rows at least 8 wide.
     */
    default void winograd4WeightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH,
                                          int padW, float[] m, int mo) {
        throw new UnsupportedOperationException("F(3×3, 4×4) weight gradients need 512-bit SIMD kernels");
    }

    /**
     * Adds one image's share of a {@link Winograd} weight gradient to {@code m}: for the 2×2 blocks
     * (tiles) of the output gradient {@code gy[go..]} ({@code outs × (h + 2padH − 2) × (w + 2padW − 2)},
     * both even) and the 4×4 blocks of the zero-padded input {@code x[xo..]} ({@code ins × h × w}) under
     * them, {@code m[(ξ·sumRows(outs) + o)·sumColumns(ins) + c] += Σ_tiles Gt_ξ[o] · V_ξ[c]}.
     */
    default void winogradWeightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH,
                                         int padW, float[] m) {
        throw new UnsupportedOperationException("Winograd convolutions need the SIMD kernels");
    }

    /** One Adam step over elements {@code [from, to)} ({@code vmax} null unless amsgrad); see {@link AdamStep}. */
    void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int to, AdamStep s);

    /** {@code sum_i a[ao+i] * b[bo+i]}. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /**
     * One output row of the {@code 2x2}, stride-2 max pool (pooling's hot case) over the input rows
     * at {@code r0} and {@code r0 + w}: for {@code j < n} the window {@code x[r0+2j], x[r0+2j+1],
     * x[r0+w+2j], x[r0+w+2j+1]} is scanned in that order, an element replacing the maximum only
     * when strictly greater or NaN; the maximum goes to {@code y[yo+j]} and its position in the
     * plane ({@code at0 + 2j}, {@code + 1} for the right column, {@code + w} for the lower row) to
     * {@code idx[yo+j]}.
     */
    void maxPool2x2Row(float[] x, int r0, int w, int n, float[] y, long[] idx, int yo, int at0);
}
