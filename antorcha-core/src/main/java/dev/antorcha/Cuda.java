package dev.antorcha;

import dev.antorcha.backend.Backends;
import dev.antorcha.tensor.Device;

/**
 * PyTorch's {@code torch.cuda}: whether a GPU can be used, and its memory. The CUDA backend is a
 * module of its own ({@code antorcha-cuda}); without it, or without NVIDIA's driver and libraries,
 * {@link #isAvailable()} is false and {@link #unavailableReason()} says why.
 *
 * <pre>
 * Device device = Cuda.isAvailable() ? Device.cuda() : Device.CPU;
 * model.to(device);
 * </pre>
 */
public final class Cuda {
    private Cuda() {
    }

    /** {@code torch.cuda.is_available()}. */
    public static boolean isAvailable() {
        return deviceCount() > 0;
    }

    /** {@code torch.cuda.device_count()}. */
    public static int deviceCount() {
        return Backends.deviceCount(Device.Type.CUDA);
    }

    /** Why no GPU can be used (a missing library and where it was looked for, the driver's error), or null when one can. */
    public static String unavailableReason() {
        return isAvailable() ? null : Backends.unavailableReason(Device.cuda());
    }

    /** {@code torch.cuda.synchronize()}: waits for every kernel queued on {@code cuda:0}. */
    public static void synchronize() {
        Backends.forDevice(Device.cuda()).synchronize();
    }

    /** {@code torch.cuda.memory_allocated()}: bytes that tensors on {@code cuda:0} hold. */
    public static long memoryAllocated() {
        return Backends.forDevice(Device.cuda()).memoryAllocated();
    }

    /** {@code torch.cuda.max_memory_allocated()}. */
    public static long maxMemoryAllocated() {
        return Backends.forDevice(Device.cuda()).maxMemoryAllocated();
    }

    /** {@code torch.cuda.empty_cache()}: memory no tensor holds goes back to the driver. */
    public static void emptyCache() {
        Backends.forDevice(Device.cuda()).emptyCache();
    }
}
