package brassboard.boards.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A small differential batch against Debian's qemu-arm: every class, 2,000 instructions. */
class ConformanceQemuTest {
    static Path requireQemu() {
        Optional<Path> qemu = QemuUser.findOnPath();
        if (qemu.isEmpty()) {
            if (System.getenv("CI") != null) {
                fail("qemu-arm not found: .ci/run must install qemu-user");
            }
            Assumptions.abort("qemu-arm not installed (Debian's qemu-user); skipping the differential test");
        }
        return qemu.get();
    }

    @Test
    void brassboardAgreesWithQemuOnAMixedBatch() {
        Differential d = new Differential(new QemuUser(requireQemu(), 120_000));
        StringWriter report = new StringWriter();
        Differential.Summary s = d.run(1, 2000, null, Differential.DEFAULT_BATCH, 10, new PrintWriter(report, true));
        assertThat(s.instructions()).isEqualTo(2000);
        assertThat(s.failed()).as("mismatches against qemu-arm:%n%s", report).isZero();
        assertThat(s.passed()).isEqualTo(s.cases());
    }

    @Test
    void aCaseQemuCannotRunIsIsolatedAndReported() {
        Differential d = new Differential(new QemuUser(requireQemu(), 120_000));
        var cases = new java.util.ArrayList<>(new A32Generator(9, "dataproc").generate(40));
        // UDF: qemu-arm dies of SIGILL; the batch is split until that case is alone
        TestCase bad = new TestCase(cases.size(), java.util.List.of(Insn.of(0xE7F0_00F0, "UDF")), cases.get(0).initial());
        cases.add(5, bad);
        var outcomes = d.runBatch(cases);
        assertThat(outcomes).hasSize(cases.size());
        assertThat(outcomes.stream().filter(Differential.Outcome::failed).map(Differential.Outcome::testCase)).containsExactly(bad);
        assertThat(outcomes.get(5).differences().get(0)).startsWith("qemu-arm: qemu-arm exited with status")
                .endsWith("brassboard: took an undefined exception at " + String.format("0x%08x", outcomes.get(5).address()));
    }
}
