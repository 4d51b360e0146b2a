package brassboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds Brassboard's own CoreMark port ({@code firmware/coremark/}, packed into the jar) against
 * EEMBC's CoreMark sources in a directory, with {@code arm-none-eabi-gcc}, into a cache directory
 * keyed by everything that goes into the image (both sets of sources, the flags, the iteration
 * count, the compiler), so a second bench with the same inputs reuses the ELF.
 */
final class CoremarkBuild {
    /** The files of EEMBC's CoreMark tree the build compiles; a directory without them is not one. */
    static final List<String> COREMARK_FILES = List.of("coremark.h", "core_main.c", "core_list_join.c", "core_matrix.c",
            "core_state.c", "core_util.c");
    /** The port's files (resources under {@code brassboard/cli/coremark/}, from {@code firmware/coremark/}). */
    static final List<String> PORT_FILES = List.of("core_portme.h", "core_portme.c", "ee_printf.c", "start.S", "coremark.ld");
    static final String COMPILER = "arm-none-eabi-gcc";
    static final String COMPILER_MISSING = COMPILER + " not found on the PATH (Debian: apt-get install gcc-arm-none-eabi)";
    /** The most iterations: CoreMark's 32-bit tick count at 62.5 MHz must not wrap (about 68 s) on either emulator. */
    static final long MAX_ITERATIONS = 100_000;
    /** The image's name in its build directory. */
    static final String IMAGE = "coremark.elf";

    private CoremarkBuild() {
    }

    /** The flags CoreMark is compiled with, and reports as its "Compiler flags". */
    static List<String> flags(boolean thumb) {
        return List.of("-O2", "-mcpu=cortex-a15", thumb ? "-mthumb" : "-marm", "-mfloat-abi=soft", "-mno-unaligned-access");
    }

    /** Why {@code dir} is not a CoreMark source tree, in one line; empty if it is one. */
    static Optional<String> notATree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.of(dir + ": no such directory (expected EEMBC's CoreMark sources, e.g. ../shared/third-party/coremark)");
        }
        List<String> missing = COREMARK_FILES.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            return Optional.of(dir + ": not a CoreMark source tree: " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " missing (expected EEMBC's coremark repository: " + String.join(", ", COREMARK_FILES) + ")");
        }
        return Optional.empty();
    }

    /** The compiler: {@code cc} if given (it must be an executable file), else {@value #COMPILER} on the PATH. */
    static Optional<Path> compiler(Path cc) {
        if (cc != null) {
            return Optional.of(cc).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p));
        }
        return BenchCommand.findOnPath(COMPILER);
    }

    /** The default cache: {@code $XDG_CACHE_HOME/brassboard/coremark}, else {@code ~/.cache/brassboard/coremark}. */
    static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("brassboard").resolve("coremark");
    }

    /** A failed build: the compiler's first error line, and where its whole output is. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** The gcc command line that builds the image in {@code out} from the port in {@code port} and CoreMark in {@code tree}. */
    static List<String> command(Path compiler, Path port, Path tree, long iterations, boolean thumb, Path out) {
        List<String> flags = flags(thumb);
        List<String> c = new ArrayList<>();
        c.add(compiler.toString());
        c.addAll(flags);
        c.add("-DITERATIONS=" + iterations);
        c.add("-DFLAGS_STR=\"" + String.join(" ", flags) + "\"");
        c.addAll(List.of("-I", port.toString(), "-I", tree.toString(),
                "-nostdlib", "-nostartfiles", "-static", "-T", port.resolve("coremark.ld").toString(),
                "-Wl,--build-id=none", "-Wl,-z,max-page-size=0x1000", "-Wl,--no-warn-rwx-segments"));
        for (String f : PORT_FILES) {
            if (f.endsWith(".c") || f.endsWith(".S")) {
                c.add(port.resolve(f).toString());
            }
        }
        for (String f : COREMARK_FILES) {
            if (f.endsWith(".c")) {
                c.add(tree.resolve(f).toString());
            }
        }
        c.addAll(List.of("-lgcc", "-o", out.toString()));
        return c;
    }

    /**
     * The image for ({@code tree}, {@code iterations}, {@code thumb}): from the cache under
     * {@code cache} if it was built before, else built now.
     */
    static Path build(Path tree, long iterations, boolean thumb, Path compiler, Path cache) throws Failure, IOException, InterruptedException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<byte[]> port = new ArrayList<>();
        for (String f : PORT_FILES) {
            byte[] text = portFile(f);
            port.add(text);
            digest(sha, "port/" + f, text);
        }
        for (String f : COREMARK_FILES) {
            digest(sha, "coremark/" + f, Files.readAllBytes(tree.resolve(f)));
        }
        digest(sha, "flags", String.join(" ", flags(thumb)).getBytes(StandardCharsets.UTF_8));
        digest(sha, "iterations", Long.toString(iterations).getBytes(StandardCharsets.UTF_8));
        digest(sha, "compiler", (compiler.toAbsolutePath() + " " + Files.size(compiler) + " " + Files.getLastModifiedTime(compiler))
                .getBytes(StandardCharsets.UTF_8));
        String key = HexFormat.of().formatHex(sha.digest()).substring(0, 20);
        Path done = cache.resolve(key);
        if (Files.isRegularFile(done.resolve(IMAGE))) {
            return done.resolve(IMAGE);
        }
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, key + ".building-");
        try {
            Path src = Files.createDirectories(work.resolve("port"));
            for (int i = 0; i < PORT_FILES.size(); i++) {
                Files.write(src.resolve(PORT_FILES.get(i)), port.get(i));
            }
            Path log = work.resolve("gcc.log");
            List<String> command = command(compiler, src, tree.toAbsolutePath(), iterations, thumb, work.resolve(IMAGE));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failure(compiler + " did not finish within 300 s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(work.resolve(IMAGE))) {
                Path kept = cache.resolve(key + ".failed.log");
                Files.move(log, kept, StandardCopyOption.REPLACE_EXISTING);
                throw new Failure("building CoreMark failed (" + compiler.getFileName() + " exit status " + p.exitValue() + "): "
                        + firstError(Files.readString(kept, StandardCharsets.ISO_8859_1)) + " (whole output: " + kept + ")");
            }
            Files.writeString(work.resolve("command.txt"), String.join(" ", command) + "\n");
            try {
                Files.move(work, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
                // another bench built the same image meanwhile: use that one
            }
            return done.resolve(IMAGE);
        } finally {
            deleteTree(work);
        }
    }

    /** The first line of a compiler's output that says "error", else its first line. */
    static String firstError(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.stream().filter(l -> l.contains("error")).findFirst()
                .orElse(lines.isEmpty() ? "no output" : lines.get(0));
    }

    /** A port file's bytes, from the jar (or target/classes). */
    static byte[] portFile(String name) throws IOException {
        try (InputStream in = CoremarkBuild.class.getResourceAsStream("coremark/" + name)) {
            if (in == null) {
                throw new IOException("the CoreMark port's " + name + " is not in the brassboard jar (rebuild it: mvn -B package)");
            }
            return in.readAllBytes();
        }
    }

    private static void digest(MessageDigest sha, String name, byte[] bytes) {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
