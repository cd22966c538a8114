package dev.antorcha.vision.datasets;

import static dev.antorcha.vision.datasets.TestData.idx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

class IdxFileTest {
    @TempDir Path tmp;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(b);
        }
        return bos.toByteArray();
    }

    private static byte[] fixtureImages() {
        return TestData.gunzip(TestData.fixture().resolve("train-images-idx3-ubyte.gz"));
    }

    @Test
    void readsTheRealFixturePlainAndCompressed() throws IOException {
        Path gz = TestData.fixture().resolve("train-images-idx3-ubyte.gz");
        byte[] plain = fixtureImages();
        IdxFile a = IdxFile.readImages(gz);
        IdxFile b = IdxFile.readImages(write("train-images-idx3-ubyte", plain));
        assertThat(a.dims()).containsExactly(1000, 28, 28);
        assertThat(a.count()).isEqualTo(1000);
        assertThat(a.itemSize()).isEqualTo(784);
        assertThat(a.magic()).isEqualTo(IdxFile.MAGIC_IMAGES);
        assertThat(a.data()).isEqualTo(Arrays.copyOfRange(plain, 16, plain.length)).isEqualTo(b.data());
        IdxFile labels = IdxFile.readLabels(TestData.fixture().resolve("train-labels-idx1-ubyte.gz"));
        assertThat(labels.dims()).containsExactly(1000);
        assertThat(labels.data()).startsWith(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(plain);
    }

    @Test
    void aTruncatedFileNamesTheFileAndTheSizes() throws IOException {
        byte[] plain = fixtureImages();
        Path f = write("train-images-idx3-ubyte", Arrays.copyOf(plain, 1000));
        assertThatThrownBy(() -> IdxFile.readImages(f))
                .isInstanceOfSatisfying(IdxFormatException.class, e -> assertThat(e.file()).isEqualTo(f.toString()))
                .hasMessage(f + ": truncated: the header (1000 x 28 x 28) needs 784016 bytes, the file has 1000");
        Path header = write("short-header", Arrays.copyOf(plain, 10));
        assertThatThrownBy(() -> IdxFile.readImages(header))
                .hasMessage(header + ": truncated in the header: 3 dimensions need 16 header bytes, the file ends at offset 10");
        Path tiny = write("tiny", new byte[] {0, 0});
        assertThatThrownBy(() -> IdxFile.read(tiny)).hasMessageStartingWith(tiny + ": truncated")
                .hasMessageContaining("only 2 byte(s)");
    }

    @Test
    void aTruncatedGzipFileNamesTheFile() throws IOException {
        byte[] gz = Files.readAllBytes(TestData.fixture().resolve("train-images-idx3-ubyte.gz"));
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxFile.readImages(cut)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(cut.toString()).hasMessageContaining("gzip");
        // A complete gzip stream whose IDX content is short: the offset is in decompressed bytes.
        Path shortContent = write("short.gz", gzip(Arrays.copyOf(fixtureImages(), 5000)));
        assertThatThrownBy(() -> IdxFile.readImages(shortContent))
                .hasMessage(shortContent + " (decompressed): truncated: the header (1000 x 28 x 28) needs 784016 bytes, "
                        + "the file ends at offset 5000");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] plain = fixtureImages();
        byte[] longer = Arrays.copyOf(plain, plain.length + 7);
        Path f = write("long", longer);
        assertThatThrownBy(() -> IdxFile.readImages(f))
                .hasMessage(f + ": has 7 trailing byte(s): the header (1000 x 28 x 28) needs 784016 bytes, the file has 784023");
        Path g = write("long.gz", gzip(longer));
        assertThatThrownBy(() -> IdxFile.readImages(g))
                .hasMessage(g + " (decompressed): has 7 trailing byte(s) after offset 784016: the header (1000 x 28 x 28) needs 784016 bytes");
    }

    @Test
    void wrongMagicAndWrongElementTypeSayWhatWasFound() throws IOException {
        Path labels = write("labels", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> IdxFile.readImages(labels))
                .hasMessage(labels + ": wrong magic number 0x00000801 (1 dimension(s)) at offset 0, expected 0x00000803 "
                        + "(IDX images: unsigned byte, 3 dimensions)");
        Path floats = write("floats", idx(0x0D, new int[] {1}, new byte[] {0, 0, 0, 0}));
        assertThatThrownBy(() -> IdxFile.readLabels(floats))
                .hasMessage(floats + ": element type 0x0D (float32) at offset 2, only 0x08 (unsigned byte) is supported "
                        + "(magic number 0x00000D01)");
        Path text = write("text", "hello, world".getBytes());
        assertThatThrownBy(() -> IdxFile.read(text)).hasMessageStartingWith(text + ": not an IDX file: magic number 0x68656C6C");
        Path rank0 = write("rank0", new byte[] {0, 0, 8, 0});
        assertThatThrownBy(() -> IdxFile.read(rank0)).hasMessageContaining("0 dimensions at offset 3");
    }

    @Test
    void absurdDimensionsFailBeforeAnyLargeAllocation() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        byte[] huge = idx(0x08, new int[] {0x7FFFFFFF, 0x7FFFFFFF, 28}, new byte[0]);
        Path h = write("huge", huge);
        assertThatThrownBy(() -> IdxFile.read(h))
                .hasMessage(h + ": the header (2147483647 x 2147483647 x 28) asks for 129127208395707777052 elements, "
                        + "more than an array can hold (the file has 16 bytes)");
        byte[] big = idx(0x08, new int[] {60000, 28, 28}, new byte[100]);
        Path b = write("big", big);
        assertThatThrownBy(() -> IdxFile.read(b)).hasMessageContaining("truncated").hasMessageContaining("needs 47040016 bytes");
        // Compressed: the size is unknown up front, so the buffer may only grow with real data.
        Path bgz = write("big.gz", gzip(idx(0x08, new int[] {2_000_000_000}, new byte[100])));
        assertThatThrownBy(() -> IdxFile.read(bgz)).hasMessageContaining("truncated").hasMessageEndingWith("needs 2000000008 bytes, the file ends at offset 108");
        Path neg = write("neg", idx(0x08, new int[] {-1}, new byte[0]));
        assertThatThrownBy(() -> IdxFile.read(neg)).hasMessage(neg + ": dimension 0 at offset 4 is 4294967295, more than an array can hold");

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated").isLessThan(64L << 20);
    }

    @Test
    void anEmptyDimensionIsAValidEmptyFile() throws IdxFormatException {
        IdxFile f = IdxFile.parse("empty", idx(0x08, new int[] {0, 28, 28}, new byte[0]), IdxFile.MAGIC_IMAGES);
        assertThat(f.count()).isZero();
        assertThat(f.data()).isEmpty();
        assertThat(f).hasToString("IdxFile(empty, 0 x 28 x 28)");
    }
}
