// One LSTM step's gate arithmetic and its gradient over float rows (unit stride along the hidden
// units, rows `ld` apart), one thread per (row, unit): the CPU's RecurrentKernels.lstmForward and
// lstmBackwardUnit. Gates in blocks i, f, g, o; work holds σ(i), σ(f), tanh(g), σ(o), tanh(c').

#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

__device__ __forceinline__ float sigm(float x) {
    return 1.f / (1.f + expf(-x));
}

extern "C" __global__ void lstm_cell(const float* gi, long long gild, const float* gh, long long ghld, const float* c,
                                     long long cld, float* h, long long hld, float* cn, long long cnld, float* w, long long wld,
                                     long long n, int hs) {
    GRID_LOOP(t, n * hs) {
        long long r = t / hs;
        int k = (int) (t % hs);
        const float* a = gi + r * gild;
        const float* b = gh + r * ghld;
        float* wr = w + r * wld;
        float i = sigm(b[k] + a[k]);
        float f = sigm(b[hs + k] + a[hs + k]);
        float g = tanhf(b[2 * hs + k] + a[2 * hs + k]);
        float o = sigm(b[3 * hs + k] + a[3 * hs + k]);
        float cp = c != 0 ? c[r * cld + k] : 0.f;
        float cv = f * cp + i * g;
        float tc = tanhf(cv);
        cn[r * cnld + k] = cv;
        h[r * hld + k] = o * tc;
        wr[k] = i;
        wr[hs + k] = f;
        wr[2 * hs + k] = g;
        wr[3 * hs + k] = o;
        wr[4 * hs + k] = tc;
    }
}

extern "C" __global__ void lstm_cell_backward(const float* dh, long long dhld, const float* dc, long long dcld, const float* c,
                                              long long cld, const float* w, long long wld, float* dg, long long dgld,
                                              float* dcp, long long dcpld, long long n, int hs) {
    GRID_LOOP(t, n * hs) {
        long long r = t / hs;
        int k = (int) (t % hs);
        const float* wr = w + r * wld;
        float i = wr[k], f = wr[hs + k], g = wr[2 * hs + k], o = wr[3 * hs + k], tc = wr[4 * hs + k];
        float dhv = dh[r * dhld + k];
        float dct = (dc != 0 ? dc[r * dcld + k] : 0.f) + dhv * o * (1 - tc * tc);
        float cp = c != 0 ? c[r * cld + k] : 0.f;
        float* d = dg + r * dgld;
        d[k] = dct * g * i * (1 - i);
        d[hs + k] = dct * cp * f * (1 - f);
        d[2 * hs + k] = dct * i * (1 - g * g);
        d[3 * hs + k] = dhv * tc * o * (1 - o);
        dcp[r * dcpld + k] = dct * f;
    }
}
