package dev.antorcha.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where NVIDIA's libraries are on this machine, looked for where users have them, in this order:
 * the folders of {@code ANTORCHA_CUDA_LIBS} (a path list that takes precedence over the rest),
 * {@code CUDA_HOME} and {@code CUDA_PATH} (their {@code lib64}, {@code lib},
 * {@code targets/x86_64-linux/lib}), the system loader (by each library's usual names), then
 * {@code /usr/local/cuda}, then NVIDIA's Python wheels ({@code site-packages/nvidia/*\/lib}, how
 * PyTorch users get cuBLAS, NVRTC and cuDNN) under the Python installations of the environment
 * ({@code VIRTUAL_ENV}, {@code CONDA_PREFIX}, {@code PYTHONPATH}, the user's and the system's).
 * The environment is passed in, so that tests can describe any machine; the driver's stubs
 * ({@code lib64/stubs}, which link but cannot run anything) are never taken.
 */
public final class CudaLibraries {

    /** The libraries the backend calls; each with the names the system loader knows it by, newest first. */
    public enum Library {
        DRIVER("libcuda", "the CUDA driver", List.of("libcuda.so.1")),
        NVRTC("libnvrtc", "NVRTC, CUDA's runtime compiler", List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2",
                "libnvrtc.so")),
        CUBLAS("libcublas", "cuBLAS", List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so")),
        CUDNN("libcudnn", "cuDNN", List.of("libcudnn.so.9", "libcudnn.so.8", "libcudnn.so"));

        private final String stem;
        private final String description;
        private final List<String> sonames;

        Library(String stem, String description, List<String> sonames) {
            this.stem = stem;
            this.description = description;
            this.sonames = sonames;
        }

        /** What the library is, for messages: {@code "cuBLAS (libcublas)"}. */
        public String label() {
            return description + " (" + stem + ")";
        }

        /** Whether {@code fileName} is this library: {@code libX.so} or {@code libX.so.<version>}. */
        boolean matches(String fileName) {
            if (fileName.equals(stem + ".so")) return true;
            if (!fileName.startsWith(stem + ".so.")) return false;
            return fileName.substring(stem.length() + 4).chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
        }
    }

    /**
     * A library found: {@code target} is a file's absolute path or a name the system loader resolves,
     * {@code how} says which place gave it.
     */
    public record Location(Library library, String target, boolean isFile, String how) {
        /** Opens the library for the process's lifetime. */
        SymbolLookup open() {
            return isFile ? SymbolLookup.libraryLookup(Path.of(target), Arena.global())
                    : SymbolLookup.libraryLookup(target, Arena.global());
        }
    }

    private final Map<String, String> env;
    private final Predicate<String> systemLoader;
    private final List<Path> fixedRoots;

    /**
     * @param env          the environment variables to read ({@code System.getenv()} for the process's)
     * @param systemLoader whether the system's dynamic loader finds a library by this name
     * @param fixedRoots   the machine-wide places: {@code /usr/local/cuda} and the system's Python prefixes
     */
    CudaLibraries(Map<String, String> env, Predicate<String> systemLoader, List<Path> fixedRoots) {
        this.env = Map.copyOf(env);
        this.systemLoader = systemLoader;
        this.fixedRoots = List.copyOf(fixedRoots);
    }

    /** The places of this process's environment and machine. */
    public static CudaLibraries ofProcess() {
        return new CudaLibraries(System.getenv(), CudaLibraries::systemLoaderFinds,
                List.of(Path.of("/usr/local/cuda"), Path.of("/usr/local/lib"), Path.of("/usr/lib"), Path.of("/opt/conda/lib")));
    }

    private static boolean systemLoaderFinds(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.ofAuto());
            return true;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return false;
        }
    }

    /**
     * The first place that holds {@code library}.
     *
     * @throws CudaUnavailableException naming every place looked in, when none holds it
     */
    public Location locate(Library library) {
        List<String> looked = new ArrayList<>();
        String override = env.get("ANTORCHA_CUDA_LIBS");
        if (override != null && !override.isBlank()) {
            Optional<Location> l = inFolders(library, splitPathList(override), "ANTORCHA_CUDA_LIBS");
            if (l.isPresent()) return l.get();
            looked.add("ANTORCHA_CUDA_LIBS (" + override + ")");
        } else {
            looked.add("ANTORCHA_CUDA_LIBS (not set)");
        }
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home == null || home.isBlank()) {
                looked.add(var + " (not set)");
                continue;
            }
            Optional<Location> l = inFolders(library, toolkitFolders(Path.of(home)), var);
            if (l.isPresent()) return l.get();
            looked.add(var + " (" + home + ")");
        }
        for (String name : library.sonames) {
            if (systemLoader.test(name)) return new Location(library, name, false, "the system loader");
        }
        looked.add("the system loader (" + String.join(", ", library.sonames) + ")");
        Path cuda = fixedRoots.isEmpty() ? Path.of("/usr/local/cuda") : fixedRoots.get(0);
        Optional<Location> l = inFolders(library, toolkitFolders(cuda), cuda.toString());
        if (l.isPresent()) return l.get();
        looked.add(cuda.toString());
        List<Path> wheels = wheelFolders();
        l = inFolders(library, wheels, "NVIDIA's Python wheels");
        if (l.isPresent()) return l.get();
        looked.add(wheels.isEmpty() ? "NVIDIA's Python wheels (no site-packages/nvidia/*/lib found)"
                : "NVIDIA's Python wheels (" + wheels.size() + " folders of site-packages/nvidia/*/lib)");
        throw new CudaUnavailableException(library.label() + " not found; looked in " + String.join(", ", looked));
    }

    private static List<Path> toolkitFolders(Path home) {
        return List.of(home.resolve("lib64"), home.resolve("lib"), home.resolve("targets/x86_64-linux/lib"));
    }

    private static List<Path> splitPathList(String list) {
        List<Path> out = new ArrayList<>();
        for (String s : list.split(java.io.File.pathSeparator)) if (!s.isBlank()) out.add(Path.of(s.trim()));
        return out;
    }

    /** The library in the first of {@code folders} that holds it (a folder may name the file itself). */
    private static Optional<Location> inFolders(Library library, List<Path> folders, String how) {
        for (Path folder : folders) {
            if (Files.isRegularFile(folder) && library.matches(folder.getFileName().toString())) {
                return Optional.of(new Location(library, folder.toAbsolutePath().toString(), true, how));
            }
            if (!Files.isDirectory(folder) || folder.getFileName() != null && folder.getFileName().toString().equals("stubs")) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                Optional<Path> best = files.filter(f -> library.matches(f.getFileName().toString()))
                        .filter(Files::isRegularFile)
                        .max(Comparator.comparing((Path f) -> versionOf(library, f.getFileName().toString()), CudaLibraries::compareVersions));
                if (best.isPresent()) return Optional.of(new Location(library, best.get().toAbsolutePath().toString(), true, how));
            } catch (IOException e) {
                // an unreadable folder holds nothing we can load
            }
        }
        return Optional.empty();
    }

    private static int[] versionOf(Library library, String fileName) {
        String stem = library.stem + ".so";
        if (fileName.length() <= stem.length() + 1) return new int[0];
        return Stream.of(fileName.substring(stem.length() + 1).split("\\.")).filter(s -> !s.isEmpty())
                .mapToInt(s -> (int) Math.min(Integer.MAX_VALUE, Long.parseLong(s))).toArray();
    }

    private static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        return Integer.compare(a.length, b.length);
    }

    /** The {@code nvidia/*\/lib} folders of every Python installation the environment points at. */
    List<Path> wheelFolders() {
        Set<Path> sites = new LinkedHashSet<>();
        String pythonPath = env.get("PYTHONPATH");
        if (pythonPath != null) sites.addAll(splitPathList(pythonPath));
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.get(var);
            if (prefix != null && !prefix.isBlank()) sites.addAll(pythonSites(Path.of(prefix, "lib")));
        }
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) sites.addAll(pythonSites(Path.of(home, ".local", "lib")));
        for (Path root : fixedRoots.subList(Math.min(1, fixedRoots.size()), fixedRoots.size())) {
            sites.addAll(pythonSites(root));
            sites.add(root.resolve("python3").resolve("dist-packages"));
        }
        List<Path> out = new ArrayList<>();
        for (Path site : sites) {
            Path nvidia = site.resolve("nvidia");
            if (!Files.isDirectory(nvidia)) continue;
            try (Stream<Path> pkgs = Files.list(nvidia)) {
                pkgs.sorted().map(p -> p.resolve("lib")).filter(Files::isDirectory).forEach(out::add);
            } catch (IOException e) {
                // skip an unreadable installation
            }
        }
        return out;
    }

    /** {@code lib/python3.*\/site-packages} and {@code dist-packages} under a prefix's {@code lib}. */
    private static List<Path> pythonSites(Path lib) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(lib)) return out;
        try (Stream<Path> dirs = Files.list(lib)) {
            dirs.filter(d -> d.getFileName().toString().startsWith("python3")).sorted().forEach(d -> {
                out.add(d.resolve("site-packages"));
                out.add(d.resolve("dist-packages"));
            });
        } catch (IOException e) {
            // none
        }
        return out;
    }
}
