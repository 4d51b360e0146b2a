package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --coremark} end to end: builds the port against EEMBC's CoreMark in
 * {@code ../shared/third-party/coremark} (beside the repository) with arm-none-eabi-gcc, runs 10
 * iterations on Brassboard as a new process (and on qemu-system-arm if installed), and checks
 * CoreMark's CRCs, the final one included (0xfcaf for 10 iterations of the 2K performance run, as
 * qemu-system-arm computes it). With {@code CI} set, a missing compiler, CoreMark tree or QEMU
 * fails instead of skipping. Times are printed, never asserted.
 */
class CoremarkBenchRunTest {
    static final Path COREMARK = Path.of("..", "..", "shared", "third-party", "coremark");

    private static void need(boolean present, String what) {
        if (!present) {
            if (System.getenv("CI") != null) {
                fail(what);
            }
            Assumptions.abort(what);
        }
    }

    @Test
    void buildsAndRunsCoremarkWithTheRightCrcs(@TempDir Path cache) {
        need(CoremarkBuild.notATree(COREMARK).isEmpty(), COREMARK.toAbsolutePath().normalize()
                + " is not a CoreMark tree: CI keeps ../shared/third-party/coremark beside the clone");
        need(CoremarkBuild.compiler(null).isPresent(), CoremarkBuild.COMPILER_MISSING);
        boolean qemu = BenchCommand.findOnPath("qemu-system-arm").isPresent();
        need(qemu || System.getenv("CI") == null, "qemu-system-arm not found: .ci/run must install qemu-system-arm");

        List<String> args = new ArrayList<>(List.of("bench", "--coremark", COREMARK.toString(), "--iterations", "10",
                "--build-dir", cache.toString()));
        if (qemu) {
            args.add("--vs-qemu");
        }
        CliTest.Outcome o = CliTest.brassboard(args.toArray(String[]::new));
        System.out.println(o.out());
        assertThat(o.status()).as("stderr: %s\nstdout: %s", o.err(), o.out()).isZero();
        String row = " +1 +10 +\\d{1,3}(,\\d{3})+ +\\d+\\.\\d{3} +\\d+\\.\\d +\\d+\\.\\d +(\\d+\\.\\d{3}|n/a)  CRCs ok, < 10 s$";
        assertThat(o.out()).containsPattern("(?m)^brassboard" + row);
        assertThat(o.out()).contains("  brassboard 1: crcfinal 0xfcaf; Iterations/Sec ");
        if (qemu) {
            // 10 iterations take QEMU a few milliseconds: on a loaded machine both timing lines can
            // reach the pipe in one read, and the bench must then say so rather than print a time.
            String untimed = " +1 +10 +\\d{1,3}(,\\d{3})+ +n/a +n/a +n/a +n/a  CRCs ok, < 10 s$";
            if (o.out().contains("n/a seconds (qemu run 1): both timing lines reached the console pipe in one read")) {
                assertThat(o.out()).containsPattern("(?m)^qemu" + untimed);
            } else {
                assertThat(o.out()).containsPattern("(?m)^qemu" + row);
            }
            assertThat(o.out()).contains("  qemu       1: crcfinal 0xfcaf; Iterations/Sec ");
        }
        try (var built = Files.list(cache)) {
            assertThat(built.filter(d -> Files.isRegularFile(d.resolve(CoremarkBuild.IMAGE)))).hasSize(1);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        // The same in Thumb-2 (T32): other instructions, the same CRCs.
        CliTest.Outcome t = CliTest.brassboard("bench", "--coremark", COREMARK.toString(), "--iterations", "10", "--thumb",
                "--build-dir", cache.toString());
        System.out.println(t.out());
        assertThat(t.status()).as("stderr: %s\nstdout: %s", t.err(), t.out()).isZero();
        assertThat(t.out()).contains(", T32, -O2 -mcpu=cortex-a15 -mthumb ").containsPattern("(?m)^brassboard" + row)
                .contains("  brassboard 1: crcfinal 0xfcaf; ");
    }
}
