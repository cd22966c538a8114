package dev.antorcha.io;

import dev.antorcha.io.SafeTensorsHeader.Entry;
import dev.antorcha.ops.Args;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Device;
import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files,
 * the format of {@code safetensors.torch.save_file} / {@code load_file}: an 8-byte little-endian
 * header length {@code N}, {@code N} bytes of UTF-8 JSON naming each tensor's dtype, shape and
 * byte range, then the raw little-endian, row-major data.
 *
 * <pre>{@code
 * SafeTensors.save(Map.of("fc.weight", w, "fc.bias", b), Path.of("model.safetensors"));
 * Map<String, Tensor> sd = SafeTensors.load(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p><b>Writing</b> produces the same bytes as the official library: each tensor in its own dtype
 * ({@code F64}, {@code F32}, {@code F16}, {@code BF16}, {@code I64}, {@code I32}, {@code I16},
 * {@code I8}, {@code U8}, {@code BOOL} of one byte); data laid out by dtype (the library's
 * descending dtype order: I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL) and by name within a
 * dtype; the header lists the tensors in that order, {@code __metadata__} first, compact JSON,
 * padded with spaces to a multiple of 8 bytes. Non-contiguous tensors are written contiguously;
 * each map entry is written on its own, so tensors sharing storage are stored twice. The file is
 * written under a temporary name in the same directory and then moved into place, so readers
 * never see half a file and a failed save leaves any previous file untouched.
 *
 * <p><b>Reading</b> keeps every dtype Antorcha has, bits unchanged: {@code F64}, {@code F32},
 * {@code F16}, {@code BF16}, {@code I64}, {@code I32}, {@code I16}, {@code I8}, {@code U8} and
 * {@code BOOL} (any non-zero byte is true), so saving what was read writes the same file.
 * {@code U32} and {@code U16}, which have no Antorcha dtype, are widened to int64 (exactly);
 * {@code U64} and the FP8 types are rejected.
 *
 * <p>Every problem with a file's contents is a {@link SafeTensorsFormatException} naming the file
 * and the problem; the whole header is validated against the file size before any tensor is
 * allocated, so a hostile file cannot make the reader allocate more than the file holds.
 */
public final class SafeTensors {
    /** Bytes moved between the file and the arrays per read or write call. */
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {
    }

    // ---- reading -----------------------------------------------------------------------

    /**
     * The tensors of {@code file}, in the order the header lists them.
     *
     * @throws SafeTensorsFormatException if the file breaks the format (see the class comment)
     * @throws IOException if it cannot be read
     */
    public static Map<String, Tensor> load(Path file) throws IOException {
        Args.nonNull(file, "load", "file", "a Path");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader h = SafeTensorsHeader.read(ch, file);
            var out = new LinkedHashMap<String, Tensor>();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(8, maxBytes(h))))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : h.entries()) out.put(e.name(), readTensor(ch, h.dataStart(), e, buf, file));
            return out;
        }
    }

    /**
     * The {@code __metadata__} string map of {@code file} (empty if it has none), in file order.
     * The whole header is validated, as by {@link #load}; no tensor data is read.
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        Args.nonNull(file, "metadata", "file", "a Path");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafeTensorsHeader.read(ch, file).metadata();
        }
    }

    private static long maxBytes(SafeTensorsHeader h) {
        long max = 0;
        for (Entry e : h.entries()) max = Math.max(max, e.end() - e.begin());
        return max;
    }

    private static Tensor readTensor(FileChannel ch, long dataStart, Entry e, ByteBuffer buf, Path file)
            throws IOException {
        int numel = e.numel();
        DType type = e.dtype().readsAs;
        Tensor out = Factory.empty(type, e.shape());    // a clear message when it does not fit
        int size = e.dtype().size;
        int perChunk = buf.capacity() / size;
        // A dtype Antorcha has goes from the buffer into the backend's memory as it is; U16 and U32
        // are widened to int64 a chunk at a time through a host array.
        boolean raw = e.dtype().name().equals(type.safetensorsCode());
        long[] l = raw ? null : new long[Math.min(perChunk, numel)];
        long pos = dataStart + e.begin();
        for (int done = 0; done < numel; ) {
            int n = Math.min(perChunk, numel - done);
            buf.clear().limit(n * size);
            SafeTensorsHeader.readFully(ch, buf, pos, file);
            buf.flip();
            if (raw) {
                out.backend().copyFromBytes(buf, out, done, n);
            } else {
                decode(e.dtype(), buf, n, l);
                out.backend().copyFromHost(l, 0, out, done, n);
            }
            pos += (long) n * size;
            done += n;
        }
        return out;
    }

    /** Widens {@code n} little-endian unsigned elements of {@code b} (U16, U32) into {@code l}. */
    private static void decode(StDType dt, ByteBuffer b, int n, long[] l) {
        switch (dt) {
            case U32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) l[i] = s.get(i) & 0xffff_ffffL;
            }
            case U16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) l[i] = s.get(i) & 0xffff;
            }
            default -> throw new IllegalStateException("dtype " + dt + " passed validation"); // unreachable
        }
    }

    // ---- writing -----------------------------------------------------------------------

    /** Writes {@code tensors} to {@code file} with no {@code __metadata__}; see the class comment. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, null, file);
    }

    /**
     * Writes {@code tensors} and the string map {@code metadata} to {@code file}, replacing it
     * atomically. A {@code null} metadata map writes no {@code __metadata__} entry; an empty one
     * writes {@code "__metadata__":{}}, as the official library does. Metadata keys are written
     * sorted (the official library writes them in hash order, so only files with at most one
     * key can be byte-identical across implementations).
     *
     * @throws IllegalArgumentException for a null or {@code "__metadata__"} name, a null tensor,
     *     or a name that is not valid Unicode
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        Args.nonNull(tensors, "save", "tensors", "a Map of names to Tensors");
        Args.nonNull(file, "save", "file", "a Path");
        // Everything is validated and the header built before a file is created.
        new SafeTensorsWriter(tensors, metadata).writeAtomically(file);
    }

    /** The CPU copy of {@code t} (tensors on other devices are brought to the heap first). */
    static Tensor onCpu(Tensor t) {
        return t.device().equals(Device.CPU) ? t : t.to(Device.CPU);
    }
}
