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

    @Override
    public int gemmNr() {
        return L;
    }

    /**
     * 12 rows × 1 vector of C held in twelve accumulators for the whole {@code kc} loop: per step,
     * one load of B and twelve broadcasts of A, each feeding one FMA. Fourteen vector registers in
     * all, so C2 keeps everything in registers on a 16-register (AVX2) machine; the 6 × 2-vector
     * tile, which needs fifteen and reuses each broadcast twice, reached only about half of the
     * FMA peak there (measured on the kernel alone, in L1). Edge tiles are computed whole (the
     * panels are zero-padded) and only their valid part is written to C.
     */
    @Override
    public void gemmTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                         boolean accumulate, float[] tile) {
        final int mr = Gemm.MR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        // Indices computed from the loop counter (not induction variables of their own), so that
        // C2 sees them as linear in p and hoists the range checks out of the loop.
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr;
            FloatVector b = FloatVector.fromArray(S, bp, bOff + p * L);
            c0 = FloatVector.broadcast(S, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[a + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[a + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[a + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, ap[a + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, ap[a + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, ap[a + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, ap[a + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(S, ap[a + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(S, ap[a + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(S, ap[a + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(S, ap[a + 11]).fma(b, c11);
        }
        if (rows == mr && cols == L && !accumulate) {
            // A whole tile, the first k-block: straight into C.
            c0.intoArray(c, cOff); c1.intoArray(c, cOff + ldc); c2.intoArray(c, cOff + 2 * ldc); c3.intoArray(c, cOff + 3 * ldc);
            c4.intoArray(c, cOff + 4 * ldc); c5.intoArray(c, cOff + 5 * ldc); c6.intoArray(c, cOff + 6 * ldc);
            c7.intoArray(c, cOff + 7 * ldc); c8.intoArray(c, cOff + 8 * ldc); c9.intoArray(c, cOff + 9 * ldc);
            c10.intoArray(c, cOff + 10 * ldc); c11.intoArray(c, cOff + 11 * ldc);
            return;
        }
        // Otherwise the accumulators go through the thread's scratch tile and a loop writes C: twelve
        // adds to C written out here (one inlined call per row) exceeded C2's inlining budget for
        // this method, so the last was a real call with its vector boxed (an allocation per tile).
        c0.intoArray(tile, 0); c1.intoArray(tile, L); c2.intoArray(tile, 2 * L); c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L); c5.intoArray(tile, 5 * L); c6.intoArray(tile, 6 * L); c7.intoArray(tile, 7 * L);
        c8.intoArray(tile, 8 * L); c9.intoArray(tile, 9 * L); c10.intoArray(tile, 10 * L); c11.intoArray(tile, 11 * L);
        storeTile(tile, c, cOff, ldc, rows, cols, accumulate);
    }

    /** C's {@code rows × cols} block {@code = tile} (or {@code += tile}): a vector per row when the block is a vector wide. */
    private static void storeTile(float[] tile, float[] c, int cOff, int ldc, int rows, int cols, boolean accumulate) {
        if (cols == L) {
            for (int i = 0; i < rows; i++) {
                FloatVector v = FloatVector.fromArray(S, tile, i * L);
                if (accumulate) v = FloatVector.fromArray(S, c, cOff + i * ldc).add(v);
                v.intoArray(c, cOff + i * ldc);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + tile[i * L + j] : tile[i * L + j];
            }
        }
    }

    /**
     * A full panel of a row-major operand is copied a vector at a time: a call of
     * {@code System.arraycopy} per 8 floats cost about a fifth of a 128-row product. (Gathering a
     * transposed operand with an index map measured slower than the scalar loop, several times.)
     */
    @Override
    public void gemmPackB(float[] b, int off, int rs, int cs, int kc, int cols, float[] bp, int dst) {
        if (cols != L) {
            super.gemmPackB(b, off, rs, cs, kc, cols, bp, dst);
            return;
        }
        if (cs == 1) {
            for (int p = 0; p < kc; p++) FloatVector.fromArray(S, b, off + p * rs).intoArray(bp, dst + p * L);
            return;
        }
        // A transposed operand (W.t()): L columns read side by side, one step at a time, and each
        // step's L values written as one run. Reading one column after the other (the default) ran
        // at about 5 cycles a value on a weight of 2,000 × 784; this unrolled form is 8 streams.
        for (int p = 0; p < kc; p++) {
            int src = off + p * rs, d = dst + p * L;
            for (int j = 0; j < L; j++) bp[d + j] = b[src + j * cs];
        }
    }

    /**
     * The lane shifts and masks of {@link #gemmPackA}'s transpose, made when it is first used (only
     * large products use it): creating them at start-up costs a short job class loading.
     */
    private static final class Transpose {
        static final VectorShuffle<Float> RIGHT1 = shift(1), LEFT1 = shift(-1), RIGHT2 = shift(2), LEFT2 = shift(-2);
        static final VectorShuffle<Float> RIGHT4 = shift(4), LEFT4 = shift(-4);
        /** The lanes whose index has bit 1, 2 or 4 set. */
        static final VectorMask<Float> BIT1 = VectorMask.fromLong(S, 0xAA), BIT2 = VectorMask.fromLong(S, 0xCC),
                BIT4 = VectorMask.fromLong(S, 0xF0);

        /** Lane i takes lane i − s (right) or i + s (left), wrapping; the wrapped lanes are blended away. */
        private static VectorShuffle<Float> shift(int s) {
            return VectorShuffle.fromOp(S, i -> (i - s + L) % L);
        }
    }

    /**
     * Eight steps at a time: the twelve rows' runs of 8 are loaded as vectors and transposed in
     * registers (three rounds of lane shifts and blends, as an 8×8 transpose does with unpacks),
     * and each step's twelve values stored as a run. The scalar copy cost about 2 cycles a value,
     * 15% of a product with 200 output columns. Rows 8–11 are transposed as four vectors, whose
     * results hold two steps each (low and high half); their stores spill four values into
     * slots that the stores of rows 0–7, made after them, overwrite, all within the 8 steps.
     */
    @Override
    public void gemmPackA(float[] a, int off, int rs, int kc, float[] ap, int dst) {
        final int mr = Gemm.MR;
        if (L != 8 || kc < 8) {
            super.gemmPackA(a, off, rs, kc, ap, dst);
            return;
        }
        final VectorShuffle<Float> RIGHT1 = Transpose.RIGHT1, LEFT1 = Transpose.LEFT1, RIGHT2 = Transpose.RIGHT2;
        final VectorShuffle<Float> LEFT2 = Transpose.LEFT2, RIGHT4 = Transpose.RIGHT4, LEFT4 = Transpose.LEFT4;
        final VectorMask<Float> BIT1 = Transpose.BIT1, BIT2 = Transpose.BIT2, BIT4 = Transpose.BIT4;
        int p0 = 0;
        for (; p0 + 8 <= kc; p0 += 8) {
            int s = off + p0, d = dst + p0 * mr;
            // rows 8..11: steps p and p + 4 in the low and high halves
            FloatVector e0 = FloatVector.fromArray(S, a, s + 8 * rs), e1 = FloatVector.fromArray(S, a, s + 9 * rs);
            FloatVector e2 = FloatVector.fromArray(S, a, s + 10 * rs), e3 = FloatVector.fromArray(S, a, s + 11 * rs);
            FloatVector f0 = e0.blend(e1.rearrange(RIGHT1), BIT1), f1 = e0.rearrange(LEFT1).blend(e1, BIT1);
            FloatVector f2 = e2.blend(e3.rearrange(RIGHT1), BIT1), f3 = e2.rearrange(LEFT1).blend(e3, BIT1);
            FloatVector g0 = f0.blend(f2.rearrange(RIGHT2), BIT2), g2 = f0.rearrange(LEFT2).blend(f2, BIT2);
            FloatVector g1 = f1.blend(f3.rearrange(RIGHT2), BIT2), g3 = f1.rearrange(LEFT2).blend(f3, BIT2);
            g0.intoArray(ap, d + 8);
            g1.intoArray(ap, d + mr + 8);
            g2.intoArray(ap, d + 2 * mr + 8);
            g3.intoArray(ap, d + 3 * mr + 8);
            g0.intoArray(ap, d + 4 * mr + 4);
            g1.intoArray(ap, d + 5 * mr + 4);
            g2.intoArray(ap, d + 6 * mr + 4);
            g3.intoArray(ap, d + 7 * mr + 4);
            // rows 0..7: a full 8×8 transpose
            transpose8(a, s, rs, ap, d, mr);
        }
        for (; p0 < kc; p0++) {
            for (int i = 0; i < mr; i++) ap[dst + p0 * mr + i] = a[off + i * rs + p0];
        }
    }

    /**
     * Eight steps at a time: the panel's eight columns (eight runs of {@code b}) are loaded as
     * vectors and transposed in registers, each step's eight values stored as one vector, where
     * {@link #gemmPackB} reads the eight streams a value at a time. The forward product of a
     * {@code Linear} packs its weight this way at every step: 128×784×2000 took 6.0–6.4 ms on one
     * thread against 6.8–9.3 ms before (fastest of 10 iterations, four alternating rounds).
     */
    @Override
    public void gemmPackBColumns(float[] b, int off, int cs, int kc, float[] bp, int dst) {
        if (L != 8 || kc < 8) {
            super.gemmPackBColumns(b, off, cs, kc, bp, dst);
            return;
        }
        int p0 = 0;
        for (; p0 + 8 <= kc; p0 += 8) transpose8(b, off + p0, cs, bp, dst + p0 * L, L);
        for (; p0 < kc; p0++) {
            for (int j = 0; j < L; j++) bp[dst + p0 * L + j] = b[off + j * cs + p0];
        }
    }

    /**
     * {@code dst[d + p*ds + i] = src[s + i*ss + p]} for {@code i, p < 8}: eight runs of eight loaded
     * as vectors and transposed by three rounds of lane shifts and blends (as an 8×8 transpose does
     * with unpacks). Only for 8 lanes.
     */
    private static void transpose8(float[] src, int s, int ss, float[] dst, int d, int ds) {
        final VectorShuffle<Float> RIGHT1 = Transpose.RIGHT1, LEFT1 = Transpose.LEFT1, RIGHT2 = Transpose.RIGHT2;
        final VectorShuffle<Float> LEFT2 = Transpose.LEFT2, RIGHT4 = Transpose.RIGHT4, LEFT4 = Transpose.LEFT4;
        final VectorMask<Float> BIT1 = Transpose.BIT1, BIT2 = Transpose.BIT2, BIT4 = Transpose.BIT4;
        FloatVector v0 = FloatVector.fromArray(S, src, s), v1 = FloatVector.fromArray(S, src, s + ss);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * ss), v3 = FloatVector.fromArray(S, src, s + 3 * ss);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * ss), v5 = FloatVector.fromArray(S, src, s + 5 * ss);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * ss), v7 = FloatVector.fromArray(S, src, s + 7 * ss);
        FloatVector a0 = v0.blend(v1.rearrange(RIGHT1), BIT1), a1 = v0.rearrange(LEFT1).blend(v1, BIT1);
        FloatVector a2 = v2.blend(v3.rearrange(RIGHT1), BIT1), a3 = v2.rearrange(LEFT1).blend(v3, BIT1);
        FloatVector a4 = v4.blend(v5.rearrange(RIGHT1), BIT1), a5 = v4.rearrange(LEFT1).blend(v5, BIT1);
        FloatVector a6 = v6.blend(v7.rearrange(RIGHT1), BIT1), a7 = v6.rearrange(LEFT1).blend(v7, BIT1);
        FloatVector b0 = a0.blend(a2.rearrange(RIGHT2), BIT2), b2 = a0.rearrange(LEFT2).blend(a2, BIT2);
        FloatVector b1 = a1.blend(a3.rearrange(RIGHT2), BIT2), b3 = a1.rearrange(LEFT2).blend(a3, BIT2);
        FloatVector b4 = a4.blend(a6.rearrange(RIGHT2), BIT2), b6 = a4.rearrange(LEFT2).blend(a6, BIT2);
        FloatVector b5 = a5.blend(a7.rearrange(RIGHT2), BIT2), b7 = a5.rearrange(LEFT2).blend(a7, BIT2);
        b0.blend(b4.rearrange(RIGHT4), BIT4).intoArray(dst, d);
        b1.blend(b5.rearrange(RIGHT4), BIT4).intoArray(dst, d + ds);
        b2.blend(b6.rearrange(RIGHT4), BIT4).intoArray(dst, d + 2 * ds);
        b3.blend(b7.rearrange(RIGHT4), BIT4).intoArray(dst, d + 3 * ds);
        b0.rearrange(LEFT4).blend(b4, BIT4).intoArray(dst, d + 4 * ds);
        b1.rearrange(LEFT4).blend(b5, BIT4).intoArray(dst, d + 5 * ds);
        b2.rearrange(LEFT4).blend(b6, BIT4).intoArray(dst, d + 6 * ds);
        b3.rearrange(LEFT4).blend(b7, BIT4).intoArray(dst, d + 7 * ds);
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
        FloatVector right = FloatVector.broadcast(S, 1f), below = FloatVector.broadcast(S, w), diagonal = FloatVector.broadcast(S, w + 1);
        // the loads at c + 1 may read one float past the window row: only the dropped last odd lane uses it
        for (; j + half <= n && r1 + 2 * j + L < x.length; j += half) {
            int c = 2 * j;
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
            m.rearrange(EVEN_FIRST).intoArray(y, yo + j, LOW_HALF);
            IntVector offsets = (IntVector) off.rearrange(EVEN_FIRST).convert(VectorOperators.F2I, 0);
            ((LongVector) offsets.convertShape(VectorOperators.I2L, LS, 0)).add(EVEN_COLUMNS).add(at0 + c).intoArray(idx, yo + j);
        }
        maxPool2x2Range(x, r0, w, j, n, y, idx, yo, at0);
    }
}
