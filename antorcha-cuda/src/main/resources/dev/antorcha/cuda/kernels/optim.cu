// Optimizer steps on dense float tensors, one thread per element: the expressions of the CPU
// backend's reference loops (ScalarKernels.adamRange, FusedKernels.sgd), in the same order, with
// the coefficients of AdamStep and SgdStep rounded once to float as there. Compiled with
// --fmad=false: a multiply-add is fused only where the CPU loop calls fma, so the bits agree.

#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

extern "C" __global__ void adam(long long n, float* p, const float* g, float* m, float* v, float* vmax,
                                float decay, float wd, float b1, float omb1, float b2, float omb2, float bc2, float eps,
                                float step, int decoupled, int l2) {
    GRID_LOOP(i, n) {
        float pi = decoupled ? p[i] * decay : p[i];
        float gi = l2 ? fmaf(pi, wd, g[i]) : g[i];
        float mi = fmaf(gi, omb1, m[i] * b1);
        float vi = v[i] * b2 + omb2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        if (vmax != 0) { vi = fmaxf(vmax[i], vi); vmax[i] = vi; }
        float denom = sqrtf(vi) / bc2 + eps;
        p[i] = pi + step * mi / denom;
    }
}

extern "C" __global__ void sgd(long long n, float* p, const float* g, float* buf, float neg_lr, float mom, float keep,
                               float wd, int decay, int nesterov, int first) {
    GRID_LOOP(i, n) {
        float d = decay ? fmaf(p[i], wd, g[i]) : g[i];
        if (buf != 0) {
            float b = first ? d : fmaf(d, keep, buf[i] * mom);
            buf[i] = b;
            d = nesterov ? fmaf(b, mom, d) : b;
        }
        p[i] = fmaf(d, neg_lr, p[i]);
    }
}

// Adadelta, as ScalarKernels.adadelta: sqrt of float sums, then the step by fma.
extern "C" __global__ void adadelta(long long n, float* p, const float* g, float* sa, float* ad, float rho, float omr,
                                    float eps, float neg_lr, float wd, int l2) {
    GRID_LOOP(i, n) {
        float gi = l2 ? fmaf(p[i], wd, g[i]) : g[i];
        float sai = sa[i] * rho + omr * gi * gi;
        sa[i] = sai;
        float std = sqrtf(sai + eps);
        float delta = sqrtf(ad[i] + eps) / std * gi;
        ad[i] = ad[i] * rho + omr * delta * delta;
        p[i] = fmaf(delta, neg_lr, p[i]);
    }
}
