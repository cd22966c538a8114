package dev.antorcha.vision.datasets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file being written as {@code NAME.part} next to {@code NAME}, moved into place by
 * {@link #commit()} once complete. Whatever happens before that, no {@code .part} file stays
 * behind: {@link #close()} deletes it after a failure, and a JVM stopped by Ctrl-C or a kill
 * (its shutdown hooks run) deletes the ones still open. A {@code .part} file left by a process
 * that could not run them (a {@code kill -9}, a power cut) is replaced by the next write.
 *
 * <p>Every write failure is a {@link CannotWriteException} naming {@code NAME}, the file the user
 * knows, so that callers can tell "this disk is full" from "the server hung up".
 */
final class PartFile extends OutputStream {
    /** The {@code .part} files open in this JVM, deleted if it exits before they are committed. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : OPEN) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // nothing more can be done while the JVM exits
                }
            }
        }, "antorcha-part-files"));
    }

    private final Path target;
    private final Path part;
    private final FileChannel channel;
    private boolean committed;

    private PartFile(Path target, Path part, FileChannel channel) {
        this.target = target;
        this.part = part;
        this.channel = channel;
    }

    /** The name {@code target} is written under until it is complete. */
    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** Starts writing {@code target}: a stale {@code .part} file from an earlier run is replaced. */
    static PartFile create(Path target) throws CannotWriteException {
        Path part = partOf(target);
        try {
            // Deleted rather than truncated: a stale .part may be a link, or not a file at all.
            Files.deleteIfExists(part);
            OPEN.add(part);
            return new PartFile(target, part, FileChannel.open(part, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            OPEN.remove(part);
            throw new CannotWriteException(target, e);
        }
    }

    @Override
    public void write(int b) throws CannotWriteException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Appends {@code len} bytes of {@code buf} from {@code off}. */
    @Override
    public void write(byte[] buf, int off, int len) throws CannotWriteException {
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            while (b.hasRemaining()) channel.write(b);
        } catch (IOException e) {
            throw new CannotWriteException(target, e);
        }
    }

    /** Puts the bytes on disk and moves the file to its final name in one step where the file system can. */
    void commit() throws CannotWriteException {
        try {
            channel.force(true);   // on disk before the file gets its final name
            channel.close();
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new CannotWriteException(target, e);
        }
    }

    /** Deletes the {@code .part} file unless {@link #commit()} moved it into place. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
            if (!committed) Files.deleteIfExists(part);
        } finally {
            OPEN.remove(part);
        }
    }
}
