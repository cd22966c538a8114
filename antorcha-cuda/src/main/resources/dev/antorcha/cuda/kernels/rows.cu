// Row-wise kernels on contiguous [rows, n] float tensors, one block a row: log-softmax and its
// backward, cross-entropy's per-row loss, arg max. Blocks are 256 threads; each thread walks the
// row with stride 256, then the block combines the threads' partials in shared memory.

#define THREADS 256

__device__ float block_max(float v, float* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] = fmaxf(shared[threadIdx.x], shared[threadIdx.x + s]);
        __syncthreads();
    }
    float r = shared[0];
    __syncthreads();
    return r;
}

__device__ float block_sum(float v, float* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] += shared[threadIdx.x + s];
        __syncthreads();
    }
    float r = shared[0];
    __syncthreads();
    return r;
}

// out[r][j] = x[r][j] - max_r - log(sum_j exp(x[r][j] - max_r)); lse[r] = max_r + log(sum) when lse != 0.
extern "C" __global__ void log_softmax(const float* x, float* out, float* lse, int n) {
    __shared__ float shared[THREADS];
    const float* row = x + (long long) blockIdx.x * n;
    float m = -__int_as_float(0x7f800000);
    for (int j = threadIdx.x; j < n; j += THREADS) m = fmaxf(m, row[j]);
    m = block_max(m, shared);
    float s = 0.f;
    for (int j = threadIdx.x; j < n; j += THREADS) s += expf(row[j] - m);
    s = block_sum(s, shared);
    float logsum = logf(s);
    if (out != 0) {
        float* o = out + (long long) blockIdx.x * n;
        for (int j = threadIdx.x; j < n; j += THREADS) o[j] = row[j] - m - logsum;
    }
    if (lse != 0 && threadIdx.x == 0) lse[blockIdx.x] = m + logsum;
}

// dx = g - exp(y) * sum_j g[j], y the log-softmax output.
extern "C" __global__ void log_softmax_backward(const float* y, const float* g, float* dx, int n) {
    __shared__ float shared[THREADS];
    long long base = (long long) blockIdx.x * n;
    float s = 0.f;
    for (int j = threadIdx.x; j < n; j += THREADS) s += g[base + j];
    s = block_sum(s, shared);
    for (int j = threadIdx.x; j < n; j += THREADS) dx[base + j] = g[base + j] - expf(y[base + j]) * s;
}

// loss[r] = lse[r] - x[r][target[r]] (0 where target == ignore); counted[r] = 1 or 0.
extern "C" __global__ void nll_rows(const float* x, const float* lse, const long long* target, float* loss, float* counted,
                                    int rows, int n, long long ignore) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    long long t = target[r];
    if (t == ignore) {
        loss[r] = 0.f;
        counted[r] = 0.f;
        return;
    }
    if (t < 0 || t >= n) t = 0;   // the host checked the targets' range before
    loss[r] = lse[r] - x[(long long) r * n + t];
    counted[r] = 1.f;
}

// dx[r][j] = scale_r * exp(x[r][j] - lse[r]), less scale_r at the target; scale_r = g[r], or g / divisor (0 where ignored).
extern "C" __global__ void cross_entropy_backward(const float* x, const float* lse, const long long* target, const float* g,
                                                  float* dx, int n, long long ignore, int per_row, float divisor) {
    long long base = (long long) blockIdx.x * n;
    long long t = target[blockIdx.x];
    float scale = (t == ignore) ? 0.f : (per_row ? g[blockIdx.x] : g[0] / divisor);
    float l = lse[blockIdx.x];
    for (int j = threadIdx.x; j < n; j += THREADS) {
        float d = scale * expf(x[base + j] - l);
        dx[base + j] = j == t ? d - scale : d;   // as the CPU's loop: the product, then the target's subtraction
    }
}

// out[r] = the index of the row's largest element (the first one among ties; NaN wins, as torch's argmax).
extern "C" __global__ void argmax_rows(const float* x, long long* out, int n) {
    __shared__ float best[THREADS];
    __shared__ int at[THREADS];
    const float* row = x + (long long) blockIdx.x * n;
    float b = -__int_as_float(0x7f800000);
    int i = -1;
    for (int j = threadIdx.x; j < n; j += THREADS) {
        float v = row[j];
        if (i < 0 || v > b || (v != v && b == b)) { b = v; i = j; }
    }
    best[threadIdx.x] = b;
    at[threadIdx.x] = i;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            float v = best[threadIdx.x + s];
            int k = at[threadIdx.x + s];
            float u = best[threadIdx.x];
            int h = at[threadIdx.x];
            bool take = k >= 0 && (h < 0 || v > u || (v != v && u == u) || ((v == u || (v != v && u != u)) && k < h));
            if (take) { best[threadIdx.x] = v; at[threadIdx.x] = k; }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = at[0] < 0 ? 0 : at[0];
}

// out[o] = sum over inner (the reduced, contiguous innermost extent) of x[o * inner + i]; one block per output.
extern "C" __global__ void sum_inner(const float* x, float* out, long long inner) {
    __shared__ float shared[THREADS];
    const float* p = x + (long long) blockIdx.x * inner;
    float s = 0.f;
    for (long long j = threadIdx.x; j < inner; j += THREADS) s += p[j];
    s = block_sum(s, shared);
    if (threadIdx.x == 0) out[blockIdx.x] = s;
}

// x[0] = x[0] / d: a mean from its sum, on the device.
extern "C" __global__ void divide_first(float* x, float d) {
    if (threadIdx.x == 0 && blockIdx.x == 0) x[0] = x[0] / d;
}

// out[r][j] = x[r][j] + bias[j]: a linear layer's bias after its product (out may be x).
extern "C" __global__ void add_rows(const float* x, const float* bias, float* out, long long rows, long long n) {
    long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x;
    if (t >= rows * n) return;
    out[t] = x[t] + bias[t % n];
}
