package brassboard.boards.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.conformance.QemuUser;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The loops' Linux executables under Debian's qemu-arm compute what Brassboard and the Java models compute. */
class GuestLoopQemuTest {
    static Path requireQemu() {
        Optional<Path> qemu = QemuUser.findOnPath();
        if (qemu.isEmpty()) {
            if (System.getenv("CI") != null) {
                fail("qemu-arm not found: .ci/run must install qemu-user");
            }
            Assumptions.abort("qemu-arm not installed (Debian's qemu-user); skipping");
        }
        return qemu.get();
    }

    @ParameterizedTest
    @EnumSource(GuestLoop.class)
    void qemuComputesTheSameResults(GuestLoop loop) throws BenchFailure {
        QemuLoopRunner qemu = new QemuLoopRunner(new QemuUser(requireQemu(), 60_000));
        long n = 1000;
        assertThat(qemu.results(loop, n)).as(loop.id()).containsExactly(GuestLoopTest.Models.expected(loop, n));
    }

    @Test
    void aTimedRunSubtractsStartUpAndCountsTheIterationsBeyondTheFirst() throws BenchFailure {
        AtomicLong now = new AtomicLong();
        // every clock read moves time on by 10 ms: a calibration run reads it twice (10 ms), so does the timed run
        QemuLoopRunner qemu = new QemuLoopRunner(new QemuUser(requireQemu(), 60_000), () -> now.getAndAdd(10_000_000));
        assertThat(qemu.startupNanos(GuestLoop.CRC32)).isEqualTo(10_000_000);
        LoopRun run = qemu.run(GuestLoop.CRC32, 300);
        assertThat(run.iterations()).isEqualTo(300);
        assertThat(run.instructions()).isEqualTo(299 * 22);
        assertThat(run.nanos()).isZero();
        assertThat(run.mips()).isNaN();
        assertThat(run.results()).containsExactly(GuestLoopTest.Models.crc32(300));
    }
}
