package dev.antorcha.vision.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The files of one data set of the MNIST family in {@code root/NAME/raw}, as torchvision keeps
 * them: each {@code .gz} and its decompressed IDX file. Knows what is there, what is missing or
 * damaged, fetches and decompresses, and words every failure with the file's name and the remedy.
 *
 * <p>Memory: decompressing streams from the {@code .gz} to the disk, and only the split asked
 * for is read into memory, so the tutorial's job (both MNIST splits) fits a 128 MB heap even
 * when the decompressed files cannot be written and the {@code .gz} files are read instead.
 */
final class RawFolder {
    /** Warnings already given in this JVM: the test split would repeat the training split's. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final MnistSpec spec;
    private final Path dir;
    /** With the mirrors to use resolved. */
    private final DownloadOptions options;
    /** A decompressed file could not be written: the others are not tried again, the .gz are read instead. */
    private boolean unwritable;

    RawFolder(MnistSpec spec, Path dir, DownloadOptions options) {
        this.spec = spec;
        this.dir = dir;
        this.options = options;
    }

    private static int magicOf(MnistSpec spec, MnistSpec.Resource r) {
        // torchvision's order: images, labels, images, labels
        return spec.resources().indexOf(r) % 2 == 0 ? IdxFile.MAGIC_IMAGES : IdxFile.MAGIC_LABELS;
    }

    private Path plain(MnistSpec.Resource r) {
        return dir.resolve(r.decompressedName());
    }

    /**
     * Whether {@code r}'s decompressed file is there and complete: a header that agrees with the
     * file's length (a file cut short by a full disk or a killed process does not).
     */
    private boolean intact(MnistSpec.Resource r) {
        Path plain = plain(r);
        if (!Files.isRegularFile(plain)) return false;
        try {
            IdxFile.checkHeader(plain, magicOf(spec, r));
            return true;
        } catch (IdxFormatException e) {
            options.progress().message(e.getMessage() + "; fetching it again");
            return false;
        } catch (IOException e) {
            throw cannotRead(plain, e);
        }
    }

    /**
     * Fetches (verified against the MD5s) and decompresses each file whose decompressed copy is
     * missing or damaged, both splits as torchvision does; does nothing when all are intact.
     */
    void download() {
        removeStaleParts();
        List<MnistSpec.Resource> todo = spec.resources().stream().filter(r -> !intact(r)).toList();
        if (todo.isEmpty()) return;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw unchecked(new CannotWriteException(dir, e));
        }
        try (Downloader d = new Downloader(options)) {
            for (MnistSpec.Resource r : todo) {
                Path gz = d.download(r.fileName(), r.md5(), dir);
                if (!unwritable) decompress(gz, plain(r));
            }
        } catch (DownloadException e) {
            throw new UncheckedIOException(e.getMessage() + "\n" + offlineHint(), e);
        } catch (IOException e) {
            throw unchecked(e);
        }
    }

    /**
     * Deletes the {@code .part} files a killed process left (a JVM that could run its shutdown
     * hooks deletes its own, see {@link PartFile}). Two processes downloading into the same folder
     * at the same time would each start the other's transfers again; one run at a time is assumed,
     * as torchvision does.
     */
    private void removeStaleParts() {
        for (MnistSpec.Resource r : spec.resources()) {
            for (String name : List.of(r.fileName(), r.decompressedName())) {
                try {
                    Files.deleteIfExists(PartFile.partOf(dir.resolve(name)));
                } catch (IOException e) {
                    // a folder that cannot be changed: any write there fails, and says so
                }
            }
        }
    }

    /** Streams {@code gz} into its decompressed file; when that cannot be written, says so once and goes on. */
    private void decompress(Path gz, Path plain) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
             PartFile out = PartFile.create(plain)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) >= 0; ) out.write(buf, 0, r);
            out.commit();
        } catch (CannotWriteException e) {
            cannotKeep(e, gz);
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(gz.toString(), "truncated or corrupted gzip data: " + Downloader.describe(e)
                    + "; delete it and run again to download it again", e);
        }
    }

    private void cannotKeep(CannotWriteException e, Path gz) {
        unwritable = true;
        String line = "Cannot write " + e.file() + ": " + e.reason() + ". Reading " + gz.getFileName()
                + " into memory instead (again at each start until the decompressed file can be written).";
        if (WARNED.add(line)) options.progress().warning(line);
    }

    /**
     * {@code r}'s content: from the decompressed file, else from the {@code .gz} (decompressed
     * next to it where possible, and instead of a damaged decompressed file); null if neither is there.
     */
    IdxFile read(MnistSpec.Resource r, boolean download) {
        int magic = magicOf(spec, r);
        Path plain = plain(r), gz = dir.resolve(r.fileName());
        boolean hasGz = Files.isRegularFile(gz);
        if (Files.isRegularFile(plain)) {
            try {
                return IdxFile.read(plain, magic);
            } catch (IdxFormatException e) {
                if (!hasGz) throw new UncheckedIOException(e.getMessage() + "; " + refetch(r, download), e);
                options.progress().message(e.getMessage() + "; decompressing " + gz.getFileName() + " again");
            } catch (IOException e) {
                throw cannotRead(plain, e);
            }
        } else if (Files.exists(plain) && !hasGz) {
            throw notAFile(plain, r, download);
        }
        if (!hasGz) {
            if (Files.exists(gz)) throw notAFile(gz, r, download);
            return null;
        }
        IdxFile f;
        try {
            f = IdxFile.read(gz, magic);
        } catch (IdxFormatException e) {
            throw new UncheckedIOException(e.getMessage() + "; " + refetch(r, download), e);
        } catch (IOException e) {
            throw cannotRead(gz, e);
        }
        if (!unwritable) {
            try (PartFile out = PartFile.create(plain)) {
                f.writeTo(out);
                out.commit();
            } catch (CannotWriteException e) {
                cannotKeep(e, gz);   // the data are in memory already: only the cached copy is lost
            } catch (IOException e) {
                throw unchecked(e);
            }
        }
        return f;
    }

    /** What to do about a damaged file of {@code r}. */
    private String refetch(MnistSpec.Resource r, boolean download) {
        if (download) return "delete it and run again: it will be downloaded again";
        return "delete it, then " + MNIST.DOWNLOAD_REMEDY + " to fetch it again, or place an intact "
                + r.fileName() + " (MD5 " + r.md5() + ") in " + dir;
    }

    private UncheckedIOException notAFile(Path p, MnistSpec.Resource r, boolean download) {
        String what = Files.isDirectory(p) ? "a directory" : "not a regular file";
        return new UncheckedIOException(p + " is " + what + ", not " + spec.name() + "'s IDX file; remove it"
                + (download ? " and run again" : ", then " + MNIST.DOWNLOAD_REMEDY + " to fetch " + r.fileName()
                + ", or place it there"), new java.nio.file.FileSystemException(p.toString(), null, what));
    }

    private UncheckedIOException cannotRead(Path p, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied" : Downloader.describe(e);
        return new UncheckedIOException("cannot read " + p + ": " + why + "; make it readable, or delete it "
                + "and fetch it again", e);
    }

    /** Two files of a split that disagree, or a label that is no class: the remedy for both files. */
    String replaceBoth(MnistSpec.Resource images, MnistSpec.Resource labels, boolean download) {
        String files = images.decompressedName() + " and " + labels.decompressedName() + " (and their .gz) in " + dir;
        if (download) return "delete " + files + " and run again: they will be downloaded again";
        return "delete " + files + ", then " + MNIST.DOWNLOAD_REMEDY + " to fetch them again, or place intact copies";
    }

    /** The split's files are not there (and were not to be downloaded). */
    DatasetNotFoundException notFound(boolean train, boolean download) {
        List<String> missing = new ArrayList<>();
        for (MnistSpec.Resource r : List.of(spec.images(train), spec.labels(train))) {
            if (!Files.isRegularFile(plain(r)) && !Files.isRegularFile(dir.resolve(r.fileName()))) missing.add(r.fileName());
        }
        String message = "Dataset not found: " + spec.name() + " (" + (train ? "train" : "test") + ") is missing "
                + String.join(", ", missing) + " in " + dir + ".\n"
                + (download ? "" : "To download it, " + MNIST.DOWNLOAD_REMEDY + ". ") + offlineHint();
        return new DatasetNotFoundException(spec.name(), train, dir, missing, message);
    }

    /** Where to put which file, and where to get it, for a machine without network access: one file a line. */
    String offlineHint() {
        List<String> urls = new ArrayList<>(options.mirrors());
        for (String m : spec.mirrors()) if (!urls.contains(m)) urls.add(m);
        StringBuilder sb = new StringBuilder("To use ").append(spec.name()).append(" offline, place these files in ")
                .append(dir.toAbsolutePath())
                .append(" (each .gz, or its decompressed content under the name without .gz):");
        for (MnistSpec.Resource r : spec.resources()) {
            sb.append("\n  ").append(r.fileName()).append("  (MD5 ").append(r.md5()).append(") from ");
            for (int i = 0; i < urls.size(); i++) sb.append(i == 0 ? "" : " or ").append(urls.get(i)).append(r.fileName());
        }
        return sb.toString();
    }

    /** Keeps the message on top: users read it first, the cause's type is for code. */
    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }
}
