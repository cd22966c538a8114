package dev.antorcha.io;

import static dev.antorcha.io.SafeTensorsTest.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.antorcha.Antorcha;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files crafted to break each rule the reader enforces: each must fail with a
 * {@link SafeTensorsFormatException} naming the file and the problem, never with an
 * OutOfMemoryError, an index or array-size exception or a NumberFormatException.
 */
class SafeTensorsHostileFileTest {

    @TempDir
    Path dir;

    /** 8-byte little-endian header length, the header, then {@code data}. */
    static byte[] file(String headerJson, byte[] data) {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        return concat(le(h.length), h, data);
    }

    static Stream<Arguments> hostileFiles() {
        byte[] f8 = new byte[8];
        String ok = info("F32", "[2]", 0, 8);
        return Stream.of(
                // -- the length prefix
                Arguments.of("shorter than the length prefix", new byte[] {1, 0, 0}, "too short for the 8-byte header length"),
                Arguments.of("empty file", new byte[0], "too short"),
                Arguments.of("header length past the end", concat(le(500), "{}".getBytes(StandardCharsets.UTF_8)),
                        "header length 500 is larger than the file"),
                Arguments.of("header length over 100 MB", concat(le(100_000_001), new byte[64]),
                        "header length 100000001 exceeds the limit of 100000000 bytes"),
                Arguments.of("header length with the top bit set", concat(le(-8), new byte[64]),
                        "header length 18446744073709551608 exceeds the limit"),
                // -- the header text
                Arguments.of("header not UTF-8", concat(le(4), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}),
                        "header is not valid UTF-8"),
                Arguments.of("header not JSON", file("{\"a\":", new byte[0]), "header is not valid JSON"),
                Arguments.of("trailing garbage after the JSON", file("{} x", new byte[0]), "header is not valid JSON"),
                Arguments.of("duplicate tensor name", file("{\"a\":" + ok + ",\"a\":" + ok + "}", f8),
                        "duplicate key \"a\""),
                Arguments.of("header an array", file("[]", new byte[0]), "header is not a JSON object but an array"),
                Arguments.of("header a number", file("12", new byte[0]), "header is not a JSON object but a number"),
                Arguments.of("entry not an object", file("{\"a\":[1,2]}", new byte[0]),
                        "tensor \"a\": entry is not a JSON object"),
                // -- missing fields
                Arguments.of("missing dtype", file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", f8),
                        "tensor \"a\": missing dtype"),
                Arguments.of("missing shape", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", f8),
                        "tensor \"a\": missing shape"),
                Arguments.of("missing data_offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", f8),
                        "tensor \"a\": missing data_offsets"),
                Arguments.of("null dtype", file("{\"a\":{\"dtype\":null,\"shape\":[2],\"data_offsets\":[0,8]}}", f8),
                        "tensor \"a\": dtype is null"),
                // -- dtype
                Arguments.of("unknown dtype", file("{\"a\":" + info("F33", "[2]", 0, 8) + "}", f8),
                        "tensor \"a\": unknown dtype \"F33\""),
                Arguments.of("lower-case dtype", file("{\"a\":" + info("f32", "[2]", 0, 8) + "}", f8),
                        "unknown dtype \"f32\""),
                Arguments.of("dtype not a string", file("{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", f8),
                        "tensor \"a\": dtype is not a string"),
                Arguments.of("unsupported dtype", file("{\"a\":" + info("U64", "[1]", 0, 8) + "}", f8),
                        "tensor \"a\": dtype U64 cannot be read"),
                // -- shape
                Arguments.of("negative shape entry", file("{\"a\":" + info("F32", "[-2]", 0, 8) + "}", f8),
                        "shape [-2] entry 0 is not a non-negative integer: -2"),
                Arguments.of("fractional shape entry", file("{\"a\":" + info("F32", "[2.5]", 0, 8) + "}", f8),
                        "entry 0 is not a non-negative integer: 2.5"),
                Arguments.of("exponent shape entry", file("{\"a\":" + info("F32", "[2e0]", 0, 8) + "}", f8),
                        "entry 0 is not a non-negative integer"),
                Arguments.of("string shape entry", file("{\"a\":" + info("F32", "[1,\"2\"]", 0, 8) + "}", f8),
                        "entry 1 is not a non-negative integer: \"2\""),
                Arguments.of("shape entry beyond a long", file("{\"a\":" + info("F32", "[99999999999999999999]", 0, 8) + "}", f8),
                        "entry 0 is not a non-negative integer"),
                Arguments.of("shape not an array", file("{\"a\":" + info("F32", "2", 0, 8) + "}", f8),
                        "tensor \"a\": shape is not an array but a number"),
                Arguments.of("dimension beyond an int", file("{\"a\":" + info("F32", "[4294967296]", 0, 8) + "}", f8),
                        "overflows: dimension 0 is larger than 2147483647"),
                Arguments.of("numel overflow", file("{\"a\":" + info("F32", "[2147483647,2147483647,2147483647]", 0, 8) + "}", f8),
                        "tensor \"a\": shape [2147483647, 2147483647, 2147483647] overflows"),
                Arguments.of("numel too large even with a zero dim", file("{\"a\":" + info("F32", "[0,65536,65536]", 0, 0) + "}", new byte[0]),
                        "overflows"),
                // -- data_offsets
                Arguments.of("one offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", f8),
                        "tensor \"a\": data_offsets must be an array of two integers, got [8]"),
                Arguments.of("fractional offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}", f8),
                        "data_offsets must be an array of two integers"),
                Arguments.of("offsets an object", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{}}}", f8),
                        "data_offsets must be an array of two integers"),
                Arguments.of("negative offset", file("{\"a\":" + info("F32", "[2]", -8, 0) + "}", f8),
                        "tensor \"a\": negative data_offsets [-8, 0]"),
                Arguments.of("end before begin", file("{\"a\":" + info("F32", "[0]", 8, 0) + "}", f8),
                        "tensor \"a\": data_offsets [8, 0] end before they begin"),
                Arguments.of("end past the file", file("{\"a\":" + info("F32", "[4]", 0, 16) + "}", f8),
                        "tensor \"a\": data_offsets [0, 16] out of range: the data section holds 8 bytes"),
                Arguments.of("a huge tensor in a tiny file", file("{\"a\":" + info("F32", "[1000000000]", 0, 4000000000L) + "}", f8),
                        "data_offsets [0, 4000000000] out of range"),
                Arguments.of("span not numel * itemsize", file("{\"a\":" + info("F32", "[3]", 0, 8) + "}", f8),
                        "tensor \"a\": data_offsets [0, 8] span 8 bytes but F32 [3] needs 12"),
                Arguments.of("span wrong for the itemsize", file("{\"a\":" + info("I64", "[2]", 0, 8) + "}", f8),
                        "span 8 bytes but I64 [2] needs 16"),
                Arguments.of("overlapping ranges", file("{\"a\":" + info("F32", "[2]", 0, 8) + ",\"b\":"
                        + info("F32", "[2]", 4, 12) + "}", new byte[12]),
                        "tensor \"b\": data_offsets [4, 12] overlap those of tensor \"a\" [0, 8]"),
                Arguments.of("two tensors on the same bytes", file("{\"a\":" + ok + ",\"b\":" + ok + "}", f8),
                        "overlap"),
                Arguments.of("hole between ranges", file("{\"a\":" + info("F32", "[1]", 0, 4) + ",\"b\":"
                        + info("F32", "[1]", 8, 12) + "}", new byte[12]),
                        "hole in the data section: bytes [4, 8) belong to no tensor"),
                Arguments.of("hole at the start", file("{\"a\":" + info("F32", "[1]", 4, 8) + "}", f8),
                        "hole in the data section: bytes [0, 4)"),
                Arguments.of("trailing bytes", file("{\"a\":" + info("F32", "[1]", 0, 4) + "}", f8),
                        "hole in the data section: bytes [4, 8) at the end"),
                Arguments.of("data but no tensors", file("{}", f8), "bytes [0, 8) at the end"),
                // -- names and metadata
                Arguments.of("metadata not an object", file("{\"__metadata__\":[1]}", new byte[0]),
                        "\"__metadata__\" is not a JSON object but an array"),
                Arguments.of("metadata value not a string", file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                        "\"__metadata__\" value of \"epoch\" is not a string but a number"),
                Arguments.of("unpaired surrogate in a name", file("{\"a\\ud800\":" + ok + "}", f8),
                        "contains an unpaired surrogate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void rejectsHostileFile(String what, byte[] bytes, String problem) throws IOException {
        Path f = Files.write(dir.resolve("hostile.safetensors"), bytes);
        assertThatThrownBy(() -> SafeTensors.load(f))
                .as(what)
                .isInstanceOf(SafeTensorsFormatException.class)
                .hasMessageStartingWith(f + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((SafeTensorsFormatException) e).file()).isEqualTo(f));
        assertThatThrownBy(() -> SafeTensors.metadata(f)).as(what + " (metadata)")
                .isInstanceOf(SafeTensorsFormatException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void acceptsUnknownEntryFieldsWhitespaceAndAnyEntryOrder() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3);
        String h = " {\"b\":{\"data_offsets\":[8,12],\"shape\":[],\"dtype\":\"F32\",\"extra\":1},\n"
                + "\"a\":" + info("F32", "[2]", 0, 8) + "}    ";
        Path f = Files.write(dir.resolve("ok.safetensors"), file(h, d.array()));
        Map<String, Tensor> t = SafeTensors.load(f);
        assertThat(t.keySet()).containsExactly("b", "a");
        assertThat(t.get("a").toFloatArray()).containsExactly(1f, 2f);
        assertThat(t.get("b").item()).isEqualTo(3f);
    }

    /**
     * Flips, overwrites and truncates bytes of a valid file, 2,000 times with a fixed seed:
     * every load must either succeed or fail with the declared exception.
     */
    @Test
    void fuzzedFilesLoadOrFailCleanly() throws IOException {
        var in = new LinkedHashMap<String, Tensor>();
        in.put("w", Antorcha.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("b", Antorcha.tensor(new float[] {0.5f}));
        in.put("idx", Antorcha.tensor(new long[] {3, 1, 4}));
        in.put("mask", Antorcha.tensor(new float[] {1, 0}).gt(0));
        in.put("empty", Antorcha.zeros(0, 2));
        Path valid = dir.resolve("valid.safetensors");
        SafeTensors.save(in, Map.of("format", "pt"), valid);
        byte[] original = Files.readAllBytes(valid);
        int headerEnd = 8 + (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

        Random rnd = new Random(20240611L);
        Path f = dir.resolve("fuzz.safetensors");
        int loaded = 0, rejected = 0;
        for (int iter = 0; iter < 2000; iter++) {
            byte[] b = original.clone();
            int edits = 1 + rnd.nextInt(3);
            for (int k = 0; k < edits && b.length > 0; k++) {
                // Mostly the length prefix and the header: data bytes alone can never be invalid.
                int at = rnd.nextInt(rnd.nextInt(4) > 0 ? Math.min(headerEnd, b.length) : b.length);
                switch (rnd.nextInt(6)) {
                    case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> b[at] = (byte) rnd.nextInt(256);
                    case 2 -> b[at] = (byte) "{}[]\",:0123456789-.e \\".charAt(rnd.nextInt(22));
                    case 3 -> b = Arrays.copyOf(b, at);
                    case 4 -> b = concat(b, new byte[1 + rnd.nextInt(16)]);
                    default -> {
                        int len = Math.min(1 + rnd.nextInt(8), b.length - at);
                        for (int i = 0; i < len; i++) b[at + i] = (byte) rnd.nextInt(256);
                    }
                }
            }
            Files.write(f, b);
            try {
                SafeTensors.load(f);
                loaded++;
            } catch (SafeTensorsFormatException expected) {
                assertThat(expected.getMessage()).startsWith(f.toString());
                rejected++;
            } catch (Throwable t) {
                fail("iteration " + iter + ": load threw " + t + " for bytes " + Arrays.toString(b), t);
            }
        }
        assertThat(loaded).isPositive();
        assertThat(rejected).isPositive();
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
