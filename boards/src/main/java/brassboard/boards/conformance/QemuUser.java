package brassboard.boards.conformance;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs a harness executable under Debian's {@code qemu-arm} (qemu-user) and returns its stdout. */
public final class QemuUser {
    /** The CPU QEMU emulates: the same identity as Brassboard's core. */
    public static final String CPU = "cortex-a15";
    public static final String NOT_FOUND = "qemu-arm not found: install Debian's qemu-user";

    /** qemu-arm did not run the batch to its end: a signal, a non-zero exit, a timeout or a short dump. */
    public static final class QemuFailure extends Exception {
        private static final long serialVersionUID = 1L;

        QemuFailure(String message) {
            super(message);
        }
    }

    private final Path executable;
    private final long timeoutMillis;

    public QemuUser(Path executable, long timeoutMillis) {
        this.executable = executable;
        this.timeoutMillis = timeoutMillis;
    }

    /** {@code qemu-arm} on the PATH, or empty. */
    public static Optional<Path> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "qemu-arm");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public Path executable() {
        return executable;
    }

    /** Runs {@code elf} and returns what it wrote to stdout; it must exit with status 0. */
    public byte[] run(byte[] elf) throws QemuFailure, IOException {
        Path dir = Files.createTempDirectory("brassboard-conformance");
        try {
            Path image = dir.resolve("batch.elf");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Files.write(image, elf);
            // qemu-arm, like the kernel, only runs a file with execute permission
            if (!image.toFile().setExecutable(true, true)) {
                throw new IOException("cannot make " + image + " executable");
            }
            // The working directory is the temporary one, so a guest core dump lands there and is deleted.
            Process p = new ProcessBuilder(executable.toString(), "-cpu", CPU, image.toString())
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean done;
            try {
                done = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new QemuFailure("interrupted");
            }
            if (!done) {
                p.destroyForcibly();
                throw new QemuFailure("qemu-arm did not finish within " + timeoutMillis + " ms");
            }
            int status = p.exitValue();
            if (status != 0) {
                String msg = Files.readString(err, StandardCharsets.UTF_8).strip().replace('\n', ' ');
                throw new QemuFailure("qemu-arm exited with status " + status + (msg.isEmpty() ? "" : ": " + msg));
            }
            return Files.readAllBytes(out);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
