package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels through {@code jdk.incubator.vector}. Only loaded by {@link VectorizationProvider}
 * after it has checked that the module is present, so a JVM without it never touches this class.
 * Vector forms exist for unit-stride rows and a broadcast scalar operand (stride 0); every other
 * case falls back to the scalar loops, which define the semantics.
 */
final class PanamaKernels extends ScalarKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Width of the GEMM's B panels: {@link PanamaWideTiles#NR} on 16 lanes, one vector on fewer. */
    private static final int NR = L >= 16 ? PanamaWideTiles.NR : L;

    @Override
    public String description() {
        return "Panama SIMD, " + S.vectorBitSize() + "-bit (" + L + " floats)";
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                       float[] o, int oo, int os, int n) {
        boolean vectorizable = switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
        if (op == BinaryOp.MASK_POSITIVE && as == 1 && bs == 1 && os == 1 && n >= L) {
            int i = 0, bound = S.loopBound(n);
            FloatVector zero = FloatVector.zero(S);
            for (; i < bound; i += L) {
                FloatVector bv = FloatVector.fromArray(S, b, bo + i);
                FloatVector.fromArray(S, a, ao + i).blend(zero, bv.compare(VectorOperators.LE, 0f))
                        .intoArray(o, oo + i);
            }
            if (i < n) super.binary(op, a, ao + i, 1, b, bo + i, 1, o, oo + i, 1, n - i);
            return;
        }
        if (!vectorizable || os != 1 || n < L || (as | bs) > 1 || as < 0 || bs < 0 || (as == 0 && bs == 0)) {
            super.binary(op, a, ao, as, b, bo, bs, o, oo, os, n);
            return;
        }
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += L) {
                apply(op, FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        } else if (as == 1) {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (; i < bound; i += L) apply(op, FloatVector.fromArray(S, a, ao + i), vb).intoArray(o, oo + i);
        } else {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (; i < bound; i += L) apply(op, va, FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        if (i < n) super.binary(op, a, ao + i * as, as, b, bo + i * bs, bs, o, oo + i, 1, n - i);
    }

    /**
     * One vector op. Each branch names its operator as a constant: the Vector API is compiled
     * to SIMD instructions only when the operator is a constant at the call site (an operator
     * held in a variable falls back to a slow per-lane path).
     */
    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAXIMUM -> x.max(y);
            default -> x.min(y);
        };
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1) {
        boolean vectorizable = switch (op) {
            case NEG, ABS, RELU, SQRT, CLAMP -> true;
            default -> false;
        };
        if (!vectorizable || xs != 1 || os != 1 || n < L) {
            super.unary(op, x, xo, xs, o, oo, os, n, p0, p1);
            return;
        }
        int i = 0, bound = S.loopBound(n);
        FloatVector lo = FloatVector.broadcast(S, p0), hi = FloatVector.broadcast(S, p1);
        FloatVector zero = FloatVector.zero(S);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector r = switch (op) {
                case NEG -> v.neg();
                case ABS -> v.abs();
                case RELU -> v.max(zero);
                case SQRT -> v.sqrt();
                default -> v.max(lo).min(hi);
            };
            r.intoArray(o, oo + i);
        }
        if (i < n) super.unary(op, x, xo + i, 1, o, oo + i, 1, n - i, p0, p1);
    }

    /**
     * The lanes summed left to right. {@code reduceLanes(ADD)} leaves the order unspecified, and
     * C2's intrinsic adds in another order than the interpreter and C1, so a float sum would change
     * when the method gets compiled: the same seed would not give the same numbers.
     */
    private static float laneSum(FloatVector acc) {
        float s = acc.lane(0);
        for (int l = 1; l < L; l++) s += acc.lane(l);
        return s;
    }

    @Override
    public float sum(float[] x, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, x, off + i));
        float s = laneSum(acc);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    @Override
    public float max(float[] x, int off, int n, boolean min) {
        if (n < L) return super.max(x, off, n, min);
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.fromArray(S, x, off);
        for (i = L; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            acc = min ? acc.min(v) : acc.max(v);
        }
        float m = min ? acc.reduceLanes(VectorOperators.MIN) : acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            float v = x[off + i];
            m = min ? Math.min(m, v) : Math.max(m, v);
        }
        return m;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }

    /** Two vectors where there are 32 vector registers to hold a 12 × 2 tile (AVX-512's 16 lanes), else one. */
    @Override
    public int gemmNr() {
        return NR;
    }

    /** One vector of pixels: the direct convolution's tiles are {@link PanamaGemmTiles}' 12 × 1. */
    @Override
    public int convNr() {
        return L;
    }

    /** The register tiles of {@link PanamaWideTiles} (two vectors) or {@link PanamaGemmTiles} (one). */
    @Override
    public void gemmTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                         boolean accumulate, float[] tile) {
        if (NR == L) PanamaGemmTiles.tile(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate, tile);
        else PanamaWideTiles.tile(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate, tile);
    }

    /** {@link PanamaFirstLayer}'s, where vectors hold at least 8 floats. */
    @Override
    public int firstLayerLanes() {
        return PanamaFirstLayer.L >= 8 ? PanamaFirstLayer.L : 0;
    }

    @Override
    public void firstLayerWeightGrad(float[] gy, int go, float[] x, int xo, int n0, int n1, int h, int w, int outs,
                                     float[] part, int po) {
        PanamaFirstLayer.weightGrad(gy, go, x, xo, n0, n1, h, w, outs, part, po);
    }

    /** By the register tiles of {@link PanamaGemmTiles}. */
    @Override
    public boolean directConv() {
        return true;
    }

    @Override
    public void convTile(float[] ap, int aOff, float[] x, int xOff, int[] taps, int kk, float[] c, int cOff, int ldc,
                         int rows, int cols, float[] tile) {
        PanamaGemmTiles.convTile(ap, aOff, x, xOff, taps, kk, c, cOff, ldc, rows, cols, tile);
    }

    /** By {@link PanamaWinograd}, where vectors hold at least 8 floats. */
    @Override
    public boolean winograd() {
        return PanamaWinograd.supported();
    }

    @Override
    public void winogradImage(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] up, int outs,
                              float[] bias, int bo, float[] y, int yo) {
        PanamaWinograd.image(x, xo, channels, h, w, padH, padW, up, outs, bias, bo, y, yo);
    }

    /** By {@link PanamaWinograd4}, where vectors hold 16 floats. */
    @Override
    public boolean winograd4() {
        return PanamaWinograd4.available();
    }

    @Override
    public void winograd4Image(float[] x, int xo, int channels, int h, int w, int padH, int padW, float[] up, int outs,
                               float[] bias, int bo, float[] y, int yo) {
        PanamaWinograd4.image(x, xo, channels, h, w, padH, padW, up, outs, bias, bo, y, yo);
    }

    @Override
    public void winograd4WeightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH,
                                         int padW, float[] m, int mo) {
        PanamaWinograd4Weights.weightGradImage(gy, go, x, xo, outs, ins, h, w, padH, padW, m, mo);
    }

    @Override
    public void winogradWeightGradImage(float[] gy, int go, float[] x, int xo, int outs, int ins, int h, int w, int padH,
                                        int padW, float[] m) {
        PanamaWinograd.weightGradImage(gy, go, x, xo, outs, ins, h, w, padH, padW, m);
    }

    @Override
    public void copyPanelRow(float[] x, int s, float[] dst, int d) {
        for (int j = 0; j < NR; j += L) FloatVector.fromArray(S, x, s + j).intoArray(dst, d + j);
    }

    /** By 8×8 transposes in registers where the lanes are a multiple of 8. */
    @Override
    public void transposeRuns8(float[] x, int base, int[] offs, int o, float[] dst, int d) {
        if (L % 8 == 0) PanamaPacking.transposeRuns8(x, base, offs, o, NR, dst, d);
        else super.transposeRuns8(x, base, offs, o, dst, d);
    }

    /** Full panels in SIMD code ({@link PanamaPacking}); an edge panel by the scalar copy. */
    @Override
    public void gemmPackB(float[] b, int off, int rs, int cs, int kc, int cols, float[] bp, int dst) {
        if (cols != NR) super.gemmPackB(b, off, rs, cs, kc, cols, bp, dst);
        else PanamaPacking.packB(b, off, rs, cs, kc, NR, bp, dst);
    }

    /** By 8×8 transposes in registers ({@link PanamaPacking#packA}) where kc is at least 8. */
    @Override
    public void gemmPackA(float[] a, int off, int rs, int kc, float[] ap, int dst) {
        if (L % 8 != 0 || kc < 8) super.gemmPackA(a, off, rs, kc, ap, dst);
        else PanamaPacking.packA(a, off, rs, kc, ap, dst);
    }

    /**
     * A vector and four values per twelve (a call of {@code System.arraycopy} per 12 floats, which
     * C2 does not expand inline above 8, was about a third of a {@code [256, 1792] × [1792, 64]}
     * weight gradient's time), on 256-bit vectors whatever the preferred species.
     */
    @Override
    public void gemmPackAColumns(float[] a, int off, int cs, int kc, int full, float[] ap, int dst) {
        if (L < 8 || Gemm.MR != 12) {
            super.gemmPackAColumns(a, off, cs, kc, full, ap, dst);
            return;
        }
        final int mr = Gemm.MR;
        for (int p = 0; p < kc; p++) {
            int src = off + p * cs, d = dst + p * mr;
            for (int ip = 0; ip < full; ip++) {
                int s = src + ip * mr, t = d + ip * mr * kc;
                FloatVector.fromArray(FloatVector.SPECIES_256, a, s).intoArray(ap, t);
                ap[t + 8] = a[s + 8];
                ap[t + 9] = a[s + 9];
                ap[t + 10] = a[s + 10];
                ap[t + 11] = a[s + 11];
            }
        }
    }

    /**
     * By 8×8 transposes in registers ({@link PanamaPacking#packBColumns}) where the lanes are a
     * multiple of 8 and kc at least 8.
     */
    @Override
    public void gemmPackBColumns(float[] b, int off, int cs, int kc, float[] bp, int dst) {
        if (L % 8 != 0 || kc < 8) super.gemmPackBColumns(b, off, cs, kc, bp, dst);
        else PanamaPacking.packBColumns(b, off, cs, kc, NR, bp, dst);
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int to, AdamStep s) {
        int i = from, bound = from + S.loopBound(to - from);
        FloatVector b1 = FloatVector.broadcast(S, (float) s.beta1()), omb1 = FloatVector.broadcast(S, (float) s.oneMinusBeta1());
        FloatVector b2 = FloatVector.broadcast(S, (float) s.beta2()), omb2 = FloatVector.broadcast(S, (float) s.oneMinusBeta2());
        FloatVector step = FloatVector.broadcast(S, (float) s.negStep()), bc2 = FloatVector.broadcast(S, (float) s.bc2Sqrt());
        FloatVector eps = FloatVector.broadcast(S, (float) s.eps()), wd = FloatVector.broadcast(S, (float) s.weightDecay());
        FloatVector decay = FloatVector.broadcast(S, (float) s.decay());
        for (; i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i);
            if (s.decoupled()) pv = pv.mul(decay);
            FloatVector gv = FloatVector.fromArray(S, g, i);
            if (s.l2()) gv = pv.fma(wd, gv);
            FloatVector mv = gv.fma(omb1, FloatVector.fromArray(S, m, i).mul(b1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(omb2.mul(gv).mul(gv));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (vmax != null) {
                vv = FloatVector.fromArray(S, vmax, i).max(vv);
                vv.intoArray(vmax, i);
            }
            pv.add(step.mul(mv).div(vv.sqrt().div(bc2).add(eps))).intoArray(p, i);
        }
        adamRange(p, g, m, v, vmax, i, to, s);
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = laneSum(acc);
        for (; i < n; i++) s = Math.fma(a[ao + i], b[bo + i], s);
        return s;
    }

    /** Lanes {@code 0, 2, 4, ...} first, then the odd ones: moves each window's (even-lane) result to the low half. */
    private static final VectorShuffle<Float> EVEN_FIRST = VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i : 2 * (i - L / 2) + 1);
    private static final VectorMask<Float> LOW_HALF = VectorMask.fromLong(S, (1L << (L / 2)) - 1);
    private static final VectorSpecies<Long> LS = VectorSpecies.of(long.class, S.vectorShape());
    /** {@code 0, 2, 4, ...} as longs: the left column of each of the {@code L/2} windows of a chunk. */
    private static final LongVector EVEN_COLUMNS = LongVector.zero(LS).addIndex(2);

    /**
     * Each window's two columns are lanes {@code l} of a row loaded at {@code c} and at {@code c + 1}:
     * every even lane then holds one window's result (odd lanes straddle two windows and are
     * dropped), so {@code L} floats of two rows give {@code L/2} outputs without a de-interleaving
     * gather; one permutation moves them to the low half for a masked store.
     */
    @Override
    public void maxPool2x2Row(float[] x, int r0, int w, int n, float[] y, long[] idx, int yo, int at0) {
        int r1 = r0 + w, j = 0, half = L / 2;
        // the loads at c + 1 may read one float past the window row: only the dropped last odd lane uses it
        for (; j + half <= n && r1 + 2 * j + L < x.length; j += half) window2x2(x, r0, r1, 2 * j, y, idx, yo + j, at0);
        // The rest of the row as one more chunk that ends at the row's end and overlaps the last one
        // (its first outputs written again, with the same values): on 16 lanes a row of 12 outputs
        // (the MNIST CNN's) is 8 + 8 instead of 8 and four scalar windows.
        if (j < n && n >= half && r1 + 2 * (n - half) + L < x.length) {
            window2x2(x, r0, r1, 2 * (n - half), y, idx, yo + n - half, at0);
            j = n;
        }
        maxPool2x2Range(x, r0, w, j, n, y, idx, yo, at0);
    }

    /** The {@code L/2} windows whose top-left corners are at columns {@code c, c+2, ...} of rows {@code r0, r1}, into {@code y[yOut ...]}. */
    private static void window2x2(float[] x, int r0, int r1, int c, float[] y, long[] idx, int yOut, int at0) {
        FloatVector right = FloatVector.broadcast(S, 1f), below = FloatVector.broadcast(S, r1 - r0), diagonal = FloatVector.broadcast(S, r1 - r0 + 1);
        FloatVector m = FloatVector.fromArray(S, x, r0 + c);
        FloatVector off = FloatVector.zero(S);   // the winner's offset from the window's top-left corner
        // the scalar loop's "strictly greater or NaN", as blends: no branch to mispredict on ReLU zeros
        FloatVector v = FloatVector.fromArray(S, x, r0 + c + 1);
        VectorMask<Float> take = v.compare(VectorOperators.GT, m).or(v.compare(VectorOperators.NE, v));
        m = m.blend(v, take);
        off = off.blend(right, take);
        v = FloatVector.fromArray(S, x, r1 + c);
        take = v.compare(VectorOperators.GT, m).or(v.compare(VectorOperators.NE, v));
        m = m.blend(v, take);
        off = off.blend(below, take);
        v = FloatVector.fromArray(S, x, r1 + c + 1);
        take = v.compare(VectorOperators.GT, m).or(v.compare(VectorOperators.NE, v));
        m = m.blend(v, take);
        off = off.blend(diagonal, take);
        m.rearrange(EVEN_FIRST).intoArray(y, yOut, LOW_HALF);
        IntVector offsets = (IntVector) off.rearrange(EVEN_FIRST).convert(VectorOperators.F2I, 0);
        ((LongVector) offsets.convertShape(VectorOperators.I2L, LS, 0)).add(EVEN_COLUMNS).add(at0 + c).intoArray(idx, yOut);
    }
}
