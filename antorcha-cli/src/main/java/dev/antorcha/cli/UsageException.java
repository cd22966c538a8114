package dev.antorcha.cli;

/**
 * A value that parses but is not allowed ({@code --epochs 0}, {@code --lr inf}): a usage error
 * like a malformed one, so it exits with 2 and points at the command's help.
 */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
