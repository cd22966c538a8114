package dev.antorcha.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small corpus folder in WikiText's layout for the language-model tests: sentences of a tiny
 * grammar ("the cat sees a dog ." ...), so a model that learns does much better than chance
 * (about 20 words), in well under a second per epoch.
 */
public final class TextCorpus {
    private static final String[] NOUNS = {"cat", "dog", "bird", "fish", "horse", "mouse", "lion", "frog"};
    private static final String[] VERBS = {"sees", "likes", "chases", "eats", "hears", "finds"};

    private TextCorpus() {
    }

    /** Writes train.txt (about {@code trainTokens} words), valid.txt and test.txt (a fifth each) into {@code dir}. */
    public static Path write(Path dir, int trainTokens) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(42);
        Files.writeString(dir.resolve("train.txt"), text(r, trainTokens));
        Files.writeString(dir.resolve("valid.txt"), text(r, trainTokens / 5));
        Files.writeString(dir.resolve("test.txt"), text(r, trainTokens / 5));
        return dir;
    }

    private static String text(Random r, int tokens) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        while (n < tokens) {
            sb.append(' ');
            int sentences = 1 + r.nextInt(3);
            for (int s = 0; s < sentences; s++) {
                sb.append(r.nextBoolean() ? "the " : "a ").append(NOUNS[r.nextInt(NOUNS.length)]).append(' ')
                        .append(VERBS[r.nextInt(VERBS.length)]).append(r.nextBoolean() ? " the " : " a ")
                        .append(NOUNS[r.nextInt(NOUNS.length)]).append(" . ");
                n += 6;
            }
            sb.append('\n');
            n++;
        }
        return sb.toString();
    }
}
