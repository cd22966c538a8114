// Element-wise kernels over strided tensors. The host defines T (the element type: float or
// double), and UNARY(v, p0, p1) or BINARY(a, b) for the op, before this source (see CudaDevice).
// Every kernel walks the output's elements in row-major order with a grid-stride loop and finds
// each operand's element through its own strides (a broadcast operand has stride 0).

#define MAX_DIMS 8

// Mirrors CudaKernels.geometry on the host: every field 8 bytes, so the C layout is the Java
// long[] the host passes by value.
struct Geometry {
    long long n;
    long long rank;
    long long size[MAX_DIMS];
    long long stride[3][MAX_DIMS];
    long long offset[3];
};

__device__ __forceinline__ long long locate(const Geometry& g, int which, long long i) {
    long long off = g.offset[which];
    for (int d = (int) g.rank - 1; d >= 0; --d) {
        long long s = g.size[d];
        long long q = i % s;
        i /= s;
        off += q * g.stride[which][d];
    }
    return off;
}

#define GRID_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

#ifdef UNARY
extern "C" __global__ void unary_kernel(Geometry g, const T* x, T* y, double p0d, double p1d) {
    const T p0 = (T) p0d, p1 = (T) p1d;
    GRID_LOOP(i, g.n) {
        T v = x[locate(g, 0, i)];
        y[locate(g, 1, i)] = UNARY(v, p0, p1);
    }
}
#endif

#ifdef BINARY
extern "C" __global__ void binary_kernel(Geometry g, const T* a, const T* b, OUT_T* out) {
    GRID_LOOP(i, g.n) {
        T x = a[locate(g, 0, i)], y = b[locate(g, 1, i)];
        out[locate(g, 2, i)] = (OUT_T) (BINARY(x, y));
    }
}
#endif

#ifdef CONVERT
// dst = (TO) src, element by element (copies between layouts and dtypes).
extern "C" __global__ void convert_kernel(Geometry g, const FROM* src, TO* dst) {
    GRID_LOOP(i, g.n) {
        dst[locate(g, 1, i)] = (TO) src[locate(g, 0, i)];
    }
}
#endif

#ifdef FILL
extern "C" __global__ void fill_kernel(long long n, T* dst, double value) {
    const T v = (T) value;
    GRID_LOOP(i, n) dst[i] = v;
}
#endif

#ifdef CONVERT
// dst = (src != 0): any type to bool.
extern "C" __global__ void convert_bool_kernel(Geometry g, const FROM* src, TO* dst) {
    GRID_LOOP(i, g.n) {
        dst[locate(g, 1, i)] = (TO) (src[locate(g, 0, i)] != (FROM) 0);
    }
}
#endif
