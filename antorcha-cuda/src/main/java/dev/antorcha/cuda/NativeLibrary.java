package dev.antorcha.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** One of NVIDIA's libraries, opened for the process's lifetime, and its functions as method handles. */
final class NativeLibrary {
    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    static final java.lang.foreign.AddressLayout POINTER = ValueLayout.ADDRESS;

    private final CudaLibraries.Location location;
    private final SymbolLookup lookup;

    private NativeLibrary(CudaLibraries.Location location, SymbolLookup lookup) {
        this.location = location;
        this.lookup = lookup;
    }

    /**
     * Opens the library at {@code location}.
     *
     * @throws CudaUnavailableException when the loader refuses it (a missing dependency, another architecture)
     */
    static NativeLibrary open(CudaLibraries.Location location) {
        try {
            return new NativeLibrary(location, location.open());
        } catch (IllegalArgumentException e) {
            throw new CudaUnavailableException(location.library().label() + " at " + location.target() + " (from "
                    + location.how() + ") could not be loaded: " + e.getMessage(), e);
        } catch (IllegalCallerException e) {
            throw new CudaUnavailableException("native access is not enabled for Antorcha's CUDA module: run the JVM with "
                    + "--enable-native-access=dev.antorcha.cuda (ALL-UNNAMED on the class path)", e);
        }
    }

    CudaLibraries.Location location() {
        return location;
    }

    /** The function {@code name} with C signature {@code descriptor}. */
    MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(name).orElseThrow(() -> new CudaUnavailableException(
                location.library().label() + " at " + location.target() + " has no function " + name
                        + " (a version older than Antorcha needs)"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** {@code int name(args...)}: the status-returning signature every CUDA library uses. */
    MethodHandle status(String name, java.lang.foreign.MemoryLayout... args) {
        return function(name, FunctionDescriptor.of(INT, args));
    }

    /** A C string's bytes, or {@code "?"} for a null pointer. */
    static String string(MemorySegment cString) {
        if (cString == null || cString.equals(MemorySegment.NULL)) return "?";
        return cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** A throwable from a method handle call as an unchecked exception. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
