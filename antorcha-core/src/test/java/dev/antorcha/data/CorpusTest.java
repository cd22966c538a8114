package dev.antorcha.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antorcha.tensor.DType;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corpus and Dictionary against the committed {@code tiny-corpus} (see its README), whose ids were
 * worked out by hand and agree with the Python example's tokenizer.
 */
class CorpusTest {

    static Path tinyCorpus() throws URISyntaxException {
        return Path.of(CorpusTest.class.getResource("/tiny-corpus/train.txt").toURI()).getParent();
    }

    @Test
    void tokenizesAsThePythonExample() throws Exception {
        Corpus c = new Corpus(tinyCorpus());
        // "the cat sat\n on the  mat \n\ndog\tran\r\nend": five lines, the blank one a lone <eos>
        assertThat(c.train().toLongArray()).containsExactly(0, 1, 2, 3, 4, 0, 5, 3, 3, 6, 7, 3, 8, 3);
        // "the dog\rsat\n": a lone \r ends a line
        assertThat(c.valid().toLongArray()).containsExactly(0, 6, 3, 2, 3);
        // "a\u00a0b cat\u0085dog\n": both split words, neither ends the line
        assertThat(c.test().toLongArray()).containsExactly(9, 10, 1, 6, 3);
        assertThat(c.dictionary().words()).containsExactly("the", "cat", "sat", "<eos>", "on", "mat", "dog", "ran",
                "end", "a", "b");
        assertThat(c.dictionary().size()).isEqualTo(11);
        assertThat(c.train().dtype()).isEqualTo(DType.INT64);
        assertThat(c.train().shape().toArray()).containsExactly(14);
    }

    @Test
    void dictionaryNumbersWordsInFirstSeenOrder() {
        Dictionary d = new Dictionary();
        assertThat(d.addWord("b")).isZero();
        assertThat(d.addWord("a")).isEqualTo(1);
        assertThat(d.addWord("b")).isZero();
        assertThat(d.indexOf("a")).isEqualTo(1);
        assertThat(d.indexOf("zzz")).isEqualTo(-1);
        assertThat(d.word(1)).isEqualTo("a");
        assertThat(d.size()).isEqualTo(2);
        assertThatThrownBy(() -> d.word(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aSecondFileExtendsTheSameVocabulary(@TempDir Path dir) throws IOException {
        Dictionary d = new Dictionary();
        Files.writeString(dir.resolve("a.txt"), "x y\n");
        Files.writeString(dir.resolve("b.txt"), "y z\n");
        assertThat(Corpus.tokenize(dir.resolve("a.txt"), d).toLongArray()).containsExactly(0, 1, 2);
        assertThat(Corpus.tokenize(dir.resolve("b.txt"), d).toLongArray()).containsExactly(1, 3, 2);
    }

    @Test
    void aMissingFolderOrFileIsNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> new Corpus(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope").hasMessageContaining("train.txt, valid.txt and test.txt");
        Files.writeString(dir.resolve("train.txt"), "a b\n");
        Files.writeString(dir.resolve("valid.txt"), "a\n");
        assertThatThrownBy(() -> new Corpus(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("test.txt");
    }

    @Test
    void anEmptyFileIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("train.txt"), "a b\n");
        Files.writeString(dir.resolve("valid.txt"), "");
        Files.writeString(dir.resolve("test.txt"), "a\n");
        assertThatThrownBy(() -> new Corpus(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("valid.txt is empty");
    }

    @Test
    void invalidUtf8IsRefusedWithItsOffset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.write(f, new byte[] {'a', 'b', ' ', (byte) 0xff, 'c', '\n'});
        assertThatThrownBy(() -> Corpus.tokenize(f, new Dictionary())).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.txt is not UTF-8").hasMessageContaining("byte offset 3");
    }

    @Test
    void aFolderIsNotAFile(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("train.txt"));
        assertThatThrownBy(() -> Corpus.tokenize(dir.resolve("train.txt"), new Dictionary()))
                .isInstanceOf(IOException.class).hasMessageContaining("is a folder");
    }

    @Test
    void pythonWhitespaceOnly() {
        for (char c : " \t\u000b\u000c\u001c\u001f\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000".toCharArray()) {
            assertThat(Corpus.isPythonSpace(c)).as("U+%04X", (int) c).isTrue();
        }
        // U+180E stopped being whitespace in Unicode 6.3 (Python 3.7+); U+200B never was
        for (char c : "a\u180e\u200b\u00ad_".toCharArray()) {
            assertThat(Corpus.isPythonSpace(c)).as("U+%04X", (int) c).isFalse();
        }
    }

    /** The full folder of the team's data, when present: the counts the Python example gives. */
    @Test
    void wikitextSmallAsPython() throws IOException {
        String shared = System.getProperty("antorcha.shared");
        Path dir = shared == null ? null : Path.of(shared, "data", "wikitext-2-small");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null && Files.isDirectory(dir),
                "skipped: wikitext-2-small is not at " + dir + " (system property antorcha.shared + /data/wikitext-2-small);"
                        + " the tiny corpus covers tokenisation");
        Corpus c = new Corpus(dir);
        Tensor train = c.train();
        // the counts and id sums that the Python example's tokenize gives for these files
        assertThat(c.dictionary().size()).isEqualTo(18328);
        assertThat(train.size(0)).isEqualTo(217646);
        assertThat(c.valid().size(0)).isEqualTo(123450);
        assertThat(c.test().size(0)).isEqualTo(122119);
        assertThat(sum(train)).isEqualTo(413679802L);
        assertThat(sum(c.valid())).isEqualTo(288554613L);
        assertThat(sum(c.test())).isEqualTo(289634182L);
    }

    private static long sum(Tensor t) {
        long s = 0;
        for (long v : t.toLongArray()) s += v;
        return s;
    }
}
