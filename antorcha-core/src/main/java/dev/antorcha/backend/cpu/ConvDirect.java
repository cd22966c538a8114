package dev.antorcha.backend.cpu;

import dev.antorcha.backend.ConvParams;

/**
 * Float32 stride-1 convolutions computed directly, without im2col: each output channel's value at
 * a run of {@code convNr()} pixels of one output row is a chain of multiply-adds over the input
 * channels and kernel taps ({@link FloatKernels#convTile}), where the taps of a run are contiguous
 * in a zero-padded copy of the image, so every step is one vector load of the input and
 * {@link Gemm#MR} broadcasts of the weight (packed once per call): no patch matrix written and read
 * back (for the MNIST CNN's second convolution, 663 KB an image, more than L2). Each image is a
 * task; each output value is summed in one order whatever the thread count. (The input gradient
 * as the same computation on the padded output gradient with the weight reversed measured 1.6
 * times slower than its product and col2im: its 26-wide rows fill four runs of 8 with 26 values,
 * and its 576 steps a tap twice the forward's, so it is not done this way.)
 */
final class ConvDirect {
    /** Below this many multiply-adds, threads cost more than they save. */
    private static final long PARALLEL_WORK = 1L << 20;

    private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);

    private ConvDirect() {
    }

    /**
     * Whether the direct path applies: SIMD kernels, stride and dilation 1, one group, and output
     * rows whose runs of {@code convNr()} pixels waste at most a fifth of the lanes.
     */
    static boolean applies(FloatKernels k, int outWidth, ConvParams p) {
        int lanes = k.convNr(), runs = (outWidth + lanes - 1) / lanes;
        return k.directConv() && p.strideH() == 1 && p.strideW() == 1 && p.dilationH() == 1 && p.dilationW() == 1
                && p.groups() == 1 && outWidth > 0 && runs * lanes * 4 <= outWidth * 5;
    }

    /** {@code y = conv(x, w) + b} ({@code b} may be null); NCHW, contiguous. */
    static void forward(FloatKernels k, float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                        ConvKernels.Dims d, ConvParams p) {
        int kk = d.c() * d.kh() * d.kw();
        float[] ap = new float[panels(d.o()) * Gemm.MR * kk];
        for (int o = 0; o < d.o(); o++) {
            for (int q = 0; q < kk; q++) ap[at(o, q, kk)] = w[wo + o * kk + q];
        }
        int pixels = d.ho() * d.wo(), width = d.wo() + d.kw() - 1, plane = (d.ho() + d.kh() - 1) * width;
        // each step's offset in the padded image: channel, kernel row, kernel column, in that order
        int[] taps = new int[kk];
        for (int ch = 0, q = 0; ch < d.c(); ch++) {
            for (int u = 0; u < d.kh(); u++) {
                for (int v = 0; v < d.kw(); v++) taps[q++] = ch * plane + u * width + v;
            }
        }
        Parallel.forEach(d.n(), (long) d.n() * d.o() * pixels * kk >= PARALLEL_WORK, n -> {
            convolve(k, x, xo + n * d.c() * d.h() * d.w(), d.c(), d.h(), d.w(), p.padH(), p.padW(), ap, taps, d.kh(), d.kw(),
                    d.o(), d.ho(), d.wo(), y, yo + n * d.o() * pixels);
            if (b != null) {
                for (int o = 0; o < d.o(); o++) {
                    int at = yo + (n * d.o() + o) * pixels;
                    float bias = b[bo + o];
                    for (int i = 0; i < pixels; i++) y[at + i] += bias;
                }
            }
        });
    }

    private static int panels(int rows) {
        return (rows + Gemm.MR - 1) / Gemm.MR;
    }

    /** Where weight row {@code r}, step {@code q} goes in panels of MR rows, {@code [kk][MR]} each. */
    private static int at(int r, int q, int kk) {
        return (r / Gemm.MR * kk + q) * Gemm.MR + r % Gemm.MR;
    }

    /**
     * One image: {@code out[r][i][j] = Σ_{ch,u,v} A[r][(ch·kh + u)·kw + v] · src[ch][i + u − padH][j + v − padW]}
     * (zero outside src), A packed by {@link #at}, {@code taps} each step's offset in the padded
     * image. src is first copied with its padding into a {@code [channels][outH + kh − 1][outW + kw − 1]}
     * buffer with a run's worth of zeros after it.
     */
    private static void convolve(FloatKernels k, float[] src, int srcAt, int channels, int srcH, int srcW, int padH, int padW,
                                 float[] ap, int[] taps, int kh, int kw, int outChannels, int outH, int outW, float[] out,
                                 int outAt) {
        int lanes = k.convNr(), rows = outH + kh - 1, width = outW + kw - 1, plane = rows * width;
        float[] xs = padded(channels * plane + lanes);
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < rows; r++) {
                int dst = ch * plane + r * width, sr = r - padH;
                if (sr < 0 || sr >= srcH) {
                    java.util.Arrays.fill(xs, dst, dst + width, 0f);
                    continue;
                }
                int from = Math.max(0, padW), to = Math.min(width, srcW + padW), s = srcAt + (ch * srcH + sr) * srcW;
                java.util.Arrays.fill(xs, dst, dst + Math.min(from, width), 0f);
                if (to > from) System.arraycopy(src, s + from - padW, xs, dst + from, to - from);
                java.util.Arrays.fill(xs, dst + Math.max(from, to), dst + width, 0f);
            }
        }
        java.util.Arrays.fill(xs, channels * plane, channels * plane + lanes, 0f);
        int kk = channels * kh * kw, pixels = outH * outW;
        float[] tile = new float[Gemm.MR * lanes];
        // A panel of weight rows at a time over the whole image: the panel stays in L1 while the
        // padded image streams from L2. A row's last run, where the row is at least a run wide, ends
        // at the row's end and overlaps the run before it (its first pixels computed again, to the same
        // bits): whole vectors stored, where a partial run went through the scalar copy of the tile
        // (conv1 of the MNIST CNN, rows of 26 pixels: 37% of its forward in that copy).
        for (int r0 = 0; r0 < outChannels; r0 += Gemm.MR) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j += lanes) {
                    int jj = j + lanes > outW && outW >= lanes ? outW - lanes : j;
                    k.convTile(ap, r0 * kk, xs, i * width + jj, taps, kk, out, outAt + r0 * pixels + i * outW + jj, pixels,
                            Math.min(Gemm.MR, outChannels - r0), Math.min(lanes, outW - jj), tile);
                }
            }
        }
    }

    private static float[] padded(int size) {
        float[] b = PADDED.get();
        if (b.length < size) PADDED.set(b = new float[size]);
        return b;
    }
}
