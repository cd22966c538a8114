// Dropout's product over dense float tensors, as the CPU's FusedKernels.dropout: the mask holds
// uniform draws in [0, 1) (made by the host's generator, the CPU's numbers), each becomes the scale
// where u - p is not negative and +0 where it is, and out = x · mask.

#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

extern "C" __global__ void dropout(long long n, const float* x, float* mask, float* out, float p, float scale) {
    GRID_LOOP(i, n) {
        float m = signbit(mask[i] - p) ? 0.f : scale;
        mask[i] = m;
        out[i] = x[i] * m;
    }
}
