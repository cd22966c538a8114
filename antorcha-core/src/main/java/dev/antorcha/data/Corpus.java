package dev.antorcha.data;

import dev.antorcha.tensor.Factory;
import dev.antorcha.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A word-level text corpus as PyTorch's {@code word_language_model} example reads it
 * ({@code data.py}'s {@code Corpus}): {@code train.txt}, {@code valid.txt} and {@code test.txt} of
 * one folder, tokenised into one {@link Dictionary} in that order, each file a 1-D int64 tensor of
 * token ids. Every line is split on whitespace as Python's {@code str.split()} splits it, and
 * {@code <eos>} is appended to each line, so the ids are those the Python example computes.
 *
 * <pre>{@code
 * Corpus corpus = new Corpus(Path.of("data/wikitext-2"));
 * int ntokens = corpus.dictionary().size();
 * Tensor train = corpus.train();   // [tokens] int64
 * }</pre>
 */
public final class Corpus {
    /** The token appended to every line. */
    public static final String EOS = "<eos>";

    private final Dictionary dictionary;
    private final Tensor train;
    private final Tensor valid;
    private final Tensor test;

    /**
     * Reads {@code dir}'s three files.
     *
     * @throws NoSuchFileException when the folder or one of its files is missing
     * @throws IOException when a file cannot be read, is not UTF-8 (the message gives the byte offset) or is empty
     */
    public Corpus(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, Files.exists(dir)
                    ? "not a folder (the corpus is a folder holding train.txt, valid.txt and test.txt)"
                    : "corpus folder not found (it should hold train.txt, valid.txt and test.txt)");
        }
        dictionary = new Dictionary();
        train = tokenize(dir.resolve("train.txt"), dictionary);
        valid = tokenize(dir.resolve("valid.txt"), dictionary);
        test = tokenize(dir.resolve("test.txt"), dictionary);
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    /** {@code train.txt}'s token ids, {@code [tokens]} int64. */
    public Tensor train() {
        return train;
    }

    /** {@code valid.txt}'s token ids, {@code [tokens]} int64. */
    public Tensor valid() {
        return valid;
    }

    /** {@code test.txt}'s token ids, {@code [tokens]} int64. */
    public Tensor test() {
        return test;
    }

    /**
     * The token ids of {@code file}, {@code [tokens]} int64, adding its new words to {@code dictionary}.
     * Lines end at {@code \n}, {@code \r\n} or {@code \r} (Python's universal newlines); each line's
     * words (separated by Python's whitespace) are followed by {@link #EOS}, so a blank line is one
     * {@code <eos>} and a last line without a newline still counts.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when it cannot be read, is not UTF-8, or is empty
     */
    public static Tensor tokenize(Path file, Dictionary dictionary) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dictionary, "dictionary");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "corpus file not found");
        if (Files.isDirectory(file)) throw new IOException(file + " is a folder, not a text file");
        char[] text = decode(file, Files.readAllBytes(file));
        if (text.length == 0) throw new IOException(file + " is empty: a corpus file needs at least one line of text");
        long[] ids = new long[Math.max(16, text.length / 4)];
        int n = 0;
        int eos = -1;
        int i = 0;
        while (i < text.length) {
            // one line: words up to the line break (or the end of the text)
            while (i < text.length && text[i] != '\n' && text[i] != '\r') {
                if (isPythonSpace(text[i])) {
                    i++;
                    continue;
                }
                int start = i;
                while (i < text.length && !isPythonSpace(text[i])) i++;
                if (n == ids.length) ids = Arrays.copyOf(ids, ids.length * 2);
                ids[n++] = dictionary.addWord(new String(text, start, i - start));
            }
            if (eos < 0) eos = dictionary.addWord(EOS);
            if (n == ids.length) ids = Arrays.copyOf(ids, ids.length * 2);
            ids[n++] = eos;
            if (i < text.length && text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n') i++;
            i++;   // past the line break; at the end of the text this leaves the loop
        }
        return Factory.adopt(n == ids.length ? ids : Arrays.copyOf(ids, n), n);
    }

    /**
     * Python's {@code str.isspace()} for one UTF-16 unit (every whitespace code point is in the
     * basic plane): what {@code str.split()} splits on. Line breaks never reach it.
     */
    static boolean isPythonSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001c' && c <= '\u001f') || c == '\u0085'
                || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028'
                || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }

    /** Strict UTF-8, as Python's {@code open(path, encoding="utf8")}: a malformed byte is an error naming its offset. */
    private static char[] decode(Path file, byte[] bytes) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);   // UTF-8 never yields more UTF-16 units than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            throw new IOException(file + " is not UTF-8 text: invalid byte sequence at byte offset " + in.position()
                    + " (convert the file to UTF-8)");
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
