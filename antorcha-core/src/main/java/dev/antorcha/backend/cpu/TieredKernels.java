package dev.antorcha.backend.cpu;

import dev.antorcha.backend.AdamStep;
import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIMD kernels that do not make the first seconds slow. Vector API code is very slow until the
 * JIT's C2 compiler has compiled it, and compiling it takes a while; so until a background
 * warm-up has compiled the SIMD kernels, the work goes to {@link FmaScalarKernels}, which compile
 * fast and round exactly like them. Results are bitwise the same whichever tier runs a call, so
 * when the switch happens does not matter; only the order-sensitive {@code sum} and {@code dot}
 * always run on the SIMD kernels.
 */
final class TieredKernels implements FloatKernels {
    private final FloatKernels cold;
    private final FloatKernels hot;
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    private volatile boolean warm;

    TieredKernels(FloatKernels cold, FloatKernels hot) {
        if (cold.gemmNr() != hot.gemmNr()) throw new IllegalArgumentException("tiers need the same panel width");
        this.cold = cold;
        this.hot = hot;
    }

    FloatKernels hot() {
        return hot;
    }

    /** Runs the warm-up on the calling thread unless it already ran or runs; then uses the SIMD tier. */
    void warmUpNow() {
        if (!warmUpStarted.compareAndSet(false, true)) return;
        try {
            VectorizationProvider.exercise(hot);
            // Switch once the compiled SIMD tile beats the scalar one (C2 may still be compiling
            // after the loop above); give up waiting after a few seconds.
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline && timeTiles(hot) > timeTiles(cold)) VectorizationProvider.exercise(hot, 1_000);
        } finally {
            warm = true;
        }
    }

    /** Nanoseconds for a few tiles of a realistic depth. */
    private static long timeTiles(FloatKernels k) {
        int kc = 64, nr = k.gemmNr();
        float[] a = new float[Gemm.MR * kc], b = new float[nr * kc], c = new float[Gemm.MR * nr];
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) k.gemmTile(kc, a, 0, b, 0, c, 0, nr, Gemm.MR, nr, false);
        return System.nanoTime() - t0;
    }

    private FloatKernels current() {
        if (warm) return hot;
        if (!warmUpStarted.get()) {
            Thread.ofPlatform().daemon().name("antorcha-simd-warmup").start(this::warmUpNow);
        }
        return cold;
    }

    @Override
    public String description() {
        return hot.description();
    }

    @Override
    public int lanes() {
        return hot.lanes();
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n) {
        current().binary(op, a, ao, as, b, bo, bs, o, oo, os, n);
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1) {
        current().unary(op, x, xo, xs, o, oo, os, n, p0, p1);
    }

    @Override
    public float sum(float[] x, int off, int n) {
        return hot.sum(x, off, n);
    }

    @Override
    public float max(float[] x, int off, int n, boolean min) {
        return current().max(x, off, n, min);
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        current().axpy(alpha, x, xo, y, yo, n);
    }

    @Override
    public int gemmNr() {
        return hot.gemmNr();
    }

    @Override
    public void gemmTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, int rows, int cols,
                         boolean accumulate) {
        current().gemmTile(kc, ap, aOff, bp, bOff, c, cOff, ldc, rows, cols, accumulate);
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int n, AdamStep s) {
        current().adam(p, g, m, v, vmax, n, s);
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        return hot.dot(a, ao, b, bo, n);
    }
}
