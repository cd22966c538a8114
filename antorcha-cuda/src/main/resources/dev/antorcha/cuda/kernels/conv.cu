// A 2-D convolution lowered to matrix products (cuBLAS): im2col lays out each image's patches as
// columns, col[n][c·kh·kw + u·kw + v][i·ow + j] = x[n][c][i·sh − ph + u·dh][j·sw − pw + v·dw] (0 in
// the padding); col2im sums a patch gradient back into the input gradient, each element gathering
// the patch entries that read it (no atomics: every element is written once, in one order).

#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

extern "C" __global__ void im2col(const float* x, float* col, long long total, int c, int h, int w, int oh, int ow, int kh,
                                  int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    const long long ohw = (long long) oh * ow, ckk = (long long) c * kh * kw;
    GRID_LOOP(t, total) {
        long long q = t % ohw, r = t / ohw;
        int ck = (int) (r % ckk);
        long long n = r / ckk;
        int v = ck % kw, u = (ck / kw) % kh, ch = ck / (kh * kw);
        int i = (int) (q / ow), j = (int) (q % ow);
        int y = i * sh - ph + u * dh, xx = j * sw - pw + v * dw;
        col[t] = (y >= 0 && y < h && xx >= 0 && xx < w) ? x[((n * c + ch) * h + y) * w + xx] : 0.f;
    }
}

extern "C" __global__ void col2im(const float* col, float* dx, long long total, int c, int h, int w, int oh, int ow, int kh,
                                  int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    const long long ohw = (long long) oh * ow, ckk = (long long) c * kh * kw;
    GRID_LOOP(t, total) {
        int xx = (int) (t % w);
        long long r = t / w;
        int y = (int) (r % h);
        r /= h;
        int ch = (int) (r % c);
        long long n = r / c;
        float s = 0.f;
        for (int u = 0; u < kh; u++) {
            int yi = y + ph - u * dh;
            if (yi < 0 || yi % sh != 0 || yi / sh >= oh) continue;
            for (int v = 0; v < kw; v++) {
                int xi = xx + pw - v * dw;
                if (xi < 0 || xi % sw != 0 || xi / sw >= ow) continue;
                s += col[(n * ckk + (ch * kh + u) * kw + v) * ohw + (long long) (yi / sh) * ow + xi / sw];
            }
        }
        dx[t] = s;
    }
}

// out[n][o][q] += b[o].
extern "C" __global__ void add_channel_bias(float* out, const float* b, long long total, int channels, long long plane) {
    GRID_LOOP(t, total) out[t] += b[(t / plane) % channels];
}
