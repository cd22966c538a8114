// Row gathers and scatters of dense float tensors (an embedding's lookup and its gradient), nll's
// one-hot log-softmax gradient, and the sum of squares of a gradient in double (gradient clipping).
// Indices were checked against their range on the host.

#define THREADS 256
#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

// out[r][j] = x[idx[r]][j] for rows of `row` floats.
extern "C" __global__ void index_select_rows(const float* x, const long long* idx, float* out, long long rows, long long row) {
    GRID_LOOP(t, rows * row) {
        long long r = t / row, j = t % row;
        out[t] = x[idx[r] * row + j];
    }
}

// out[idx[r]][j] += src[r][j] (rows that share an index add in any order).
extern "C" __global__ void index_add_rows(float* out, const long long* idx, const float* src, long long rows, long long row) {
    GRID_LOOP(t, rows * row) {
        long long r = t / row, j = t % row;
        atomicAdd(out + idx[r] * row + j, src[t]);
    }
}

// dx = g - exp(y) * sum(g) for g zero but for g[r][idx[r]] = pick[r]; one block a row.
extern "C" __global__ void log_softmax_backward_one_hot(const float* y, const long long* idx, const float* pick, float* dx,
                                                        int n) {
    long long base = (long long) blockIdx.x * n;
    long long c = idx[blockIdx.x];
    float p = pick[blockIdx.x];
    for (int j = threadIdx.x; j < n; j += THREADS) {
        float e = expf(y[base + j]) * p;
        dx[base + j] = (j == c ? p : 0.f) - e;
    }
}

// The sum of the block's THREADS values of s, in thread 0.
__device__ double block_sum_double(double s) {
    __shared__ double shared[THREADS];
    shared[threadIdx.x] = s;
    __syncthreads();
    for (int k = THREADS / 2; k > 0; k >>= 1) {
        if (threadIdx.x < k) shared[threadIdx.x] += shared[threadIdx.x + k];
        __syncthreads();
    }
    return shared[0];
}

// partial[b] = the sum over the elements block b visits of x², in double.
extern "C" __global__ void sum_squares(const float* x, long long n, double* partial) {
    double s = 0;
    GRID_LOOP(i, n) {
        double v = x[i];
        s += v * v;
    }
    s = block_sum_double(s);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// out[r][j] = x[r][idx[r][j]] along the last dim of contiguous rows of n (nll_loss's pick).
extern "C" __global__ void gather_rows(const float* x, const long long* idx, float* out, long long rows, long long k, long long n) {
    GRID_LOOP(t, rows * k) {
        out[t] = x[(t / k) * n + idx[t]];
    }
}

// out[o] = the sum over inner of x[o * inner + j], in double; one block per output.
extern "C" __global__ void sum_inner_double(const double* x, double* out, long long inner) {
    const double* p = x + (long long) blockIdx.x * inner;
    double s = 0;
    for (long long j = threadIdx.x; j < inner; j += THREADS) s += p[j];
    s = block_sum_double(s);
    if (threadIdx.x == 0) out[blockIdx.x] = s;
}
