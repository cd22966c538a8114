package dev.antorcha.cuda;

import static dev.antorcha.cuda.NativeLibrary.INT;
import static dev.antorcha.cuda.NativeLibrary.LONG;
import static dev.antorcha.cuda.NativeLibrary.POINTER;
import static dev.antorcha.cuda.NativeLibrary.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA driver API ({@code libcuda.so.1}) through FFM: what the backend needs of devices,
 * contexts, one stream, memory, modules and kernel launches. Every call's status is
 * checked: a failure is a {@link CudaException} naming the function and the driver's own name and
 * description of the error. Handles ({@code CUcontext}, {@code CUstream}, ...) are addresses;
 * device pointers are {@code long}s.
 */
final class Driver {
    /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR} and {@code _MINOR}. */
    static final int ATTRIBUTE_CC_MAJOR = 75;
    static final int ATTRIBUTE_CC_MINOR = 76;
    /** {@code CU_STREAM_NON_BLOCKING}: no implicit ordering with the legacy default stream. */
    static final int STREAM_NON_BLOCKING = 1;
    /** {@code CUDA_ERROR_NO_DEVICE}. */
    static final int ERROR_NO_DEVICE = 100;

    final NativeLibrary library;
    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuCtxSetCurrent,
            cuStreamCreate, cuStreamSynchronize, cuMemAlloc, cuMemFree, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync,
            cuMemsetD8Async, cuModuleLoadData, cuModuleGetFunction, cuLaunchKernel, cuGetErrorName,
            cuGetErrorString, cuMemHostAlloc;

    Driver(NativeLibrary lib) {
        library = lib;
        cuGetErrorName = lib.status("cuGetErrorName", INT, POINTER);
        cuGetErrorString = lib.status("cuGetErrorString", INT, POINTER);
        cuInit = lib.status("cuInit", INT);
        cuDriverGetVersion = lib.status("cuDriverGetVersion", POINTER);
        cuDeviceGetCount = lib.status("cuDeviceGetCount", POINTER);
        cuDeviceGet = lib.status("cuDeviceGet", POINTER, INT);
        cuDeviceGetName = lib.status("cuDeviceGetName", POINTER, INT, INT);
        cuDeviceGetAttribute = lib.status("cuDeviceGetAttribute", POINTER, INT, INT);
        cuDeviceTotalMem = lib.status("cuDeviceTotalMem_v2", POINTER, INT);
        cuDevicePrimaryCtxRetain = lib.status("cuDevicePrimaryCtxRetain", POINTER, INT);
        cuCtxSetCurrent = lib.status("cuCtxSetCurrent", POINTER);
        cuStreamCreate = lib.status("cuStreamCreate", POINTER, INT);
        cuStreamSynchronize = lib.status("cuStreamSynchronize", POINTER);
        cuMemAlloc = lib.status("cuMemAlloc_v2", POINTER, LONG);
        cuMemFree = lib.status("cuMemFree_v2", LONG);
        cuMemcpyHtoDAsync = lib.status("cuMemcpyHtoDAsync_v2", LONG, POINTER, LONG, POINTER);
        cuMemcpyDtoHAsync = lib.status("cuMemcpyDtoHAsync_v2", POINTER, LONG, LONG, POINTER);
        cuMemsetD8Async = lib.status("cuMemsetD8Async", LONG, ValueLayout.JAVA_BYTE, LONG, POINTER);
        cuModuleLoadData = lib.status("cuModuleLoadData", POINTER, POINTER);
        cuModuleGetFunction = lib.status("cuModuleGetFunction", POINTER, POINTER, POINTER);
        cuLaunchKernel = lib.status("cuLaunchKernel", POINTER, INT, INT, INT, INT, INT, INT, INT, POINTER, POINTER, POINTER);
        cuMemHostAlloc = lib.status("cuMemHostAlloc", POINTER, LONG, INT);
    }

    /** Throws a {@link CudaException} for a status other than {@code CUDA_SUCCESS}. */
    void check(int status, String function) {
        if (status != 0) throw new CudaException(function + " failed: " + describe(status), status);
    }

    /** {@code "CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected"}. */
    String describe(int status) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(POINTER), text = a.allocate(POINTER);
            int r1 = (int) cuGetErrorName.invokeExact(status, name);
            int r2 = (int) cuGetErrorString.invokeExact(status, text);
            String n = r1 == 0 ? NativeLibrary.string(name.get(POINTER, 0)) : "CUresult";
            String s = r2 == 0 ? NativeLibrary.string(text.get(POINTER, 0)) : "unknown error";
            return n + " (" + status + "): " + s;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void init() {
        try {
            check((int) cuInit.invokeExact(0), "cuInit");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The driver's CUDA version as {@code 1000·major + 10·minor} (13000 for 13.0). */
    int version() {
        return intOut(cuDriverGetVersion, "cuDriverGetVersion");
    }

    int deviceCount() {
        return intOut(cuDeviceGetCount, "cuDeviceGetCount");
    }

    int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(INT);
            check((int) cuDeviceGet.invokeExact(out, ordinal), "cuDeviceGet");
            return out.get(INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(256);
            check((int) cuDeviceGetName.invokeExact(out, 256, device), "cuDeviceGetName");
            return out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int attribute(int device, int attribute) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(INT);
            check((int) cuDeviceGetAttribute.invokeExact(out, attribute, device), "cuDeviceGetAttribute");
            return out.get(INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long totalMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(LONG);
            check((int) cuDeviceTotalMem.invokeExact(out, device), "cuDeviceTotalMem");
            return out.get(LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The device's primary context (the one the runtime API and PyTorch share), retained. */
    MemorySegment primaryContext(int device) {
        return pointerOut(out -> (int) cuDevicePrimaryCtxRetain.invokeExact(out, device), "cuDevicePrimaryCtxRetain");
    }

    void setCurrent(MemorySegment context) {
        try {
            check((int) cuCtxSetCurrent.invokeExact(context), "cuCtxSetCurrent");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }


    MemorySegment createStream() {
        return pointerOut(out -> (int) cuStreamCreate.invokeExact(out, STREAM_NON_BLOCKING), "cuStreamCreate");
    }

    void synchronize(MemorySegment stream) {
        try {
            check((int) cuStreamSynchronize.invokeExact(stream), "cuStreamSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A device allocation of {@code bytes}, or {@code 0} when the device is out of memory. */
    long tryAllocate(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(LONG);
            int status = (int) cuMemAlloc.invokeExact(out, bytes);
            if (status == 2) return 0;   // CUDA_ERROR_OUT_OF_MEMORY
            check(status, "cuMemAlloc(" + bytes + " bytes)");
            return out.get(LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(long pointer) {
        try {
            check((int) cuMemFree.invokeExact(pointer), "cuMemFree");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void copyHostToDevice(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyHtoDAsync");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void copyDeviceToHost(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoHAsync");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void memset(long dst, byte value, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemsetD8Async.invokeExact(dst, value, bytes, stream), "cuMemsetD8Async");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Page-locked host memory of {@code bytes} (a staging buffer for copies), freed with {@link #freeHost}. */
    MemorySegment allocateHost(long bytes) {
        MemorySegment p = pointerOut(out -> (int) cuMemHostAlloc.invokeExact(out, bytes, 0), "cuMemHostAlloc");
        return p.reinterpret(bytes);
    }


    /** Loads a module from a CUBIN or PTX image (NUL-terminated for PTX). */
    MemorySegment loadModule(MemorySegment image) {
        return pointerOut(out -> (int) cuModuleLoadData.invokeExact(out, image), "cuModuleLoadData");
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cName = a.allocateFrom(name);
            return pointerOut(out -> (int) cuModuleGetFunction.invokeExact(out, module, cName), "cuModuleGetFunction(" + name + ")");
        }
    }

    /** Launches {@code function} on {@code stream}; {@code params} is an array of pointers to the arguments. */
    void launch(MemorySegment function, int gridX, int gridY, int blockX, int sharedBytes, MemorySegment stream,
                MemorySegment params, String name) {
        try {
            check((int) cuLaunchKernel.invokeExact(function, gridX, gridY, 1, blockX, 1, 1, sharedBytes, stream, params,
                    MemorySegment.NULL), "cuLaunchKernel(" + name + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }



    private int intOut(MethodHandle h, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(INT);
            check((int) h.invokeExact(out), name);
            return out.get(INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @FunctionalInterface
    private interface PointerCall {
        int call(MemorySegment out) throws Throwable;
    }

    private MemorySegment pointerOut(PointerCall call, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(POINTER);
            check(call.call(out), name);
            return out.get(POINTER, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
