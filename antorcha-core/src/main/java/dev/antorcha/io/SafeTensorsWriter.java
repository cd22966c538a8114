package dev.antorcha.io;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lays out and writes one safetensors file exactly as the official library's {@code serialize}
 * does: tensors sorted by dtype (descending in the library's {@code Dtype} order) then by name
 * (UTF-8 byte order, Rust's {@code String} order), offsets assigned in that order, the header a
 * compact JSON object in that order with {@code __metadata__} first, strings escaped as
 * {@code serde_json} escapes them, space-padded to a multiple of 8 bytes.
 */
final class SafeTensorsWriter {
    private static final int CHUNK = 1 << 20;

    private record Item(String name, byte[] utf8, StDType dtype, Tensor tensor) {
    }

    private final List<Item> items = new ArrayList<>();
    private final byte[] header;

    SafeTensorsWriter(Map<String, Tensor> tensors, Map<String, String> metadata) {
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("tensor name is null");
            checkText(name, "tensor name");
            if (SafeTensorsHeader.METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
            }
            Tensor t = e.getValue();
            if (t == null) throw new IllegalArgumentException("tensor \"" + name + "\" is null");
            items.add(new Item(name, name.getBytes(StandardCharsets.UTF_8), StDType.forWriting(t.dtype()), t));
        }
        items.sort((a, b) -> a.dtype != b.dtype ? b.dtype.compareTo(a.dtype) : Arrays.compareUnsigned(a.utf8, b.utf8));

        var json = new StringBuilder(64 + 96 * items.size()).append('{');
        if (metadata != null) {
            var entries = new ArrayList<Map.Entry<byte[], String>>();
            for (var e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata entry " + e.getKey() + "=" + e.getValue() + " has a null");
                }
                checkText(e.getKey(), "metadata key");
                checkText(e.getValue(), "metadata value");
                entries.add(Map.entry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue()));
            }
            entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
            json.append("\"__metadata__\":{");
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) json.append(',');
                string(json, new String(entries.get(i).getKey(), StandardCharsets.UTF_8)).append(':');
                string(json, entries.get(i).getValue());
            }
            json.append('}');
            if (!items.isEmpty()) json.append(',');
        }
        long offset = 0;
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            long bytes = (long) it.tensor.numel() * it.dtype.size;
            if (i > 0) json.append(',');
            string(json, it.name).append(":{\"dtype\":\"").append(it.dtype.name()).append("\",\"shape\":[");
            int[] shape = it.tensor.shape().toArray();
            for (int d = 0; d < shape.length; d++) json.append(d > 0 ? "," : "").append(shape[d]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
        if (h.length > SafeTensorsHeader.MAX_HEADER_BYTES - 8) {
            throw new IllegalArgumentException("the header would be " + h.length + " bytes, over the format's limit of "
                    + SafeTensorsHeader.MAX_HEADER_BYTES + " that readers enforce (too many tensors or too long names)");
        }
        int padded = (h.length + 7) & ~7;
        header = Arrays.copyOf(h, padded);
        Arrays.fill(header, h.length, padded, (byte) ' ');
    }

    /** Writes to a fresh temporary file next to {@code file}, then moves it over {@code file}. */
    void writeAtomically(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            FileChannel ch = null;
            for (int attempt = 0; ch == null; attempt++) {
                String base = file.getFileName().toString();
                if (base.length() > 100) base = base.substring(0, 100);
                tmp = dir.resolve("." + base + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    // Not Files.createTempFile: that creates the file 0600, and the saved model
                    // should get the same permissions as any other new file.
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    tmp = null;
                    if (attempt >= 8) throw e;
                }
            }
            try (FileChannel out = ch) {
                write(out);
                out.force(true); // data on disk before the rename makes it visible
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the original failure is the one to report
                }
            }
        }
    }

    private void write(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        flush(ch, buf);
        for (int at = 0; at < header.length; at += CHUNK) {
            buf.put(header, at, Math.min(CHUNK, header.length - at));
            flush(ch, buf);
        }
        for (Item it : items) {
            Tensor t = SafeTensors.onCpu(it.tensor);
            int n = t.numel();
            if (n == 0) continue;
            if (!t.isContiguous()) t = t.contiguousCopy();
            int base = t.layout().offset();
            int perChunk = CHUNK / it.dtype.size;
            for (int done = 0; done < n; done += perChunk) {
                int k = Math.min(perChunk, n - done);
                // The backend writes its memory's bytes straight into the little-endian buffer.
                t.backend().copyToBytes(t, base + done, k, buf);
                flush(ch, buf);
            }
        }
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    /** Appends {@code s} as a JSON string literal, escaped exactly as serde_json does. */
    private static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }

    private static void checkText(String s, String what) {
        if (!SafeTensorsHeader.isWellFormed(s)) {
            throw new IllegalArgumentException(what + " \"" + SafeTensorsHeader.cap(s)
                    + "\" contains an unpaired surrogate and cannot be written as UTF-8");
        }
    }
}
