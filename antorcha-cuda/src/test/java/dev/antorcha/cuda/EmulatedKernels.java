package dev.antorcha.cuda;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.cuda.EmulatedGpu.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernels of {@code kernels/*.cu} as Java loops for {@link EmulatedGpu}: each written from its
 * CUDA C (the same formula, the same float rounding, fused multiply-adds where the C calls
 * {@code fmaf}), run one thread at a time over the emulated device's native memory.
 */
final class EmulatedKernels {
    private EmulatedKernels() {
    }

    private static Map<String, String> defines(Gpu.Kernel k) {
        Map<String, String> d = new HashMap<>();
        for (String line : k.defines()) {   // NAME VALUE, or a macro NAME(args) VALUE
            int paren = line.indexOf('('), sp = line.indexOf(' ');
            int end = paren >= 0 && (sp < 0 || paren < sp) ? line.indexOf(')') + 1 : sp < 0 ? line.length() : sp;
            d.put(line.substring(0, end), end >= line.length() ? "" : line.substring(end + 1));
        }
        return d;
    }

    /** The element offset of output element {@code i} for operand {@code which} ({@code locate} of elementwise.cu). */
    private static long locate(long[] g, int which, long i) {
        long off = g[2 + 32 + which];
        for (int d = (int) g[1] - 1; d >= 0; d--) {
            long s = g[2 + d], q = i % s;
            i /= s;
            off += q * g[2 + 8 + which * 8 + d];
        }
        return off;
    }

    // ---- the kernels -------------------------------------------------------------------------

    private static float f(List<Object> a, int i) {
        return (Float) a.get(i);
    }

    private static int i32(List<Object> a, int i) {
        return (Integer) a.get(i);
    }

    private static long i64(List<Object> a, int i) {
        return (Long) a.get(i);
    }

    private static final Type F = Type.of("float"), L = Type.of("long long");

    /** Runs kernel {@code k} over a grid of {@code blocks} (row kernels: a row a block), one thread at a time. */
    static void run(Gpu.Kernel k, int blocks, KernelArgs args) {
        List<Object> a = args.values();
        Map<String, String> d = defines(k);
        switch (k.name()) {
            case "unary_kernel" -> {
                long[] g = (long[]) a.get(0);
                Type t = Type.of(d.get("T"));
                UnaryOp op = EmulatedOps.unaryOp(d.get("UNARY(v, p0, p1)"), EmulatedOps.dtypeOf(t.c()));
                double p0 = (Double) a.get(3), p1 = (Double) a.get(4);
                boolean f32 = t.c().equals("float");
                for (long i = 0; i < g[0]; i++) {
                    long xi = locate(g, 0, i), yi = locate(g, 1, i);
                    if (t.floating()) {
                        t.set(i64(a, 2), yi, EmulatedOps.unary(op, t.get(i64(a, 1), xi), f32 ? (float) p0 : p0, f32 ? (float) p1 : p1, f32));
                    } else {
                        long v = t.getLong(i64(a, 1), xi);
                        long r = switch (op) {
                            case COPY -> v;
                            case NEG -> -v;
                            case ABS -> Math.abs(v);
                            case SIGN -> Long.signum(v);
                            case CLAMP -> v < (long) p0 ? (long) p0 : v > (long) p1 ? (long) p1 : v;
                            case RELU -> Math.max(v, 0);
                            default -> throw new IllegalArgumentException(op + " of integers has no kernel");
                        };
                        t.setLong(i64(a, 2), yi, r);
                    }
                }
            }
            case "binary_kernel" -> {
                long[] g = (long[]) a.get(0);
                Type t = Type.of(d.get("T")), o = Type.of(d.get("OUT_T"));
                BinaryOp op = EmulatedOps.binaryOp(d.get("BINARY(x, y)"), EmulatedOps.dtypeOf(t.c()));
                for (long i = 0; i < g[0]; i++) {
                    long ai = locate(g, 0, i), bi = locate(g, 1, i), oi = locate(g, 2, i);
                    if (t.floating()) {
                        o.set(i64(a, 3), oi, EmulatedOps.binary(op, t.get(i64(a, 1), ai), t.get(i64(a, 2), bi), t.c().equals("float")));
                    } else {
                        o.setLong(i64(a, 3), oi, EmulatedOps.binaryLong(op, t.getLong(i64(a, 1), ai), t.getLong(i64(a, 2), bi)));
                    }
                }
            }
            case "convert_kernel", "convert_bool_kernel" -> {
                long[] g = (long[]) a.get(0);
                Type from = Type.of(d.get("FROM")), to = Type.of(d.get("TO"));
                boolean toBool = k.name().equals("convert_bool_kernel");
                for (long i = 0; i < g[0]; i++) {
                    long si = locate(g, 0, i), di = locate(g, 1, i);
                    if (toBool) to.setLong(i64(a, 2), di, from.get(i64(a, 1), si) != 0 ? 1 : 0);
                    else if (from.floating()) to.set(i64(a, 2), di, from.get(i64(a, 1), si));
                    else to.setLong(i64(a, 2), di, from.getLong(i64(a, 1), si));
                }
            }
            case "fill_kernel" -> {
                Type t = Type.of(d.get("T"));
                double v = (Double) a.get(2);
                for (long i = 0; i < i64(a, 0); i++) t.set(i64(a, 1), i, v);
            }
            case "log_softmax" -> {
                int n = i32(a, 3);
                for (int r = 0; r < blocks; r++) {
                    long row = (long) r * n;
                    float m = Float.NEGATIVE_INFINITY, s = 0;
                    for (int j = 0; j < n; j++) m = Math.max(m, (float) F.get(i64(a, 0), row + j));
                    for (int j = 0; j < n; j++) s += (float) Math.exp((float) F.get(i64(a, 0), row + j) - m);
                    float log = (float) Math.log(s);
                    if (i64(a, 1) != 0) for (int j = 0; j < n; j++) F.set(i64(a, 1), row + j, (float) F.get(i64(a, 0), row + j) - m - log);
                    if (i64(a, 2) != 0) F.set(i64(a, 2), r, m + log);
                }
            }
            case "log_softmax_backward" -> {
                int n = i32(a, 3);
                for (int r = 0; r < blocks; r++) {
                    long row = (long) r * n;
                    float s = 0;
                    for (int j = 0; j < n; j++) s += (float) F.get(i64(a, 1), row + j);
                    for (int j = 0; j < n; j++) {
                        F.set(i64(a, 2), row + j, (float) F.get(i64(a, 1), row + j) - (float) Math.exp((float) F.get(i64(a, 0), row + j)) * s);
                    }
                }
            }
            case "nll_rows" -> {
                int rows = i32(a, 5), n = i32(a, 6);
                long ignore = i64(a, 7);
                for (int r = 0; r < rows; r++) {
                    long t = L.getLong(i64(a, 2), r);
                    if (t == ignore) {
                        F.set(i64(a, 3), r, 0);
                        F.set(i64(a, 4), r, 0);
                        continue;
                    }
                    F.set(i64(a, 3), r, (float) F.get(i64(a, 1), r) - (float) F.get(i64(a, 0), (long) r * n + t));
                    F.set(i64(a, 4), r, 1);
                }
            }
            case "cross_entropy_backward" -> {
                int n = i32(a, 5), perRow = i32(a, 7);
                long ignore = i64(a, 6);
                float divisor = f(a, 8);
                for (int r = 0; r < blocks; r++) {
                    long t = L.getLong(i64(a, 2), r), row = (long) r * n;
                    float scale = t == ignore ? 0f : perRow != 0 ? (float) F.get(i64(a, 3), r) : (float) F.get(i64(a, 3), 0) / divisor;
                    float lse = (float) F.get(i64(a, 1), r);
                    for (int j = 0; j < n; j++) {
                        float v = scale * (float) Math.exp((float) F.get(i64(a, 0), row + j) - lse);
                        F.set(i64(a, 4), row + j, j == t ? v - scale : v);
                    }
                }
            }
            case "argmax_rows" -> {
                int n = i32(a, 2);
                for (int r = 0; r < blocks; r++) {
                    float best = 0;
                    int at = -1;
                    for (int j = 0; j < n; j++) {
                        float v = (float) F.get(i64(a, 0), (long) r * n + j);
                        if (at < 0 || v > best || (v != v && best == best)) { best = v; at = j; }
                    }
                    L.setLong(i64(a, 1), r, Math.max(0, at));
                }
            }
            case "sum_inner" -> {
                long inner = i64(a, 2);
                for (int o = 0; o < blocks; o++) {
                    float s = 0;
                    for (long j = 0; j < inner; j++) s += (float) F.get(i64(a, 0), o * inner + j);
                    F.set(i64(a, 1), o, s);
                }
            }
            case "divide_first" -> F.set(i64(a, 0), 0, (float) F.get(i64(a, 0), 0) / f(a, 1));
            case "add_rows" -> {
                long rows = i64(a, 3), n = i64(a, 4);
                for (long t = 0; t < rows * n; t++) F.set(i64(a, 2), t, (float) F.get(i64(a, 0), t) + (float) F.get(i64(a, 1), t % n));
            }
            case "adam" -> {
                long n = i64(a, 0), p = i64(a, 1), gr = i64(a, 2), m = i64(a, 3), v = i64(a, 4), vmax = i64(a, 5);
                float decay = f(a, 6), wd = f(a, 7), b1 = f(a, 8), omb1 = f(a, 9), b2 = f(a, 10), omb2 = f(a, 11), bc2 = f(a, 12);
                float eps = f(a, 13), step = f(a, 14);
                boolean decoupled = i32(a, 15) != 0, l2 = i32(a, 16) != 0;
                for (long i = 0; i < n; i++) {
                    float pi = decoupled ? (float) F.get(p, i) * decay : (float) F.get(p, i);
                    float gi = l2 ? Math.fma(pi, wd, (float) F.get(gr, i)) : (float) F.get(gr, i);
                    float mi = Math.fma(gi, omb1, (float) F.get(m, i) * b1);
                    float vi = (float) F.get(v, i) * b2 + omb2 * gi * gi;
                    F.set(m, i, mi);
                    F.set(v, i, vi);
                    if (vmax != 0) {
                        vi = Math.max((float) F.get(vmax, i), vi);
                        F.set(vmax, i, vi);
                    }
                    float denom = (float) Math.sqrt(vi) / bc2 + eps;
                    F.set(p, i, pi + step * mi / denom);
                }
            }
            case "sgd" -> {
                long n = i64(a, 0), p = i64(a, 1), gr = i64(a, 2), buf = i64(a, 3);
                float negLr = f(a, 4), mom = f(a, 5), keep = f(a, 6), wd = f(a, 7);
                boolean decay = i32(a, 8) != 0, nesterov = i32(a, 9) != 0, first = i32(a, 10) != 0;
                for (long i = 0; i < n; i++) {
                    float dd = decay ? Math.fma((float) F.get(p, i), wd, (float) F.get(gr, i)) : (float) F.get(gr, i);
                    if (buf != 0) {
                        float b = first ? dd : Math.fma(dd, keep, (float) F.get(buf, i) * mom);
                        F.set(buf, i, b);
                        dd = nesterov ? Math.fma(b, mom, dd) : b;
                    }
                    F.set(p, i, Math.fma(dd, negLr, (float) F.get(p, i)));
                }
            }
            case "adadelta" -> {
                long n = i64(a, 0), p = i64(a, 1), gr = i64(a, 2), sa = i64(a, 3), ad = i64(a, 4);
                float rho = f(a, 5), omr = f(a, 6), eps = f(a, 7), negLr = f(a, 8), wd = f(a, 9);
                boolean l2 = i32(a, 10) != 0;
                for (long i = 0; i < n; i++) {
                    float gi = l2 ? Math.fma((float) F.get(p, i), wd, (float) F.get(gr, i)) : (float) F.get(gr, i);
                    float sai = (float) F.get(sa, i) * rho + omr * gi * gi;
                    F.set(sa, i, sai);
                    float std = (float) Math.sqrt(sai + eps);
                    float delta = (float) Math.sqrt((float) F.get(ad, i) + eps) / std * gi;
                    F.set(ad, i, (float) F.get(ad, i) * rho + omr * delta * delta);
                    F.set(p, i, Math.fma(delta, negLr, (float) F.get(p, i)));
                }
            }
            case "max_pool2d" -> {
                long x = i64(a, 0), y = i64(a, 1), idx = i64(a, 2), total = i64(a, 3);
                int h = i32(a, 4), w = i32(a, 5), oh = i32(a, 6), ow = i32(a, 7), kh = i32(a, 8), kw = i32(a, 9);
                int sh = i32(a, 10), sw = i32(a, 11), ph = i32(a, 12), pw = i32(a, 13), dh = i32(a, 14), dw = i32(a, 15);
                for (long t = 0; t < total; t++) {
                    long plane = t / ((long) oh * ow);
                    int rest = (int) (t % ((long) oh * ow)), i = rest / ow, j = rest % ow;
                    int h0 = i * sh - ph, w0 = j * sw - pw;
                    int h1 = Math.min(h0 + (kh - 1) * dh + 1, h), w1 = Math.min(w0 + (kw - 1) * dw + 1, w);
                    while (h0 < 0) h0 += dh;
                    while (w0 < 0) w0 += dw;
                    float m = Float.NEGATIVE_INFINITY;
                    int at = h0 * w + w0;
                    for (int r = h0; r < h1; r += dh) {
                        for (int c = w0; c < w1; c += dw) {
                            float v = (float) F.get(x, plane * h * w + r * w + c);
                            if (v > m || v != v) { m = v; at = r * w + c; }
                        }
                    }
                    F.set(y, t, m);
                    L.setLong(idx, t, at);
                }
            }
            case "max_pool2d_backward" -> {
                long g = i64(a, 0), idx = i64(a, 1), dx = i64(a, 2), total = i64(a, 3);
                int hw = i32(a, 4), ohw = i32(a, 5);
                for (long t = 0; t < total; t++) {
                    long at = t / ohw * hw + L.getLong(idx, t);
                    F.set(dx, at, (float) F.get(dx, at) + (float) F.get(g, t));
                }
            }
            case "dropout" -> {
                long n = i64(a, 0), x = i64(a, 1), mask = i64(a, 2), out = i64(a, 3);
                float p = f(a, 4), scale = f(a, 5);
                for (long i = 0; i < n; i++) {
                    float m = Math.copySign(1f, (float) F.get(mask, i) - p) < 0 ? 0f : scale;
                    F.set(mask, i, m);
                    F.set(out, i, (float) F.get(x, i) * m);
                }
            }
            case "lstm_cell", "lstm_cell_backward" -> EmulatedLayers.lstm(k.name(), a);
            case "index_select_rows" -> {
                long x = i64(a, 0), idx = i64(a, 1), out = i64(a, 2), rows = i64(a, 3), row = i64(a, 4);
                for (long t = 0; t < rows * row; t++) F.set(out, t, F.get(x, L.getLong(idx, t / row) * row + t % row));
            }
            case "index_add_rows" -> {
                long out = i64(a, 0), idx = i64(a, 1), src = i64(a, 2), rows = i64(a, 3), row = i64(a, 4);
                for (long t = 0; t < rows * row; t++) {
                    long at = L.getLong(idx, t / row) * row + t % row;
                    F.set(out, at, (float) F.get(out, at) + (float) F.get(src, t));
                }
            }
            case "log_softmax_backward_one_hot" -> {
                long y = i64(a, 0), idx = i64(a, 1), pick = i64(a, 2), dx = i64(a, 3);
                int n = i32(a, 4);
                for (int r = 0; r < blocks; r++) {
                    long c = L.getLong(idx, r), base = (long) r * n;
                    float p = (float) F.get(pick, r);
                    for (int j = 0; j < n; j++) {
                        float e = (float) Math.exp((float) F.get(y, base + j)) * p;
                        F.set(dx, base + j, (j == c ? p : 0f) - e);
                    }
                }
            }
            case "sum_squares" -> {
                long x = i64(a, 0), n = i64(a, 1), partial = i64(a, 2);
                Type f64 = Type.of("double");
                for (int b = 0; b < blocks; b++) f64.set(partial, b, 0);
                for (long i = 0; i < n; i++) {
                    long b = i / 256 % blocks;   // the grid-stride loop's block of element i
                    double v = F.get(x, i);
                    f64.set(partial, b, f64.get(partial, b) + v * v);
                }
            }
            case "gather_rows" -> {
                long x = i64(a, 0), idx = i64(a, 1), out = i64(a, 2), rows = i64(a, 3), kk = i64(a, 4), n = i64(a, 5);
                for (long t = 0; t < rows * kk; t++) F.set(out, t, F.get(x, t / kk * n + L.getLong(idx, t)));
            }
            case "sum_inner_double" -> {
                Type f64 = Type.of("double");
                long inner = i64(a, 2);
                for (int o = 0; o < blocks; o++) {
                    double s = 0;
                    for (long j = 0; j < inner; j++) s += f64.get(i64(a, 0), o * inner + j);
                    f64.set(i64(a, 1), o, s);
                }
            }
            case "im2col", "col2im" -> EmulatedLayers.lowering(k.name(), a);
            case "add_channel_bias" -> {
                long out = i64(a, 0), b = i64(a, 1), total = i64(a, 2), plane = i64(a, 4);
                int channels = i32(a, 3);
                for (long t = 0; t < total; t++) F.set(out, t, (float) F.get(out, t) + (float) F.get(b, t / plane % channels));
            }
            default -> throw new IllegalArgumentException("the emulated GPU has no kernel " + k.name());
        }
    }
}
