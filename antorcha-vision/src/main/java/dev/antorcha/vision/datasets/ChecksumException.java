package dev.antorcha.vision.datasets;

/**
 * A downloaded file's MD5 is not the expected one (a corrupted transfer or a wrong mirror). The
 * bytes were discarded: nothing was left under the file's name, nor as a {@code .part} file.
 */
public class ChecksumException extends DownloadException {
    private static final long serialVersionUID = 1L;
    private final String expectedMd5;
    private final String actualMd5;

    public ChecksumException(String fileName, String expectedMd5, String actualMd5, String message) {
        super(fileName, message);
        this.expectedMd5 = expectedMd5;
        this.actualMd5 = actualMd5;
    }

    public String expectedMd5() { return expectedMd5; }
    public String actualMd5() { return actualMd5; }
}
