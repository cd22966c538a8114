package dev.antorcha.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One GPU as the backend uses it: the device's primary context, made current on every thread
 * before it calls the driver (a context current on one thread and used from another is a classic
 * crash); one stream on which every copy, kernel and product is ordered; the caching allocator;
 * a page-locked staging buffer for copies between the Java heap and the device; the kernels,
 * compiled by NVRTC at first use for this device's architecture and kept in memory and on disk.
 */
final class CudaDevice implements Gpu {
    /** Bytes of the staging buffer: larger copies go through it in pieces. */
    private static final long STAGING = 4L << 20;
    private static final ThreadLocal<MemorySegment> CURRENT = new ThreadLocal<>();

    final int index;
    final Driver driver;
    final String name;
    final int ccMajor;
    final int ccMinor;
    private final CudaLibraries libraries;
    private final MemorySegment context;
    final MemorySegment stream;
    private final CachingAllocator allocator;
    private MemorySegment staging;
    private volatile Nvrtc nvrtc;
    private volatile Cublas cublas;
    private final Map<String, Kernel> functions = new ConcurrentHashMap<>();

    CudaDevice(Driver driver, CudaLibraries libraries, int index) {
        this.driver = driver;
        this.libraries = libraries;
        this.index = index;
        int dev = driver.device(index);
        name = driver.deviceName(dev);
        ccMajor = driver.attribute(dev, Driver.ATTRIBUTE_CC_MAJOR);
        ccMinor = driver.attribute(dev, Driver.ATTRIBUTE_CC_MINOR);
        context = driver.primaryContext(dev);
        bind();
        stream = driver.createStream();
        // a collection after a 64th of the device's memory handed out (256 MiB to 2 GiB), or what was live, if more
        long budget = Math.clamp(driver.totalMemory(dev) / 64, 256L << 20, 2L << 30);
        allocator = new CachingAllocator(new CachingAllocator.Raw() {
            @Override
            public long allocate(long bytes) {
                bind();
                return driver.tryAllocate(bytes);
            }

            @Override
            public void free(long pointer) {
                bind();
                driver.free(pointer);
            }
        }, budget);
    }

    /** Makes this device's context current on the calling thread (once per thread and device switch). */
    @Override
    public void bind() {
        if (CURRENT.get() != context) {
            driver.setCurrent(context);
            CURRENT.set(context);
        }
    }

    /** Waits for everything queued on the stream; an asynchronous kernel error surfaces here. */
    @Override
    public void synchronize() {
        bind();
        driver.synchronize(stream);
    }

    /** Copies {@code bytes} from host memory {@code src} to the device. */
    @Override
    public synchronized void upload(MemorySegment src, long dst, long bytes) {
        bind();
        MemorySegment buf = staging();
        for (long done = 0; done < bytes; done += STAGING) {
            long n = Math.min(STAGING, bytes - done);
            MemorySegment.copy(src, done, buf, 0, n);
            driver.copyHostToDevice(dst + done, buf, n, stream);
            driver.synchronize(stream);   // the buffer is reused: this piece must have left it
        }
    }

    /** Copies {@code bytes} from the device into host memory {@code dst}, after all queued work. */
    @Override
    public synchronized void download(long src, MemorySegment dst, long bytes) {
        bind();
        MemorySegment buf = staging();
        for (long done = 0; done < bytes; done += STAGING) {
            long n = Math.min(STAGING, bytes - done);
            driver.copyDeviceToHost(buf, src + done, n, stream);
            driver.synchronize(stream);
            MemorySegment.copy(buf, 0, dst, done, n);
        }
        if (bytes == 0) driver.synchronize(stream);
    }

    private MemorySegment staging() {
        if (staging == null) staging = driver.allocateHost(STAGING);
        return staging;
    }

    /** cuBLAS on this device's stream, opened on first use. */
    @Override
    public Cublas blas() {
        Cublas c = cublas;
        if (c == null) {
            synchronized (this) {
                if (cublas == null) {
                    bind();
                    cublas = new Cublas(NativeLibrary.open(libraries.locate(CudaLibraries.Library.CUBLAS)), stream);
                }
                c = cublas;
            }
        }
        return c;
    }

    private Nvrtc nvrtc() {
        Nvrtc n = nvrtc;
        if (n == null) {
            synchronized (this) {
                if (nvrtc == null) nvrtc = new Nvrtc(NativeLibrary.open(libraries.locate(CudaLibraries.Library.NVRTC)));
                n = nvrtc;
            }
        }
        return n;
    }

    /**
     * Kernel {@code function} of the source {@code kernels/<file>.cu} compiled with {@code defines}
     * (lines {@code #define NAME VALUE} put before the source).
     */
    @Override
    public Kernel function(String file, List<String> defines, String function) {
        String key = file + "|" + String.join("|", defines) + "|" + function;
        Kernel f = functions.get(key);
        if (f != null) return f;
        synchronized (this) {
            f = functions.get(key);
            if (f != null) return f;
            bind();
            byte[] cubin = compiled(file, defines);
            MemorySegment image = Arena.global().allocate(cubin.length + 1L);
            MemorySegment.copy(MemorySegment.ofArray(cubin), 0, image, 0, cubin.length);
            MemorySegment module = driver.loadModule(image);
            f = new Kernel(file, List.copyOf(defines), function, driver.function(module, function));
            functions.put(key, f);
            return f;
        }
    }

    /** The CUBIN of a source for this device: from the disk cache, or compiled and stored there. */
    private byte[] compiled(String file, List<String> defines) {
        String source = KernelSources.withDefines(KernelSources.read(file), defines);
        String arch = "sm_" + ccMajor + ccMinor;
        List<String> options = compileOptions(arch);
        Nvrtc compiler = nvrtc();
        int[] v = compiler.version();
        String id = sha256(source + "\n" + options + "\nnvrtc " + v[0] + "." + v[1]);
        Path cache = KernelSources.cacheFolder().resolve(id + "-" + arch + ".cubin");
        try {
            if (Files.isRegularFile(cache)) return Files.readAllBytes(cache);
        } catch (IOException e) {
            // compile instead
        }
        byte[] cubin = compiler.compile(source, file + ".cu", options, true);
        try {
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), id, ".tmp");
            Files.write(tmp, cubin);
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            // a read-only home: the in-memory copy serves this process
        }
        return cubin;
    }

    /**
     * NVRTC's options for an architecture ({@code sm_90}, or {@code compute_90} for PTX): C++14,
     * functions on the device by default, and no contraction of a multiply and an add into one
     * fused operation unless the source asks ({@code fmaf}), so that kernels round as the CPU's loops.
     */
    static List<String> compileOptions(String arch) {
        return List.of("-arch=" + arch, "-default-device", "-std=c++17", "--fmad=false");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void launch(Kernel kernel, int blocks, int threads, int sharedBytes, KernelArgs args) {
        bind();
        driver.launch(kernel.handle(), blocks, 1, threads, sharedBytes, stream, args.pointers(), kernel.name());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String architecture() {
        return "sm_" + ccMajor + ccMinor;
    }

    @Override
    public CachingAllocator allocator() {
        return allocator;
    }

    @Override
    public void memset(long dst, byte value, long bytes) {
        bind();
        driver.memset(dst, value, bytes, stream);
    }

    /** The kernel sources kept in the jar. */
    static final class KernelSources {
        private KernelSources() {
        }

        static String read(String file) {
            try (InputStream in = CudaDevice.class.getResourceAsStream("kernels/" + file + ".cu")) {
                if (in == null) throw new IllegalStateException("kernel source kernels/" + file + ".cu is missing from the jar");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String withDefines(String source, List<String> defines) {
            StringBuilder sb = new StringBuilder();
            for (String d : defines) sb.append("#define ").append(d).append('\n');
            return sb.append(source).toString();
        }

        /** {@code $XDG_CACHE_HOME/antorcha/cuda}, else {@code ~/.cache/antorcha/cuda}. */
        static Path cacheFolder() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("antorcha").resolve("cuda");
        }
    }
}
