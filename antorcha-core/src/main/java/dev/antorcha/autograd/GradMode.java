package dev.antorcha.autograd;

/**
 * Whether operations on this thread are recorded for autograd, like PyTorch's grad mode.
 * Per thread, so a no-grad evaluation on one thread never disables training on another.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets the mode and returns the previous one. */
    static boolean set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean old = cell[0];
        cell[0] = enabled;
        return old;
    }
}
