package dev.antorcha.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and fully validated header of a safetensors file. Everything that can be wrong
 * with a file is found here, before a single tensor is allocated: once {@link #read} returns,
 * every entry's byte range lies inside the file, the ranges tile the data section exactly, and
 * every entry's size fits an Antorcha tensor.
 *
 * @param dataStart file position of byte 0 of the data section ({@code 8 + header length})
 * @param entries   the tensors, in header order
 * @param metadata  the {@code __metadata__} object, empty if absent
 */
record SafeTensorsHeader(long dataStart, List<Entry> entries, Map<String, String> metadata) {

    /** The official library's limit on the header length. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    /** Antorcha's largest tensor (Java arrays stop a little short of {@code Integer.MAX_VALUE}). */
    private static final long MAX_NUMEL = Integer.MAX_VALUE - 16;

    /** One tensor: its dtype, shape and byte range {@code [begin, end)} within the data section. */
    record Entry(String name, StDType dtype, int[] shape, long begin, long end) {
        int numel() {
            long n = 1;
            for (int d : shape) n *= d; // validated: cannot overflow
            return (int) n;
        }
    }

    /** Reads and validates the header of {@code file}, open as {@code ch}. */
    static SafeTensorsHeader read(FileChannel ch, Path file) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new SafeTensorsFormatException(file, "file is " + fileSize
                    + " bytes long, too short for the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, prefix, 0, file);
        long n = prefix.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafeTensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n > fileSize - 8) {
            throw new SafeTensorsFormatException(file, "header length " + n
                    + " is larger than the file (" + (fileSize - 8) + " bytes after the 8-byte length)");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) n);
        readFully(ch, raw, 8, file);
        raw.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(raw).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsFormatException(file, "header is not valid UTF-8", e);
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(json instanceof Map<?, ?> top)) {
            throw new SafeTensorsFormatException(file, "header is not a JSON object but " + kind(json));
        }
        long dataLength = fileSize - 8 - n;
        var entries = new ArrayList<Entry>(top.size());
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var e : top.entrySet()) {
            String name = (String) e.getKey();
            if (METADATA_KEY.equals(name)) {
                metadata = metadata(e.getValue(), file);
            } else {
                entries.add(entry(name, e.getValue(), dataLength, file));
            }
        }
        checkTiling(entries, dataLength, file);
        return new SafeTensorsHeader(8 + n, entries, metadata);
    }

    private static Map<String, String> metadata(Object value, Path file) throws IOException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafeTensorsFormatException(file, "\"__metadata__\" is not a JSON object but " + kind(value));
        }
        var out = new LinkedHashMap<String, String>();
        for (var e : m.entrySet()) {
            String key = (String) e.getKey();
            if (!(e.getValue() instanceof String s)) {
                throw new SafeTensorsFormatException(file, "\"__metadata__\" value of \"" + cap(key)
                        + "\" is not a string but " + kind(e.getValue()));
            }
            checkName(key, "\"__metadata__\" key", file);
            checkName(s, "\"__metadata__\" value of \"" + cap(key) + "\"", file);
            out.put(key, s);
        }
        return out;
    }

    private static Entry entry(String name, Object value, long dataLength, Path file) throws IOException {
        String where = "tensor \"" + cap(name) + "\": ";
        checkName(name, "tensor name \"" + cap(name) + "\"", file);
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafeTensorsFormatException(file, where + "entry is not a JSON object but " + kind(value));
        }
        // Unknown keys are ignored, as the official reader does.
        Object dt = required(m, "dtype", where, file);
        if (!(dt instanceof String dtName)) {
            throw new SafeTensorsFormatException(file, where + "dtype is not a string but " + kind(dt));
        }
        StDType dtype = StDType.byName(dtName);
        if (dtype == null) {
            throw new SafeTensorsFormatException(file, where + "unknown dtype \"" + dtName + "\"");
        }
        if (dtype.readsAs == null) {
            throw new SafeTensorsFormatException(file, where + "dtype " + dtName
                    + " cannot be read by Antorcha (supported: F32, F64, F16, BF16, I64, I32, U32, I16, U16, I8, U8, BOOL)");
        }
        int[] shape = shape(required(m, "shape", where, file), where, file);
        Object offs = required(m, "data_offsets", where, file);
        if (!(offs instanceof List<?> list) || list.size() != 2
                || !(list.get(0) instanceof Long begin) || !(list.get(1) instanceof Long end)) {
            throw new SafeTensorsFormatException(file, where + "data_offsets must be an array of two integers, got "
                    + render(offs));
        }
        if (begin < 0 || end < 0) {
            throw new SafeTensorsFormatException(file, where + "negative data_offsets " + list);
        }
        if (end < begin) {
            throw new SafeTensorsFormatException(file, where + "data_offsets " + list + " end before they begin");
        }
        if (end > dataLength) {
            throw new SafeTensorsFormatException(file, where + "data_offsets " + list
                    + " out of range: the data section holds " + dataLength + " bytes");
        }
        // Zero-size dims count as 1 here: Antorcha's strides are ints, so even an empty tensor's
        // other dims must multiply to something an int holds.
        long numel = 1, span = 1;
        for (int d : shape) {
            numel *= d;
            span *= Math.max(d, 1); // each factor < 2^31 and span <= MAX_NUMEL before: no long overflow
            if (span > MAX_NUMEL) {
                throw new SafeTensorsFormatException(file, where + "shape " + cap(Arrays.toString(shape))
                        + " overflows: more than " + MAX_NUMEL + " elements");
            }
        }
        long need = numel * dtype.size;
        if (end - begin != need) {
            throw new SafeTensorsFormatException(file, where + "data_offsets " + list + " span " + (end - begin)
                    + " bytes but " + dtype + " " + cap(Arrays.toString(shape)) + " needs " + need);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static int[] shape(Object value, String where, Path file) throws IOException {
        if (!(value instanceof List<?> list)) {
            throw new SafeTensorsFormatException(file, where + "shape is not an array but " + kind(value));
        }
        int[] shape = new int[list.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = list.get(i);
            if (!(d instanceof Long v) || v < 0) {
                throw new SafeTensorsFormatException(file, where + "shape " + render(list) + " entry " + i
                        + " is not a non-negative integer: " + render(d));
            }
            if (v > Integer.MAX_VALUE) {
                throw new SafeTensorsFormatException(file, where + "shape " + render(list) + " overflows: dimension "
                        + i + " is larger than " + Integer.MAX_VALUE);
            }
            shape[i] = (int) (long) v;
        }
        return shape;
    }

    /**
     * The official rule: sorted by offset, the byte ranges tile {@code [0, dataLength)} exactly —
     * no overlap, no hole, no trailing bytes.
     */
    private static void checkTiling(List<Entry> entries, long dataLength, Path file) throws IOException {
        var sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw new SafeTensorsFormatException(file, "tensor \"" + cap(e.name()) + "\": data_offsets ["
                        + e.begin() + ", " + e.end() + "] overlap those of tensor \"" + cap(prev.name()) + "\" ["
                        + prev.begin() + ", " + prev.end() + "]");
            }
            if (e.begin() > covered) {
                throw new SafeTensorsFormatException(file, "hole in the data section: bytes [" + covered + ", "
                        + e.begin() + ") belong to no tensor");
            }
            covered = e.end();
            prev = e;
        }
        if (covered != dataLength) {
            throw new SafeTensorsFormatException(file, "hole in the data section: bytes [" + covered + ", "
                    + dataLength + ") at the end belong to no tensor");
        }
    }

    private static Object required(Map<?, ?> m, String key, String where, Path file) throws IOException {
        Object v = m.get(key);
        if (v == null) {
            throw new SafeTensorsFormatException(file, where + (m.containsKey(key) ? key + " is null" : "missing " + key));
        }
        return v;
    }

    /** Rejects strings that no UTF-8 writer (nor the official library) can represent. */
    private static void checkName(String s, String what, Path file) throws IOException {
        if (!isWellFormed(s)) {
            throw new SafeTensorsFormatException(file, what + " contains an unpaired surrogate escape");
        }
    }

    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Boolean) return "a boolean";
        return "a number";
    }

    /** A short rendering of a JSON value for a message (values come from a hostile file: capped). */
    private static String render(Object v) {
        return cap(v instanceof String str ? "\"" + str + "\"" : String.valueOf(v));
    }

    static String cap(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** Reads until {@code buf} is full, from file position {@code pos}. */
    static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new SafeTensorsFormatException(file, "file ended at byte " + pos + " while reading (was it truncated?)");
            }
            pos += r;
        }
    }
}
