package brassboard.boards.gdb;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's gdb-multiarch driven in batch mode: missing, the test is skipped, unless CI is set (then it fails). */
public final class GdbMultiarch {
    private GdbMultiarch() {
    }

    /** The gdb-multiarch on PATH. */
    public static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "gdb-multiarch");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (System.getenv("CI") != null) {
            fail("gdb-multiarch not found: .ci/run must install gdb-multiarch");
        }
        Assumptions.abort("gdb-multiarch not found (apt-get install gdb-multiarch); skipped outside CI");
        return null;
    }

    /**
     * Runs {@code gdb-multiarch -batch} connected to {@code port}, with {@code file} as its program
     * (or none) and each of {@code commands} as an {@code -ex}; its output (stdout and stderr).
     */
    public static String batch(Path gdb, int port, Path file, List<String> commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(gdb.toString(), "-batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off",
                "-ex", "set architecture arm", "-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        if (file != null) {
            cmd.add(file.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gdb-multiarch did not finish within 120 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
