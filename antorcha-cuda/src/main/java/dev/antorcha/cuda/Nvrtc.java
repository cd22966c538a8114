package dev.antorcha.cuda;

import static dev.antorcha.cuda.NativeLibrary.INT;
import static dev.antorcha.cuda.NativeLibrary.LONG;
import static dev.antorcha.cuda.NativeLibrary.POINTER;
import static dev.antorcha.cuda.NativeLibrary.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * NVRTC, CUDA's runtime compiler, through FFM: CUDA C source to a CUBIN for one architecture
 * ({@code sm_90}) or to PTX for a virtual one ({@code compute_90}). A compilation error is a
 * {@link CudaException} that carries the compiler's log.
 */
final class Nvrtc {
    private final MethodHandle version, createProgram, compileProgram, destroyProgram, logSize, log, ptxSize, ptx, cubinSize,
            cubin, errorString;

    Nvrtc(NativeLibrary lib) {
        version = lib.status("nvrtcVersion", POINTER, POINTER);
        createProgram = lib.status("nvrtcCreateProgram", POINTER, POINTER, POINTER, INT, POINTER, POINTER);
        compileProgram = lib.status("nvrtcCompileProgram", POINTER, INT, POINTER);
        destroyProgram = lib.status("nvrtcDestroyProgram", POINTER);
        logSize = lib.status("nvrtcGetProgramLogSize", POINTER, POINTER);
        log = lib.status("nvrtcGetProgramLog", POINTER, POINTER);
        ptxSize = lib.status("nvrtcGetPTXSize", POINTER, POINTER);
        ptx = lib.status("nvrtcGetPTX", POINTER, POINTER);
        cubinSize = lib.status("nvrtcGetCUBINSize", POINTER, POINTER);
        cubin = lib.status("nvrtcGetCUBIN", POINTER, POINTER);
        errorString = lib.function("nvrtcGetErrorString", FunctionDescriptor.of(POINTER, INT));
    }

    /** {@code {major, minor}}. */
    int[] version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(INT), minor = a.allocate(INT);
            check((int) version.invokeExact(major, minor), "nvrtcVersion", null);
            return new int[] {major.get(INT, 0), minor.get(INT, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Compiles {@code source} (named {@code name} in messages) with {@code options}; {@code cubin}
     * true gives the machine code of the real architecture named in the options ({@code -arch=sm_XX}),
     * false the PTX of a virtual one ({@code -arch=compute_XX}).
     */
    byte[] compile(String source, String name, List<String> options, boolean wantCubin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(POINTER);
            check((int) createProgram.invokeExact(prog, a.allocateFrom(source), a.allocateFrom(name), 0, MemorySegment.NULL,
                    MemorySegment.NULL), "nvrtcCreateProgram", null);
            MemorySegment p = prog.get(POINTER, 0);
            try {
                MemorySegment opts = a.allocate(POINTER, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(POINTER, i, a.allocateFrom(options.get(i)));
                int status = (int) compileProgram.invokeExact(p, options.size(), opts);
                if (status != 0) check(status, "nvrtcCompileProgram(" + name + ")", programLog(a, p));
                MemorySegment size = a.allocate(LONG);
                check(wantCubin ? (int) cubinSize.invokeExact(p, size) : (int) ptxSize.invokeExact(p, size),
                        wantCubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize", null);
                MemorySegment out = a.allocate(size.get(LONG, 0));
                check(wantCubin ? (int) cubin.invokeExact(p, out) : (int) ptx.invokeExact(p, out),
                        wantCubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", null);
                return out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            } finally {
                int ignored = (int) destroyProgram.invokeExact(prog);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private String programLog(Arena a, MemorySegment p) throws Throwable {
        MemorySegment size = a.allocate(LONG);
        if ((int) logSize.invokeExact(p, size) != 0) return "";
        MemorySegment text = a.allocate(Math.max(1, size.get(LONG, 0)));
        if ((int) log.invokeExact(p, text) != 0) return "";
        return text.getString(0).strip();
    }

    private void check(int status, String function, String programLog) {
        if (status == 0) return;
        String text;
        try {
            text = NativeLibrary.string((MemorySegment) errorString.invokeExact(status));
        } catch (Throwable t) {
            text = "NVRTC error";
        }
        String message = function + " failed: " + text + " (" + status + ")";
        if (programLog != null && !programLog.isEmpty()) message += "\n" + programLog;
        throw new CudaException(message, status);
    }
}
