package dev.antorcha.nn;

/** How a loss reduces its per-element values: {@code none}, {@code mean} (default) or {@code sum}. */
public enum Reduction {
    NONE, MEAN, SUM
}
