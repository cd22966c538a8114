package dev.antorcha.cuda;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's CUDA state, found once: the driver located, opened and initialised, and the
 * devices it reports; or, when that fails, the one-line reason. NVRTC and cuBLAS are located
 * when a device is first used (the driver alone says whether a GPU is usable).
 */
public final class CudaRuntime {
    private final CudaLibraries libraries;
    private final Driver driver;
    private final int deviceCount;
    private final String unavailable;
    private final ConcurrentHashMap<Integer, CudaDevice> devices = new ConcurrentHashMap<>();

    private CudaRuntime(CudaLibraries libraries, Driver driver, int deviceCount, String unavailable) {
        this.libraries = libraries;
        this.driver = driver;
        this.deviceCount = deviceCount;
        this.unavailable = unavailable;
    }

    private static final class Holder {
        static final CudaRuntime PROCESS = probe(CudaLibraries.ofProcess());
    }

    /** The runtime of this process (its environment and machine), probed on first use. */
    public static CudaRuntime get() {
        return Holder.PROCESS;
    }

    /** Locates and initialises the driver with {@code libraries}; never throws. */
    static CudaRuntime probe(CudaLibraries libraries) {
        Driver driver;
        try {
            driver = new Driver(NativeLibrary.open(libraries.locate(CudaLibraries.Library.DRIVER)));
        } catch (CudaUnavailableException e) {
            return new CudaRuntime(libraries, null, 0, e.getMessage());
        }
        try {
            driver.init();
            int count = driver.deviceCount();
            String reason = count == 0 ? "the CUDA driver (" + driver.library.location().target() + ") reports no device" : null;
            return new CudaRuntime(libraries, driver, count, reason);
        } catch (CudaException e) {
            String where = driver.library.location().target();
            String text = e.code() == Driver.ERROR_NO_DEVICE ? "no CUDA device: " : "the CUDA driver cannot start: ";
            return new CudaRuntime(libraries, null, 0, text + e.getMessage() + " (driver " + where + ")");
        }
    }

    /** Whether at least one device can be used. */
    public boolean isAvailable() {
        return deviceCount > 0;
    }

    /** The usable devices (0 when CUDA is unavailable). */
    public int deviceCount() {
        return deviceCount;
    }

    /** Why no device can be used, or null when one can. */
    public String unavailableReason() {
        return unavailable;
    }

    /** The driver's CUDA version, e.g. {@code "13.0"}. */
    public String driverVersion() {
        if (unavailable != null) throw new CudaUnavailableException("CUDA is unavailable: " + unavailable);
        int v = driver.version();
        return v / 1000 + "." + v % 1000 / 10;
    }

    /**
     * Device {@code index}, its context, stream and allocator made on first use.
     *
     * @throws CudaUnavailableException when CUDA cannot be used or there is no such device
     */
    CudaDevice device(int index) {
        if (unavailable != null) throw new CudaUnavailableException("cannot use cuda:" + index + ": " + unavailable);
        if (index < 0 || index >= deviceCount) {
            throw new CudaUnavailableException("no CUDA device cuda:" + index + ": the driver reports " + deviceCount
                    + (deviceCount == 1 ? " device (cuda:0)" : " devices (cuda:0 to cuda:" + (deviceCount - 1) + ")"));
        }
        return devices.computeIfAbsent(index, i -> new CudaDevice(driver, libraries, i));
    }
}
