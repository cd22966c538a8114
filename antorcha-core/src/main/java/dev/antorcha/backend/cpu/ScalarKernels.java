package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;

/**
 * Plain-Java kernels: the reference semantics, used when the Vector API is absent and by
 * {@code PanamaKernels} for ops and strides it has no vector form for. Each op has its own
 * loop so the JIT sees a monomorphic body.
 */
public class ScalarKernels implements FloatKernels {

    @Override
    public String description() {
        return "scalar (jdk.incubator.vector not present)";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                       float[] o, int oo, int os, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] + b[bo + i * bs]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] - b[bo + i * bs]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] * b[bo + i * bs]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] / b[bo + i * bs]; }
            case POW -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = (float) Math.pow(a[ao + i * as], b[bo + i * bs]);
            }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.max(a[ao + i * as], b[bo + i * bs]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.min(a[ao + i * as], b[bo + i * bs]); }
            case MASK_POSITIVE -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = b[bo + i * bs] <= 0f ? 0f : a[ao + i * as];
            }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] == b[bo + i * bs] ? 1f : 0f; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] != b[bo + i * bs] ? 1f : 0f; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] < b[bo + i * bs] ? 1f : 0f; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] <= b[bo + i * bs] ? 1f : 0f; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] > b[bo + i * bs] ? 1f : 0f; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] >= b[bo + i * bs] ? 1f : 0f; }
        }
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1) {
        switch (op) {
            case COPY -> {
                if (xs == 1 && os == 1) System.arraycopy(x, xo, o, oo, n);
                else if (xs == 0 && os == 1) java.util.Arrays.fill(o, oo, oo + n, x[xo]);   // fill_ / zero_
                else for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs];
            }
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i * os] = -x[xo + i * xs]; }
            case EXP -> { for (int i = 0; i < n; i++) o[oo + i * os] = (float) Math.exp(x[xo + i * xs]); }
            case LOG -> { for (int i = 0; i < n; i++) o[oo + i * os] = (float) Math.log(x[xo + i * xs]); }
            case SQRT -> { for (int i = 0; i < n; i++) o[oo + i * os] = (float) Math.sqrt(x[xo + i * xs]); }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.abs(x[xo + i * xs]); }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.max(x[xo + i * xs], 0f); }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = (float) (1.0 / (1.0 + Math.exp(-x[xo + i * xs])));
            }
            case TANH -> { for (int i = 0; i < n; i++) o[oo + i * os] = (float) Math.tanh(x[xo + i * xs]); }
            case CLAMP -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.min(Math.max(x[xo + i * xs], p0), p1); }
            case POW_SCALAR -> {
                if (p0 == 2f) for (int i = 0; i < n; i++) { float v = x[xo + i * xs]; o[oo + i * os] = v * v; }
                else for (int i = 0; i < n; i++) o[oo + i * os] = (float) Math.pow(x[xo + i * xs], p0);
            }
            case SIGN -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.signum(x[xo + i * xs]); }
            case ERF -> { for (int i = 0; i < n; i++) o[oo + i * os] = (float) Erf.erf(x[xo + i * xs]); }
        }
    }

    @Override
    public float sum(float[] x, int off, int n) {
        // Eight interleaved partial sums: more accurate than one running sum, and faster.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += x[off + i]; s1 += x[off + i + 1]; s2 += x[off + i + 2]; s3 += x[off + i + 3];
            s4 += x[off + i + 4]; s5 += x[off + i + 5]; s6 += x[off + i + 6]; s7 += x[off + i + 7];
        }
        float s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    @Override
    public float max(float[] x, int off, int n, boolean min) {
        float m = x[off];
        for (int i = 1; i < n; i++) {
            float v = x[off + i];
            if (v != v) return v;
            m = min ? Math.min(m, v) : Math.max(m, v);
        }
        return m;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    @Override
    public int gemmNr() {
        return 8;
    }

    @Override
    public void gemmTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                         boolean accumulate, float[] tile) {
        final int mr = Gemm.MR, nr = 8;
        float[] acc = new float[mr * nr];
        for (int p = 0; p < kc; p++) {
            int a = aOff + p * mr, b = bOff + p * nr;
            for (int i = 0; i < mr; i++) {
                float av = ap[a + i];
                for (int j = 0; j < nr; j++) acc[i * nr + j] += av * bp[b + j];
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + acc[i * nr + j] : acc[i * nr + j];
            }
        }
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int to, AdamStep s) {
        adamRange(p, g, m, v, vmax, from, to, s);
    }

    /** The reference loop; the SIMD kernel computes the same expressions in the same order. */
    static void adamRange(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int to, AdamStep s) {
        float decay = (float) s.decay(), wd = (float) s.weightDecay(), b1 = (float) s.beta1();
        float omb1 = (float) s.oneMinusBeta1(), b2 = (float) s.beta2(), omb2 = (float) s.oneMinusBeta2();
        float bc2 = (float) s.bc2Sqrt(), eps = (float) s.eps(), step = (float) s.negStep();
        for (int i = from; i < to; i++) {
            float pi = s.decoupled() ? p[i] * decay : p[i];
            float gi = s.l2() ? Math.fma(pi, wd, g[i]) : g[i];
            float mi = Math.fma(gi, omb1, m[i] * b1);
            float vi = v[i] * b2 + omb2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) vi = vmax[i] = Math.max(vmax[i], vi);
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            p[i] = pi + step * mi / denom;
        }
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    @Override
    public void maxPool2x2Row(float[] x, int r0, int w, int n, float[] y, long[] idx, int yo, int at0) {
        maxPool2x2Range(x, r0, w, 0, n, y, idx, yo, at0);
    }

    /** The reference loop over outputs {@code [from, to)}; the SIMD kernel selects the same element. */
    static void maxPool2x2Range(float[] x, int r0, int w, int from, int to, float[] y, long[] idx, int yo, int at0) {
        int r1 = r0 + w;
        for (int j = from; j < to; j++) {
            int c = 2 * j, at = at0 + c;
            float m = x[r0 + c], v = x[r0 + c + 1];
            if (v > m || v != v) { m = v; at = at0 + c + 1; }
            v = x[r1 + c];
            if (v > m || v != v) { m = v; at = at0 + w + c; }
            v = x[r1 + c + 1];
            if (v > m || v != v) { m = v; at = at0 + w + c + 1; }
            y[yo + j] = m;
            idx[yo + j] = at;
        }
    }
}
