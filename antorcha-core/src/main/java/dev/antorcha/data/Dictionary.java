package dev.antorcha.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A vocabulary: each distinct word gets the next index in the order it is first seen, as the
 * {@code Dictionary} of PyTorch's {@code word_language_model} example ({@code data.py}) gives it,
 * so that the same files yield the same token ids in Java and in Python.
 *
 * <pre>{@code
 * Dictionary d = new Dictionary();
 * d.addWord("the");   // 0
 * d.addWord("cat");   // 1
 * d.addWord("the");   // 0 again
 * d.size();           // 2, Python's len(dictionary)
 * }</pre>
 */
public final class Dictionary {
    private final Map<String, Integer> word2idx = new HashMap<>();
    private final List<String> idx2word = new ArrayList<>();

    /** An empty vocabulary. */
    public Dictionary() {
    }

    /** The index of {@code word}, added at the end when it is new. */
    public int addWord(String word) {
        Objects.requireNonNull(word, "word");
        Integer idx = word2idx.get(word);
        if (idx != null) return idx;
        idx2word.add(word);
        word2idx.put(word, idx2word.size() - 1);
        return idx2word.size() - 1;
    }

    /** The index of {@code word}, or -1 when it is not in the vocabulary. */
    public int indexOf(String word) {
        return word2idx.getOrDefault(word, -1);
    }

    /** The word of {@code index}. */
    public String word(int index) {
        Objects.checkIndex(index, idx2word.size());
        return idx2word.get(index);
    }

    /** The words in index order. */
    public List<String> words() {
        return Collections.unmodifiableList(idx2word);
    }

    /** The number of words, {@code len(dictionary)}. */
    public int size() {
        return idx2word.size();
    }

    @Override
    public String toString() {
        return "Dictionary(" + size() + " words)";
    }
}
