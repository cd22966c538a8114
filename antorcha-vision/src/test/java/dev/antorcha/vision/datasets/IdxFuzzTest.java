package dev.antorcha.vision.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Bounded fuzzing of the IDX parser (jqwik): real MNIST headers and data, mutated at random
 * (header bytes overwritten, dimensions set to boundary values, bits flipped, cut, extended,
 * gzip'ed before or after mutation). Whatever the input, the parser either returns a consistent
 * file or throws {@link IdxFormatException} naming the source; nothing else may escape.
 */
class IdxFuzzTest {
    /** Real headers with a little real data: 3 images, 20 labels. */
    private static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        byte[] images = TestData.gunzip(TestData.fixture().resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = TestData.gunzip(TestData.fixture().resolve("t10k-labels-idx1-ubyte.gz"));
        byte[] img3 = Arrays.copyOf(images, 16 + 3 * 784);
        TestData.putInt(img3, 4, 3);
        byte[] lab20 = Arrays.copyOf(labels, 8 + 20);
        TestData.putInt(lab20, 4, 20);
        return List.of(img3, lab20);
    }

    private static final int[] BOUNDARY = {0, 1, 2, 3, 20, 28, 784, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x01000000};

    @Property(tries = 3000)
    void onlyIdxFormatExceptionEscapes(@ForAll("mutated") byte[] bytes) {
        try {
            IdxFile f = IdxFile.parse("fuzz.idx", bytes, IdxFile.ANY);
            long n = 1;
            for (int d : f.dims()) n *= d;
            assertThat(f.data()).hasSize((int) n);
            assertThat(f.magic() >>> 8).isEqualTo(IdxFile.TYPE_UBYTE);
        } catch (IdxFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz.idx");
            assertThat(e.file()).isEqualTo("fuzz.idx");
        }
    }

    @Property(tries = 500)
    void expectedKindIsEnforced(@ForAll("mutated") byte[] bytes) {
        for (int magic : new int[] {IdxFile.MAGIC_IMAGES, IdxFile.MAGIC_LABELS}) {
            try {
                assertThat(IdxFile.parse("fuzz.idx", bytes, magic).magic()).isEqualTo(magic);
            } catch (IdxFormatException e) {
                assertThat(e.getMessage()).startsWith("fuzz.idx");
            }
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> seed = Arbitraries.of(SEEDS).map(byte[]::clone);
        Arbitrary<Mutation> one = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 255))
                        .as((at, v) -> b -> { if (at < b.length) b[at] = v.byteValue(); return b; }),
                Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(Arrays.stream(BOUNDARY).boxed().toList()))
                        .as((dim, v) -> b -> { if (4 + 4 * dim + 4 <= b.length) TestData.putInt(b, 4 + 4 * dim, v); return b; }),
                Arbitraries.integers().between(0, 1 << 16)
                        .map(bit -> b -> { if (b.length > 0) b[(bit >>> 3) % b.length] ^= (byte) (1 << (bit & 7)); return b; }),
                Arbitraries.integers().between(0, 2400).map(len -> b -> Arrays.copyOf(b, Math.min(len, b.length))),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(extra -> b -> {
                    byte[] out = Arrays.copyOf(b, b.length + extra.length);
                    System.arraycopy(extra, 0, out, b.length, extra.length);
                    return out;
                }),
                Arbitraries.just(IdxFuzzTest::gzip));
        return Combinators.combine(seed, one.list().ofMinSize(1).ofMaxSize(4))
                .as((b, ms) -> {
                    for (Mutation m : ms) b = m.apply(b);
                    return b;
                });
    }

    @FunctionalInterface
    interface Mutation {
        byte[] apply(byte[] b);
    }

    private static byte[] gzip(byte[] b) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(b);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
