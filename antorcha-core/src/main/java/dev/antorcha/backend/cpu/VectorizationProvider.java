package dev.antorcha.backend.cpu;

/**
 * Chooses the kernels once, at class initialisation (Lucene's {@code VectorizationProvider}
 * pattern): the SIMD kernels when the {@code jdk.incubator.vector} module is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}), the scalar kernels
 * otherwise. A user who never heard of the flag still gets correct results, only slower.
 */
public final class VectorizationProvider {
    private static final FloatKernels KERNELS = choose();

    private VectorizationProvider() {
    }

    /** The kernels in use by this JVM. */
    public static FloatKernels kernels() {
        return KERNELS;
    }

    /** Whether the SIMD kernels could be used in this JVM. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Calls every hot kernel many times on tiny inputs so that the JIT compiles them fully
     * (the Vector API is only fast once C2 has compiled it, and very slow before), typically in
     * a background thread at start-up. Touches no shared state; returns when done.
     */
    public static void warmUp() {
        FloatKernels k = KERNELS;
        int l = Math.max(k.lanes(), 8), nr = k.gemmNr(), kc = 4;
        float[] a = new float[Gemm.MR * kc], b = new float[nr * kc], c = new float[Gemm.MR * nr];
        float[] x = new float[4 * l], y = new float[4 * l], o = new float[4 * l], z = new float[4 * l];
        java.util.Arrays.fill(x, 0.5f);
        java.util.Arrays.fill(y, 0.25f);
        var step = new dev.antorcha.backend.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, -1e-3f, 0.03f, 1e-8f, 0f, false, 1f, false);
        float sink = 0;
        // First the whole matrix multiply (packing both operands, plain and transposed, partial
        // tiles and panels, two k-blocks): it carries most of the work, and its packing loops,
        // interpreted, made the first iterations 40 times slower than the later ones.
        int gm = 2 * Gemm.MR + 1, gn = nr + 5, gk = 9;
        float[] ga = new float[gm * gk], gb = new float[gk * gn], gc = new float[gm * gn], tile = new float[Gemm.MR * nr];
        java.util.Arrays.fill(ga, 0.5f);
        java.util.Arrays.fill(gb, 0.25f);
        for (int i = 0; i < 6_000; i++) {
            boolean t = (i & 1) == 1;
            Gemm.gemm(k, gm, gn, gk, ga, 0, t ? 1 : gk, t ? gm : 1, gb, 0, t ? 1 : gn, t ? gk : 1, gc, 0, gn);
            // The tile's accumulating store (the k-blocks after the first), which this small
            // product never reaches: a branch unseen when C2 compiles becomes a trap.
            k.gemmTile(kc, a, 0, b, 0, c, 0, nr, warmRows(i), warmCols(i, nr), t, tile);
            k.adam(o, y, z, z, null, i & 1, warmLength(i, l), step);   // every step ends with it
        }
        sink += gc[0];
        // Every branch the real work takes is taken here too (partial tiles, vector tails or
        // none, copies and fills): a branch the compiler never saw taken is compiled as a trap,
        // and the first real call that takes it throws the compiled code away (measured: the
        // tile kernel was recompiled just as training began).
        for (int i = 0; i < 12_000; i++) {
            int n = warmLength(i, l);
            k.gemmTile(kc, a, 0, b, 0, c, 0, nr, warmRows(i), warmCols(i, nr), (i & 1) == 0, tile);
            for (dev.antorcha.backend.BinaryOp op : WARM_BINARY) k.binary(op, x, 0, 1, y, 0, i & 1, o, 0, 1, n);
            k.unary(dev.antorcha.backend.UnaryOp.COPY, x, 0, i & 1, o, 0, 1, 2 * l, 0, 0);
            k.unary(dev.antorcha.backend.UnaryOp.RELU, x, 0, 1, o, 0, 1, 2 * l, 0, 0);
            k.adam(o, y, z, z, null, 0, 2 * l + 1, step);
            k.axpy(1f, x, 0, o, 0, 2 * l + 1);
            sink += k.sum(x, 0, 2 * l + 1) + k.max(x, 0, 2 * l + 1, false);
        }
        if (sink == 42) System.out.print("");
    }

    /** Tile rows in call {@code i} of the warm-up: full, or one short (an edge tile). */
    private static int warmRows(int i) {
        return i % 4 == 3 ? Gemm.MR - 1 : Gemm.MR;
    }

    /** Tile columns in call {@code i}: a full panel, a partial one, or a narrow one (one vector). */
    private static int warmCols(int i, int nr) {
        return i % 4 == 2 ? nr - 3 : i % 8 == 1 ? 4 : nr;
    }

    /** Vector length in call {@code i}: shorter than a vector, a whole number of vectors, or one more. */
    private static int warmLength(int i, int lanes) {
        return i % 8 == 5 ? 3 : 2 * lanes + (i & 1);
    }

    private static final dev.antorcha.backend.BinaryOp[] WARM_BINARY = {
        dev.antorcha.backend.BinaryOp.ADD, dev.antorcha.backend.BinaryOp.MUL, dev.antorcha.backend.BinaryOp.SUB,
        dev.antorcha.backend.BinaryOp.DIV, dev.antorcha.backend.BinaryOp.MASK_POSITIVE
    };

    /** The SIMD kernels, for tests that compare both paths; empty when the module is absent. */
    public static java.util.Optional<FloatKernels> simdKernels() {
        return vectorModulePresent() ? java.util.Optional.of(new PanamaKernels()) : java.util.Optional.empty();
    }

    /** The scalar kernels, always available. */
    public static FloatKernels scalarKernels() {
        return new ScalarKernels();
    }

    private static FloatKernels choose() {
        if (!vectorModulePresent()) return new ScalarKernels();
        try {
            FloatKernels k = new PanamaKernels();
            // Fewer than 4 lanes (no SIMD unit the JIT can use) is slower than plain loops.
            return k.lanes() >= 4 ? k : new ScalarKernels();
        } catch (LinkageError e) {
            return new ScalarKernels();
        }
    }
}
