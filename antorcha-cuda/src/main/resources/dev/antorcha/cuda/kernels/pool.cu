// Max pooling over contiguous [planes, h, w] float planes, one thread per output element: the CPU's
// PoolKernels.maxPlane (padding never wins; a value replaces the maximum when strictly greater or
// NaN, so the first maximum in row-major order and the last NaN), indices within the plane.

#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

extern "C" __global__ void max_pool2d(const float* x, float* y, long long* idx, long long total, int h, int w, int oh, int ow,
                                      int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    GRID_LOOP(t, total) {
        long long plane = t / ((long long) oh * ow);
        int rest = (int) (t % ((long long) oh * ow)), i = rest / ow, j = rest % ow;
        int h0 = i * sh - ph, w0 = j * sw - pw;
        int h1 = min(h0 + (kh - 1) * dh + 1, h), w1 = min(w0 + (kw - 1) * dw + 1, w);
        while (h0 < 0) h0 += dh;
        while (w0 < 0) w0 += dw;
        const float* base = x + plane * h * w;
        float m = -__int_as_float(0x7f800000);
        int at = h0 * w + w0;
        for (int r = h0; r < h1; r += dh) {
            for (int c = w0; c < w1; c += dw) {
                float v = base[r * w + c];
                if (v > m || v != v) { m = v; at = r * w + c; }
            }
        }
        y[t] = m;
        idx[t] = at;
    }
}

// dx (zeroed before) += g at each window's winner: overlapping windows add with atomics.
extern "C" __global__ void max_pool2d_backward(const float* g, const long long* idx, float* dx, long long total, int hw,
                                               int ohw) {
    GRID_LOOP(t, total) {
        long long plane = t / ohw;
        atomicAdd(dx + plane * hw + idx[t], g[t]);
    }
}
