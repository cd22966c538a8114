package dev.antorcha.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a convolution with one input channel and a 3×3 kernel, stride 1, no
 * padding (the first layer of a network on grayscale images, MNIST's conv1): for a pair of output
 * channels and an image, the nine taps' lane-wise sums of {@code dy · x} in 18 accumulators, a row of
 * output pixels a vector at a time. A row's last vector ends at the row's end and overlaps the one
 * before: the lanes already counted are zeroed in both factors (masked loads there made C2 fall back
 * to boxed vectors). The whole vectors and the last ones are two methods: as one, with the loops over
 * channels and images, C2 took 85 MB to compile it, 50 MB more peak memory for the CNN's job. The
 * lowered product this replaces built a patch matrix of nine columns, padded to a panel of 32, for
 * each block of pixels. Written out in full: vectors handed to a helper would be boxed.
 */
final class PanamaFirstLayer {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of the partial sums. */
    static final int L = S.length();

    private PanamaFirstLayer() {
    }

    /**
     * Adds to {@code part[po + (o·9 + t)·L + l]} (t = 3u + v) the sums over images {@code [n0, n1)} of
     * {@code gy[o][i][j] · x[i + u][j + v]} over output pixels {@code (i, j)}, each pixel in one lane;
     * an odd last channel's partner writes to the spare slot {@code o = outs}. Images are
     * {@code outs × outH × outW} floats of {@code gy} from {@code go}, {@code h × w} of {@code x} from
     * {@code xo}, with {@code outH = h − 2}, {@code outW = w − 2 ≥ L}.
     */
    static void weightGrad(float[] gy, int go, float[] x, int xo, int n0, int n1, int h, int w, int outs, float[] part,
                           int po) {
        int outH = h - 2, outW = w - 2, gyImage = outs * outH * outW, xImage = h * w, full = outW / L * L;
        for (int o = 0; o < outs; o += 2) {
            int pa = po + o * 9 * L, pb = po + (o + 1 < outs ? o + 1 : outs) * 9 * L;   // the spare slot
            for (int n = n0; n < n1; n++) {
                int ga = go + n * gyImage + o * outH * outW, gb = o + 1 < outs ? ga + outH * outW : ga;
                int xb = xo + n * xImage;
                columns(gy, ga, gb, x, xb, outH, outW, w, full, part, pa, pb);
                if (full < outW) lastColumns(gy, ga, gb, x, xb, outH, outW, w, full, part, pa, pb);
            }
        }
    }

    /** The whole vectors of every row: pixels {@code [0, full)}. */
    private static void columns(float[] gy, int ga, int gb, float[] x, int xb, int outH, int outW, int w, int full,
                                float[] part, int pa, int pb) {
        FloatVector a0 = FloatVector.fromArray(S, part, pa + 0 * L);
        FloatVector a1 = FloatVector.fromArray(S, part, pa + 1 * L);
        FloatVector a2 = FloatVector.fromArray(S, part, pa + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, part, pa + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, part, pa + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, part, pa + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, part, pa + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, part, pa + 7 * L);
        FloatVector a8 = FloatVector.fromArray(S, part, pa + 8 * L);
        FloatVector b0 = FloatVector.fromArray(S, part, pb + 0 * L);
        FloatVector b1 = FloatVector.fromArray(S, part, pb + 1 * L);
        FloatVector b2 = FloatVector.fromArray(S, part, pb + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, part, pb + 3 * L);
        FloatVector b4 = FloatVector.fromArray(S, part, pb + 4 * L);
        FloatVector b5 = FloatVector.fromArray(S, part, pb + 5 * L);
        FloatVector b6 = FloatVector.fromArray(S, part, pb + 6 * L);
        FloatVector b7 = FloatVector.fromArray(S, part, pb + 7 * L);
        FloatVector b8 = FloatVector.fromArray(S, part, pb + 8 * L);
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < full; j += L) {
                int gr = i * outW + j, xr = xb + i * w + j;
                FloatVector g0 = FloatVector.fromArray(S, gy, ga + gr), g1 = FloatVector.fromArray(S, gy, gb + gr);
                FloatVector x0 = FloatVector.fromArray(S, x, xr + 0 * w + 0);
                a0 = g0.fma(x0, a0);
                b0 = g1.fma(x0, b0);
                FloatVector x1 = FloatVector.fromArray(S, x, xr + 0 * w + 1);
                a1 = g0.fma(x1, a1);
                b1 = g1.fma(x1, b1);
                FloatVector x2 = FloatVector.fromArray(S, x, xr + 0 * w + 2);
                a2 = g0.fma(x2, a2);
                b2 = g1.fma(x2, b2);
                FloatVector x3 = FloatVector.fromArray(S, x, xr + 1 * w + 0);
                a3 = g0.fma(x3, a3);
                b3 = g1.fma(x3, b3);
                FloatVector x4 = FloatVector.fromArray(S, x, xr + 1 * w + 1);
                a4 = g0.fma(x4, a4);
                b4 = g1.fma(x4, b4);
                FloatVector x5 = FloatVector.fromArray(S, x, xr + 1 * w + 2);
                a5 = g0.fma(x5, a5);
                b5 = g1.fma(x5, b5);
                FloatVector x6 = FloatVector.fromArray(S, x, xr + 2 * w + 0);
                a6 = g0.fma(x6, a6);
                b6 = g1.fma(x6, b6);
                FloatVector x7 = FloatVector.fromArray(S, x, xr + 2 * w + 1);
                a7 = g0.fma(x7, a7);
                b7 = g1.fma(x7, b7);
                FloatVector x8 = FloatVector.fromArray(S, x, xr + 2 * w + 2);
                a8 = g0.fma(x8, a8);
                b8 = g1.fma(x8, b8);
            }
        }
        a0.intoArray(part, pa + 0 * L);
        a1.intoArray(part, pa + 1 * L);
        a2.intoArray(part, pa + 2 * L);
        a3.intoArray(part, pa + 3 * L);
        a4.intoArray(part, pa + 4 * L);
        a5.intoArray(part, pa + 5 * L);
        a6.intoArray(part, pa + 6 * L);
        a7.intoArray(part, pa + 7 * L);
        a8.intoArray(part, pa + 8 * L);
        b0.intoArray(part, pb + 0 * L);
        b1.intoArray(part, pb + 1 * L);
        b2.intoArray(part, pb + 2 * L);
        b3.intoArray(part, pb + 3 * L);
        b4.intoArray(part, pb + 4 * L);
        b5.intoArray(part, pb + 5 * L);
        b6.intoArray(part, pb + 6 * L);
        b7.intoArray(part, pb + 7 * L);
        b8.intoArray(part, pb + 8 * L);
    }

    /** The last vector of every row, pixels {@code [outW − L, outW)}, counting only those from {@code full} on. */
    private static void lastColumns(float[] gy, int ga, int gb, float[] x, int xb, int outH, int outW, int w, int full,
                                float[] part, int pa, int pb) {
        int j = outW - L;   // the overlapping last vector; its lanes below full were counted
        VectorMask<Float> counted = S.indexInRange(0, full - j);
        FloatVector zero = FloatVector.zero(S);
        FloatVector a0 = FloatVector.fromArray(S, part, pa + 0 * L);
        FloatVector a1 = FloatVector.fromArray(S, part, pa + 1 * L);
        FloatVector a2 = FloatVector.fromArray(S, part, pa + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, part, pa + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, part, pa + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, part, pa + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, part, pa + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, part, pa + 7 * L);
        FloatVector a8 = FloatVector.fromArray(S, part, pa + 8 * L);
        FloatVector b0 = FloatVector.fromArray(S, part, pb + 0 * L);
        FloatVector b1 = FloatVector.fromArray(S, part, pb + 1 * L);
        FloatVector b2 = FloatVector.fromArray(S, part, pb + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, part, pb + 3 * L);
        FloatVector b4 = FloatVector.fromArray(S, part, pb + 4 * L);
        FloatVector b5 = FloatVector.fromArray(S, part, pb + 5 * L);
        FloatVector b6 = FloatVector.fromArray(S, part, pb + 6 * L);
        FloatVector b7 = FloatVector.fromArray(S, part, pb + 7 * L);
        FloatVector b8 = FloatVector.fromArray(S, part, pb + 8 * L);
        for (int i = 0; i < outH; i++) {
            int gr = i * outW + j, xr = xb + i * w + j;
            FloatVector g0 = FloatVector.fromArray(S, gy, ga + gr).blend(zero, counted);
            FloatVector g1 = FloatVector.fromArray(S, gy, gb + gr).blend(zero, counted);
            FloatVector x0 = FloatVector.fromArray(S, x, xr + 0 * w + 0).blend(zero, counted);
            a0 = g0.fma(x0, a0);
            b0 = g1.fma(x0, b0);
            FloatVector x1 = FloatVector.fromArray(S, x, xr + 0 * w + 1).blend(zero, counted);
            a1 = g0.fma(x1, a1);
            b1 = g1.fma(x1, b1);
            FloatVector x2 = FloatVector.fromArray(S, x, xr + 0 * w + 2).blend(zero, counted);
            a2 = g0.fma(x2, a2);
            b2 = g1.fma(x2, b2);
            FloatVector x3 = FloatVector.fromArray(S, x, xr + 1 * w + 0).blend(zero, counted);
            a3 = g0.fma(x3, a3);
            b3 = g1.fma(x3, b3);
            FloatVector x4 = FloatVector.fromArray(S, x, xr + 1 * w + 1).blend(zero, counted);
            a4 = g0.fma(x4, a4);
            b4 = g1.fma(x4, b4);
            FloatVector x5 = FloatVector.fromArray(S, x, xr + 1 * w + 2).blend(zero, counted);
            a5 = g0.fma(x5, a5);
            b5 = g1.fma(x5, b5);
            FloatVector x6 = FloatVector.fromArray(S, x, xr + 2 * w + 0).blend(zero, counted);
            a6 = g0.fma(x6, a6);
            b6 = g1.fma(x6, b6);
            FloatVector x7 = FloatVector.fromArray(S, x, xr + 2 * w + 1).blend(zero, counted);
            a7 = g0.fma(x7, a7);
            b7 = g1.fma(x7, b7);
            FloatVector x8 = FloatVector.fromArray(S, x, xr + 2 * w + 2).blend(zero, counted);
            a8 = g0.fma(x8, a8);
            b8 = g1.fma(x8, b8);
        }
        a0.intoArray(part, pa + 0 * L);
        a1.intoArray(part, pa + 1 * L);
        a2.intoArray(part, pa + 2 * L);
        a3.intoArray(part, pa + 3 * L);
        a4.intoArray(part, pa + 4 * L);
        a5.intoArray(part, pa + 5 * L);
        a6.intoArray(part, pa + 6 * L);
        a7.intoArray(part, pa + 7 * L);
        a8.intoArray(part, pa + 8 * L);
        b0.intoArray(part, pb + 0 * L);
        b1.intoArray(part, pb + 1 * L);
        b2.intoArray(part, pb + 2 * L);
        b3.intoArray(part, pb + 3 * L);
        b4.intoArray(part, pb + 4 * L);
        b5.intoArray(part, pb + 5 * L);
        b6.intoArray(part, pb + 6 * L);
        b7.intoArray(part, pb + 7 * L);
        b8.intoArray(part, pb + 8 * L);
    }
}
