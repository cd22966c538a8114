package dev.antorcha.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Shape;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips, layout and atomic writing of {@link SafeTensors}. */
class SafeTensorsTest {

    @TempDir
    Path dir;

    // ---- round trips ------------------------------------------------------------------------

    @Test
    void float64IsSavedAsF64AndLoadsBackBitForBit() throws IOException {
        double[] v = {1.0 / 3, -0.1, Double.MIN_VALUE, 1e300};
        Path f = dir.resolve("f64.safetensors");
        SafeTensors.save(Map.of("w", dev.antorcha.Antorcha.tensor(v, 2, 2)), f);
        assertThat(header(f)).contains("\"w\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]}");
        byte[] b = Files.readAllBytes(f);
        ByteBuffer data = ByteBuffer.wrap(b, b.length - 32, 32).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) assertThat(data.getDouble()).isEqualTo(x);
        Tensor back = SafeTensors.load(f).get("w");
        assertThat(back.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(back.toDoubleArray()).containsExactly(v);
    }

    @Test
    void roundTripsFloatIntBoolScalarAndEmptyTensors() throws IOException {
        var in = new LinkedHashMap<String, Tensor>();
        in.put("w", Antorcha.tensor(new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, -3e-39f, 7}, 2, 3));
        in.put("labels", Antorcha.tensor(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}));
        in.put("scalar", Antorcha.scalar(2.25));
        in.put("count", Antorcha.tensor(new long[] {42}, 1));
        in.put("step", Antorcha.tensor(new long[] {7}, new int[0]));
        in.put("empty", Antorcha.zeros(0));
        in.put("empty3d", Antorcha.zeros(2, 0, 3));
        in.put("emptyLong", Antorcha.zeros(DType.INT64, 0));
        in.put("mask", Antorcha.tensor(new float[] {1, 0, 3}).gt(0.5));
        Path f = dir.resolve("t.safetensors");

        SafeTensors.save(in, f);
        Map<String, Tensor> out = SafeTensors.load(f);

        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(in.keySet());
        for (var e : in.entrySet()) assertSameTensor(out.get(e.getKey()), e.getValue(), e.getKey());
        assertThat(out.get("scalar").dim()).isZero();
        assertThat(out.get("step").dim()).isZero();
        assertThat(out.get("step").longItem()).isEqualTo(7);
        assertThat(out.get("empty3d").shape()).isEqualTo(Shape.of(2, 0, 3));
        assertThat(out.get("mask").dtype()).isEqualTo(DType.BOOL);
        assertThat(out.get("mask").toFloatArray()).containsExactly(1f, 0f, 1f);
        assertThat(SafeTensors.metadata(f)).isEmpty();
    }

    @Test
    void emptyMapRoundTrips() throws IOException {
        Path f = dir.resolve("none.safetensors");
        SafeTensors.save(Map.of(), f);
        assertThat(SafeTensors.load(f)).isEmpty();
    }

    @Test
    void nonContiguousTensorsAreWrittenContiguously() throws IOException {
        Tensor m = Antorcha.arange(0, 12, 1).view(3, 4);
        var in = new LinkedHashMap<String, Tensor>();
        in.put("t", m.t());                                  // transposed
        in.put("strided", m.slice(1, 0, 4, 2));              // every other column
        in.put("expanded", Antorcha.tensor(new float[] {1, 2}).expand(3, 2));
        in.put("narrowed", m.narrow(0, 1, 2));               // contiguous, non-zero offset
        in.put("longsT", Antorcha.arange(6).view(2, 3).t());
        Path f = dir.resolve("nc.safetensors");

        SafeTensors.save(in, f);
        Map<String, Tensor> out = SafeTensors.load(f);

        for (var e : in.entrySet()) {
            Tensor o = out.get(e.getKey());
            assertThat(o.isContiguous()).isTrue();
            assertSameTensor(o, e.getValue(), e.getKey());
        }
        assertThat(out.get("t").toFloatArray()).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
    }

    @Test
    void tensorsLargerThanOneChunkRoundTrip() throws IOException {
        float[] f = new float[300_001];
        long[] l = new long[200_003];
        for (int i = 0; i < f.length; i++) f[i] = i * 0.5f - 7;
        for (int i = 0; i < l.length; i++) l[i] = (long) i * 1_000_003L - 99;
        Path p = dir.resolve("big.safetensors");
        SafeTensors.save(Map.of("f", Antorcha.tensor(f), "l", Antorcha.tensor(l)), p);
        Map<String, Tensor> out = SafeTensors.load(p);
        assertThat(out.get("f").toFloatArray()).isEqualTo(f);
        assertThat(out.get("l").toLongArray()).isEqualTo(l);
    }

    @Test
    void metadataRoundTripsAndNullMeansNone() throws IOException {
        var md = new LinkedHashMap<String, String>();
        md.put("format", "pt");
        md.put("author", "Antorcha \"quoted\" é\n");
        Path f = dir.resolve("md.safetensors");
        SafeTensors.save(Map.of("x", Antorcha.ones(2)), md, f);
        assertThat(SafeTensors.metadata(f)).containsExactly(Map.entry("author", "Antorcha \"quoted\" é\n"),
                Map.entry("format", "pt"));
        assertThat(SafeTensors.load(f)).containsOnlyKeys("x");

        Path none = dir.resolve("none.safetensors");
        SafeTensors.save(Map.of("x", Antorcha.ones(2)), null, none);
        assertThat(header(none)).doesNotContain("__metadata__");
        Path empty = dir.resolve("empty.safetensors");
        SafeTensors.save(Map.of("x", Antorcha.ones(2)), Map.of(), empty);
        assertThat(header(empty)).startsWith("{\"__metadata__\":{},\"x\":");
        assertThat(SafeTensors.metadata(empty)).isEmpty();
    }

    @Test
    void readsEveryDtypeAsItselfAndWidensU16AndU32ToInt64() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        d.putDouble(0, 1.0 / 3);                            // F64 [0, 8)
        d.putShort(8, Float.floatToFloat16(-2.5f));          // F16 [8, 10)
        d.putShort(10, (short) (Float.floatToRawIntBits(3.25f) >>> 16)); // BF16 [10, 12)
        d.putInt(12, -123456);                               // I32 [12, 16)
        d.putInt(16, 0xFFFFFFFE);                            // U32 [16, 20)
        d.putShort(20, (short) -2);                          // I16 [20, 22)
        d.putShort(22, (short) 0xFFFE);                      // U16 [22, 24)
        d.put(24, (byte) -5);                                // I8 [24, 25)
        d.put(25, (byte) 250);                               // U8 [25, 26)
        d.put(26, (byte) 2);                                 // BOOL [26, 27): non-zero is true
        String h = "{\"f64\":" + info("F64", "[]", 0, 8) + ",\"f16\":" + info("F16", "[1]", 8, 10)
                + ",\"bf16\":" + info("BF16", "[1]", 10, 12) + ",\"i32\":" + info("I32", "[1]", 12, 16)
                + ",\"u32\":" + info("U32", "[1]", 16, 20) + ",\"i16\":" + info("I16", "[1]", 20, 22)
                + ",\"u16\":" + info("U16", "[1]", 22, 24) + ",\"i8\":" + info("I8", "[1]", 24, 25)
                + ",\"u8\":" + info("U8", "[1]", 25, 26) + ",\"b\":" + info("BOOL", "[1]", 26, 27) + "}";
        byte[] data = new byte[27];
        d.get(0, data);
        Path f = write("other.safetensors", h, data);

        Map<String, Tensor> t = SafeTensors.load(f);

        assertThat(t.keySet()).containsExactly("f64", "f16", "bf16", "i32", "u32", "i16", "u16", "i8", "u8", "b");
        assertThat(t.get("f64").dtype()).isEqualTo(DType.FLOAT64);
        assertThat(t.get("f64").doubleItem()).isEqualTo(1.0 / 3);
        assertThat(t.get("f16").toFloatArray()).containsExactly(-2.5f);
        assertThat(t.get("bf16").toFloatArray()).containsExactly(3.25f);
        assertThat(t.get("i32").toLongArray()).containsExactly(-123456);
        assertThat(t.get("u32").toLongArray()).containsExactly(0xFFFFFFFEL);
        assertThat(t.get("i16").toLongArray()).containsExactly(-2);
        assertThat(t.get("u16").toLongArray()).containsExactly(0xFFFE);
        assertThat(t.get("i8").toLongArray()).containsExactly(-5);
        assertThat(t.get("u8").toLongArray()).containsExactly(250);
        assertThat(t.get("f16").dtype()).isEqualTo(DType.FLOAT16);
        assertThat(t.get("bf16").dtype()).isEqualTo(DType.BFLOAT16);
        assertThat(t.get("i32").dtype()).isEqualTo(DType.INT32);
        assertThat(t.get("i16").dtype()).isEqualTo(DType.INT16);
        assertThat(t.get("i8").dtype()).isEqualTo(DType.INT8);
        assertThat(t.get("u8").dtype()).isEqualTo(DType.UINT8);
        assertThat(t.get("u16").dtype()).isEqualTo(DType.INT64);
        assertThat(t.get("u32").dtype()).isEqualTo(DType.INT64);
        assertThat(t.get("b").dtype()).isEqualTo(DType.BOOL);
        assertThat(t.get("b").toFloatArray()).containsExactly(1f);
    }

    // ---- byte-exact layout ----------------------------------------------------------------------

    /** The byte vectors of the official library's own tests (safetensors/src/tensor.rs). */
    @Test
    void matchesTheOfficialLibrarysTestVectors() throws IOException {
        Tensor attn = Antorcha.tensor(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3);
        Path f = dir.resolve("a.safetensors");
        SafeTensors.save(Map.of("attn.0", attn), f);
        assertThat(Files.readAllBytes(f)).isEqualTo(bytes(
                64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64));

        SafeTensors.save(Map.of("attn0", attn.view(1, 1, 2, 3)), f);
        assertThat(Files.readAllBytes(f)).isEqualTo(bytes(
                72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                160, 64));

        SafeTensors.save(Map.of(), f);
        assertThat(Files.readAllBytes(f)).isEqualTo(bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32));

        SafeTensors.save(Map.of(), Map.of("framework", "pt"), f);
        assertThat(Files.readAllBytes(f)).isEqualTo(bytes(
                40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32));
    }

    @Test
    void layoutIsByDtypeDescendingThenByName() throws IOException {
        var in = new LinkedHashMap<String, Tensor>();
        in.put("b", Antorcha.ones(1));
        in.put("m", Antorcha.ones(1).gt(0));
        in.put("a", Antorcha.ones(2));
        in.put("z", Antorcha.tensor(new long[] {1}, 1));
        Path f = dir.resolve("order.safetensors");
        SafeTensors.save(in, f);
        assertThat(header(f).strip()).isEqualTo("{\"z\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[20,21]}}");
        assertThat(SafeTensors.load(f).keySet()).containsExactly("z", "a", "b", "m");
        assertThat((8 + header(f).length()) % 8).isZero();
    }

    @Test
    void namesSortByUtf8BytesAndEscapeAsSerdeJson() throws IOException {
        var in = new LinkedHashMap<String, Tensor>();
        String emoji = "\uD83D\uDE00", halfwidth = "\uFF61"; // UTF-16 order: emoji first; UTF-8: halfwidth first
        for (String name : List.of(emoji, halfwidth, "q\"b\\s/\n\t\u0001\u001f\u007f", "café", "")) {
            in.put(name, Antorcha.ones(1));
        }
        Path f = dir.resolve("names.safetensors");
        SafeTensors.save(in, f);
        String h = header(f);
        assertThat(h).contains("\"q\\\"b\\\\s/\\n\\t\\u0001\\u001f\u007f\":").contains("\"café\":");
        assertThat(SafeTensors.load(f).keySet()).containsExactly("", "café", "q\"b\\s/\n\t\u0001\u001f\u007f",
                halfwidth, emoji);
    }

    // ---- writing rules and atomicity ----------------------------------------------------------

    @Test
    void rejectsReservedNullAndMalformedNames() {
        Path f = dir.resolve("bad.safetensors");
        assertThatThrownBy(() -> SafeTensors.save(Map.of("__metadata__", Antorcha.ones(1)), f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        var withNull = new LinkedHashMap<String, Tensor>();
        withNull.put("w", null);
        assertThatThrownBy(() -> SafeTensors.save(withNull, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"w\" is null");
        assertThatThrownBy(() -> SafeTensors.save(Map.of("x\uD800", Antorcha.ones(1)), f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
        assertThat(f).doesNotExist();
    }

    @Test
    void saveLeavesNoTemporaryFilesAndReplacesAnExistingFile() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Files.writeString(f, "old contents");
        SafeTensors.save(Map.of("x", Antorcha.ones(3)), f);
        SafeTensors.save(Map.of("x", Antorcha.zeros(2)), f);
        assertThat(listing()).containsExactly("model.safetensors");
        assertThat(SafeTensors.load(f).get("x").toFloatArray()).containsExactly(0f, 0f);
    }

    @Test
    void savedFileGetsOrdinaryPermissionsNotThoseOfATempFile() throws IOException {
        var posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        org.junit.jupiter.api.Assumptions.assumeTrue(posix != null, "not a POSIX file system: no permissions to compare");
        Path plain = dir.resolve("plain");
        Files.write(plain, new byte[1]);
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(Map.of("x", Antorcha.ones(1)), f);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void failedSaveOntoADirectoryLeavesNoFileBehind() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> SafeTensors.save(Map.of("x", Antorcha.ones(3)), target))
                .isInstanceOf(IOException.class);
        assertThat(target).isDirectory().isEmptyDirectory();
        assertThat(listing()).containsExactly("model.safetensors");
    }

    @Test
    void failedSaveIntoAMissingDirectoryCreatesNothing() {
        Path f = dir.resolve("missing").resolve("m.safetensors");
        assertThatThrownBy(() -> SafeTensors.save(Map.of("x", Antorcha.ones(3)), f)).isInstanceOf(IOException.class);
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String info(String dtype, String shape, long begin, long end) {
        return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private Path write(String name, String headerJson, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), SafeTensorsHostileFileTest.file(headerJson, data));
    }

    private static String header(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(b, 8, (int) n, StandardCharsets.UTF_8);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    private static void assertSameTensor(Tensor actual, Tensor expected, String name) {
        assertThat(actual).as(name).isNotNull();
        assertThat(actual.dtype()).as(name).isEqualTo(expected.dtype());
        assertThat(actual.shape()).as(name).isEqualTo(expected.shape());
        if (expected.dtype() == DType.INT64) {
            assertThat(actual.toLongArray()).as(name).containsExactly(expected.toLongArray());
        } else {
            float[] a = actual.toFloatArray(), e = expected.toFloatArray();
            assertThat(a).as(name).hasSameSizeAs(e);
            for (int i = 0; i < a.length; i++) {
                assertThat(Float.floatToRawIntBits(a[i])).as(name + "[" + i + "]").isEqualTo(Float.floatToRawIntBits(e[i]));
            }
        }
    }
}
