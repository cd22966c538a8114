package dev.antorcha.vision.datasets;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file of unsigned bytes (the MNIST family's format), read strictly.
 *
 * <p>Layout: a 4-byte magic {@code 0x00 0x00 TYPE RANK}, then {@code RANK} big-endian 32-bit
 * dimensions, then {@code dim0 × dim1 × ...} elements. Only TYPE {@code 0x08} (unsigned byte)
 * is accepted. MNIST images are {@code 0x00000803} ({@code [N, rows, cols]}), labels
 * {@code 0x00000801} ({@code [N]}). Files may be gzip-compressed (recognised by their first
 * bytes, whatever the name).
 *
 * <p>Every check happens before the data array is allocated: the element count is compared with
 * the file's length (plain files) or the buffer grows only as decompressed data actually arrives
 * (gzip), so a corrupted header can never ask for gigabytes. Any problem is an
 * {@link IdxFormatException} naming the file, the offset and what was expected.
 *
 * <pre>{@code
 * IdxFile images = IdxFile.readImages(Path.of("MNIST/raw/train-images-idx3-ubyte"));
 * images.dims();    // [60000, 28, 28]
 * images.data();    // 47,040,000 bytes, image i at i * 784
 * }</pre>
 */
public final class IdxFile {
    /** Magic number of an image file: unsigned bytes, 3 dimensions. */
    public static final int MAGIC_IMAGES = 0x00000803;
    /** Magic number of a label file: unsigned bytes, 1 dimension. */
    public static final int MAGIC_LABELS = 0x00000801;
    /** Passed as {@code expectedMagic}: accept any unsigned-byte IDX file. */
    public static final int ANY = 0;
    /** Bytes per read or write call (see {@link #readData}). */
    private static final int IO_CHUNK = 1 << 16;
    /** Type code of unsigned bytes, the only element type read here. */
    public static final int TYPE_UBYTE = 0x08;
    /** More dimensions than this is taken for corruption. */
    public static final int MAX_RANK = 16;
    /** The largest Java array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** First allocation while decompressing; then doubled as data arrives. */
    private static final int FIRST_CHUNK = 1 << 20;
    /** Decompressed sizes up to this are allocated at once (the largest MNIST file is 47,040,016 bytes). */
    private static final int EXACT_LIMIT = 48 << 20;
    /** Trailing bytes are counted up to this much, then reported as "more than". */
    private static final long MAX_TRAILING_COUNT = 1 << 26;

    private final String name;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(String name, int[] dims, byte[] data) {
        this.name = name;
        this.dims = dims;
        this.data = data;
    }

    /** Reads an image file (magic {@code 0x00000803}). */
    public static IdxFile readImages(Path file) throws IOException {
        return read(file, MAGIC_IMAGES);
    }

    /** Reads a label file (magic {@code 0x00000801}). */
    public static IdxFile readLabels(Path file) throws IOException {
        return read(file, MAGIC_LABELS);
    }

    /** Reads any unsigned-byte IDX file. */
    public static IdxFile read(Path file) throws IOException {
        return read(file, ANY);
    }

    /**
     * Reads {@code file}, plain or gzip-compressed.
     *
     * @param expectedMagic {@link #MAGIC_IMAGES}, {@link #MAGIC_LABELS} or {@link #ANY}
     * @throws IdxFormatException when the content is not a valid IDX file of that kind
     * @throws IOException        when the file cannot be read
     */
    public static IdxFile read(Path file, int expectedMagic) throws IOException {
        String name = file.toString();
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return parse(name, raw, size, expectedMagic);
        }
    }

    /**
     * Parses IDX content held in memory (plain or gzip-compressed); {@code name} is used in
     * messages. Throws nothing but {@link IdxFormatException}.
     */
    public static IdxFile parse(String name, byte[] bytes, int expectedMagic) throws IdxFormatException {
        try {
            return parse(name, new ByteArrayInputStream(bytes), bytes.length, expectedMagic);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) {
            // In memory, every I/O failure is a decoding failure.
            throw new IdxFormatException(name, "truncated or corrupted gzip data: " + reason(e), e);
        }
    }

    private static IdxFile parse(String name, InputStream in, long size, int expectedMagic)
            throws IOException {
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            // gzip: the decompressed length is unknown, so the buffer grows with the data.
            try {
                return parseIdx(name, " (decompressed)", new GZIPInputStream(in, 1 << 16), -1, expectedMagic);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(name, "truncated or corrupted gzip data: " + reason(e), e);
            }
        }
        return parseIdx(name, "", in, size, expectedMagic);
    }

    /**
     * {@code size}: the exact byte count of {@code in}, or -1 when unknown; {@code where} follows
     * the name in messages (" (decompressed)" for gzip, where offsets count decompressed bytes).
     */
    private static IdxFile parseIdx(String name, String where, InputStream in, long size, int expectedMagic)
            throws IOException {
        int[] dims = readHeader(name, where, in, size, expectedMagic);
        long headerLen = 4 + 4L * dims.length, count = product(dims).longValueExact(), expected = headerLen + count;
        byte[] data = readData(name, where, in, (int) count, size >= 0, headerLen, dims);
        long extra = countRest(in);
        if (extra > 0) {
            String n = extra > MAX_TRAILING_COUNT ? "more than " + MAX_TRAILING_COUNT : String.valueOf(extra);
            throw new IdxFormatException(name, where, "has " + n + " trailing byte(s) after offset " + expected
                    + ": the header (" + dimsString(dims) + ") needs " + expected + " bytes");
        }
        return new IdxFile(name, dims, data);
    }

    /**
     * Checks a plain (not compressed) IDX file's header against its length without reading the
     * data: what tells a complete file from one cut short by a full disk or a killed process.
     *
     * @throws IdxFormatException when the header is invalid or the length is not the header's
     */
    static void checkHeader(Path file, int expectedMagic) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            readHeader(file.toString(), "", in, size, expectedMagic);
        }
    }

    /** Reads and checks the magic number and the dimensions; returns the dimensions. */
    private static int[] readHeader(String name, String where, InputStream in, long size, int expectedMagic)
            throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(name, where, "truncated: an IDX file starts with a 4-byte magic number, "
                    + "the file has only " + magic.length + " byte(s)");
        }
        int m = readInt(magic, 0);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(name, where, String.format("not an IDX file: magic number 0x%08X at offset 0, "
                    + "expected %s", m, describeMagic(expectedMagic)));
        }
        int type = magic[2] & 0xFF, rank = magic[3] & 0xFF;
        if (type != TYPE_UBYTE) {
            throw new IdxFormatException(name, where, String.format("element type 0x%02X (%s) at offset 2, only 0x08 "
                    + "(unsigned byte) is supported (magic number 0x%08X)", type, typeName(type), m));
        }
        if (expectedMagic != ANY && m != expectedMagic) {
            throw new IdxFormatException(name, where, String.format("wrong magic number 0x%08X (%d dimension(s)) "
                    + "at offset 0, expected %s", m, rank, describeMagic(expectedMagic)));
        }
        if (rank == 0 || rank > MAX_RANK) {
            throw new IdxFormatException(name, where, "magic number says " + rank
                    + " dimensions at offset 3, expected 1 to " + MAX_RANK);
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        long headerLen = 4 + 4L * rank;
        if (dimBytes.length < 4 * rank) {
            throw new IdxFormatException(name, where, "truncated in the header: " + rank + " dimensions need "
                    + headerLen + " header bytes, the file ends at offset " + (4 + dimBytes.length));
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            int d = readInt(dimBytes, 4 * i);
            if (d < 0) {
                throw new IdxFormatException(name, where, "dimension " + i + " at offset " + (4 + 4 * i) + " is "
                        + Integer.toUnsignedString(d) + ", more than an array can hold");
            }
            dims[i] = d;
            count = Math.min(count * d, MAX_ARRAY + 1);   // both factors < 2^31: no overflow
        }
        if (count > MAX_ARRAY) {
            throw new IdxFormatException(name, where, "the header (" + dimsString(dims) + ") asks for "
                    + product(dims) + " elements, more than an array can hold"
                    + (size >= 0 ? " (the file has " + size + " bytes)" : ""));
        }
        long expected = headerLen + count;
        if (size >= 0 && size != expected) {
            throw new IdxFormatException(name, where, (size < expected ? "truncated" : "has " + (size - expected)
                    + " trailing byte(s)") + ": the header (" + dimsString(dims) + ") needs " + expected
                    + " bytes, the file has " + size);
        }
        return dims;
    }

    private static byte[] readData(String name, String where, InputStream in, int count, boolean sizeKnown,
                                   long headerLen, int[] dims) throws IOException {
        // A compressed file's length says nothing about its content's: up to EXACT_LIMIT the
        // header's count is trusted (MNIST's 47 MB in one allocation, no doubling copies), above
        // it the buffer grows only as data arrives, so a corrupted header cannot ask for gigabytes.
        byte[] data = new byte[sizeKnown || count <= EXACT_LIMIT ? count : Math.min(count, FIRST_CHUNK)];
        int got = 0;
        while (got < count) {
            if (got == data.length) data = Arrays.copyOf(data, (int) Math.min(count, 2L * data.length));
            // In pieces: one large read of a heap array makes the JDK allocate (and keep, per
            // thread) a native buffer of the same size, doubling the memory a data set costs.
            int r = in.read(data, got, Math.min(data.length - got, IO_CHUNK));
            if (r < 0) {
                throw new IdxFormatException(name, where, "truncated: the header (" + dimsString(dims) + ") needs "
                        + (headerLen + count) + " bytes, the file ends at offset " + (headerLen + got));
            }
            got += r;
        }
        return data;
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Counts the bytes left in {@code in}, stopping a little past {@link #MAX_TRAILING_COUNT}. */
    private static long countRest(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long n = 0;
        for (int r; n <= MAX_TRAILING_COUNT && (r = in.read(buf)) >= 0; ) n += r;
        return n;
    }

    private static java.math.BigInteger product(int[] dims) {
        java.math.BigInteger p = java.math.BigInteger.ONE;
        for (int d : dims) p = p.multiply(java.math.BigInteger.valueOf(d));
        return p;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String describeMagic(int expectedMagic) {
        return switch (expectedMagic) {
            case MAGIC_IMAGES -> "0x00000803 (IDX images: unsigned byte, 3 dimensions)";
            case MAGIC_LABELS -> "0x00000801 (IDX labels: unsigned byte, 1 dimension)";
            case ANY -> "0x000008NN (IDX, unsigned byte, NN dimensions)";
            default -> String.format("0x%08X", expectedMagic);
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "not an IDX type";
        };
    }

    private static String dimsString(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : " x ").append(dims[i]);
        return sb.toString();
    }

    /** Where the content came from (the path, or the name given to {@link #parse}). */
    public String name() { return name; }
    /** The dimensions, e.g. {@code [60000, 28, 28]} (a copy). */
    public int[] dims() { return dims.clone(); }
    public int rank() { return dims.length; }
    /** {@code dims[0]}: the number of items (images or labels). */
    public int count() { return dims[0]; }
    /** Bytes per item: the product of the dimensions after the first ({@code 784} for MNIST images). */
    public int itemSize() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    /**
     * The elements, row-major, without the header. Not a copy: a fast path for datasets, so
     * callers must not modify it.
     */
    public byte[] data() { return data; }

    /** The magic number: {@code 0x0000_08_RR} with {@code RR} the rank. */
    public int magic() { return TYPE_UBYTE << 8 | dims.length; }

    /** Writes this file as plain (decompressed) IDX: header, then the data. */
    public void writeTo(OutputStream out) throws IOException {
        byte[] header = new byte[4 + 4 * dims.length];
        int[] words = new int[dims.length + 1];
        words[0] = magic();
        System.arraycopy(dims, 0, words, 1, dims.length);
        for (int i = 0; i < words.length; i++) {
            header[4 * i] = (byte) (words[i] >>> 24);
            header[4 * i + 1] = (byte) (words[i] >>> 16);
            header[4 * i + 2] = (byte) (words[i] >>> 8);
            header[4 * i + 3] = (byte) words[i];
        }
        out.write(header);
        for (int at = 0; at < data.length; at += IO_CHUNK) out.write(data, at, Math.min(IO_CHUNK, data.length - at));
    }

    @Override
    public String toString() {
        return "IdxFile(" + name + ", " + dimsString(dims) + ")";
    }
}
