package dev.antorcha.cuda;

import dev.antorcha.cuda.EmulatedGpu.Type;
import java.util.List;

/**
 * The layer kernels of {@link EmulatedKernels}: an LSTM step's gates and their gradient
 * (recurrent.cu) and the convolution's im2col and col2im (conv.cu), as Java loops from the CUDA C.
 */
final class EmulatedLayers {
    private static final Type F = Type.of("float");

    private EmulatedLayers() {
    }

    private static int i32(List<Object> a, int i) {
        return (Integer) a.get(i);
    }

    private static long i64(List<Object> a, int i) {
        return (Long) a.get(i);
    }

    /** {@code lstm_cell} and {@code lstm_cell_backward} of recurrent.cu. */
    static void lstm(String name, List<Object> a) {
        if (name.equals("lstm_cell")) {
            long gi = i64(a, 0), gild = i64(a, 1), gh = i64(a, 2), ghld = i64(a, 3), c = i64(a, 4), cld = i64(a, 5);
            long h = i64(a, 6), hld = i64(a, 7), cn = i64(a, 8), cnld = i64(a, 9), w = i64(a, 10), wld = i64(a, 11);
            long n = i64(a, 12);
            int hs = i32(a, 13);
            for (long r = 0; r < n; r++) {
                for (int q = 0; q < hs; q++) {
                    float i = sigm(F.get(gh, r * ghld + q) + F.get(gi, r * gild + q));
                    float f = sigm(F.get(gh, r * ghld + hs + q) + F.get(gi, r * gild + hs + q));
                    float g = (float) Math.tanh((float) (F.get(gh, r * ghld + 2 * hs + q) + F.get(gi, r * gild + 2 * hs + q)));
                    float o = sigm(F.get(gh, r * ghld + 3 * hs + q) + F.get(gi, r * gild + 3 * hs + q));
                    float cp = c != 0 ? (float) F.get(c, r * cld + q) : 0f;
                    float cv = f * cp + i * g, tc = (float) Math.tanh(cv);
                    F.set(cn, r * cnld + q, cv);
                    F.set(h, r * hld + q, o * tc);
                    float[] gates = {i, f, g, o, tc};
                    for (int j = 0; j < 5; j++) F.set(w, r * wld + (long) j * hs + q, gates[j]);
                }
            }
        
            return;
        }
        long dh = i64(a, 0), dhld = i64(a, 1), dc = i64(a, 2), dcld = i64(a, 3), c = i64(a, 4), cld = i64(a, 5);
        long w = i64(a, 6), wld = i64(a, 7), dg = i64(a, 8), dgld = i64(a, 9), dcp = i64(a, 10), dcpld = i64(a, 11);
        long n = i64(a, 12);
        int hs = i32(a, 13);
        for (long r = 0; r < n; r++) {
            for (int q = 0; q < hs; q++) {
                long wr = r * wld + q;
                float i = (float) F.get(w, wr), f = (float) F.get(w, wr + hs), g = (float) F.get(w, wr + 2L * hs);
                float o = (float) F.get(w, wr + 3L * hs), tc = (float) F.get(w, wr + 4L * hs);
                float dhv = (float) F.get(dh, r * dhld + q);
                float dct = (dc != 0 ? (float) F.get(dc, r * dcld + q) : 0f) + dhv * o * (1 - tc * tc);
                float cp = c != 0 ? (float) F.get(c, r * cld + q) : 0f;
                long at = r * dgld + q;
                F.set(dg, at, dct * g * i * (1 - i));
                F.set(dg, at + hs, dct * cp * f * (1 - f));
                F.set(dg, at + 2L * hs, dct * i * (1 - g * g));
                F.set(dg, at + 3L * hs, dhv * tc * o * (1 - o));
                F.set(dcp, r * dcpld + q, dct * f);
            }
        }
    
    }

    private static float sigm(double x) {
        return 1f / (1f + (float) Math.exp(-(float) x));
    }

    static void lowering(String name, List<Object> a) {
        long total = i64(a, 2);
        int c = i32(a, 3), h = i32(a, 4), w = i32(a, 5), oh = i32(a, 6), ow = i32(a, 7), kh = i32(a, 8), kw = i32(a, 9);
        int sh = i32(a, 10), sw = i32(a, 11), ph = i32(a, 12), pw = i32(a, 13), dh = i32(a, 14), dw = i32(a, 15);
        long ohw = (long) oh * ow, ckk = (long) c * kh * kw;
        if (name.equals("im2col")) {
            long x = i64(a, 0), col = i64(a, 1);
            for (long t = 0; t < total; t++) {
                long q = t % ohw, r = t / ohw;
                int ck = (int) (r % ckk);
                long n = r / ckk;
                int v = ck % kw, u = ck / kw % kh, ch = ck / (kh * kw), i = (int) (q / ow), j = (int) (q % ow);
                int y = i * sh - ph + u * dh, xx = j * sw - pw + v * dw;
                F.set(col, t, y >= 0 && y < h && xx >= 0 && xx < w ? F.get(x, ((n * c + ch) * h + y) * w + xx) : 0);
            }
            return;
        }
        long col = i64(a, 0), dx = i64(a, 1);
        for (long t = 0; t < total; t++) {
            int xx = (int) (t % w);
            long r = t / w;
            int y = (int) (r % h);
            r /= h;
            int ch = (int) (r % c);
            long n = r / c;
            float s = 0;
            for (int u = 0; u < kh; u++) {
                int yi = y + ph - u * dh;
                if (yi < 0 || yi % sh != 0 || yi / sh >= oh) continue;
                for (int v = 0; v < kw; v++) {
                    int xi = xx + pw - v * dw;
                    if (xi < 0 || xi % sw != 0 || xi / sw >= ow) continue;
                    s += (float) F.get(col, (n * ckk + (long) (ch * kh + u) * kw + v) * ohw + (long) (yi / sh) * ow + xi / sw);
                }
            }
            F.set(dx, t, s);
        }
    }

}
