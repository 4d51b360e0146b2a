package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.conformance.QemuUser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code brassboard conformance a32}: usage errors, and a short run when qemu-arm is installed. */
class ConformanceCommandTest {
    @Test
    void anUnknownClassIsOneLineNamingTheKnownClasses() {
        CliTest.Outcome o = CliTest.brassboard("conformance", "a32", "--class", "vfp", "--count", "10").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--class vfp").contains("known classes: dataproc, multiply, status, branch, media");
    }

    @Test
    void aMissingQemuIsOneLineAndExitTwo() {
        CliTest.Outcome o = CliTest.brassboard("conformance", "a32", "--qemu", "/nonexistent/qemu-arm").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains(QemuUser.NOT_FOUND);
    }

    @Test
    void badCountsAreUsageErrors() {
        assertThat(CliTest.brassboard("conformance", "a32", "--count", "0").oneLineError().status()).isEqualTo(2);
        assertThat(CliTest.brassboard("conformance", "a32", "--batch", "0").oneLineError().status()).isEqualTo(2);
        assertThat(CliTest.brassboard("conformance").oneLineError().status()).isEqualTo(2);
    }

    @Test
    void helpSaysWhatATestCaseIs() {
        CliTest.Outcome o = CliTest.brassboard("conformance", "a32", "--help");
        assertThat(o.status()).isZero();
        assertThat(o.out()).contains("A test case is one initial state").contains("--count counts instructions");
    }

    @Test
    void aShortRunEndsWithTheSummaryLine() {
        Assumptions.assumeTrue(QemuUser.findOnPath().isPresent(), "qemu-arm not installed");
        CliTest.Outcome o = CliTest.brassboard("conformance", "a32", "--seed", "3", "--count", "300", "--class", "media");
        assertThat(o.out()).contains("300 instructions in ");
        String last = o.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).matches("\\d+ passed, \\d+ failed");
        assertThat(o.status()).as(o.out()).isEqualTo(last.endsWith(" 0 failed") ? 0 : 1);
    }

    @Test
    void theVfpSuiteRunsItsOwnClassesAndRejectsTheOthers() {
        CliTest.Outcome bad = CliTest.brassboard("conformance", "vfp", "--class", "media", "--count", "10").oneLineError();
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--class media: is not a class of this suite").contains("known classes: vfp, vfpldst, vfpxfer");
        if (QemuUser.findOnPath().isEmpty()) {
            Assumptions.assumeTrue(System.getenv("CI") == null, "qemu-arm not installed");
            throw new AssertionError("qemu-arm not found: .ci/run must install qemu-user");
        }
        CliTest.Outcome o = CliTest.brassboard("conformance", "vfp", "--seed", "5", "--count", "400");
        assertThat(o.out()).contains("400 instructions in ");
        assertThat(o.status()).as(o.out()).isZero();
        assertThat(o.out().strip().lines().reduce((a, b) -> b).orElseThrow()).endsWith(" 0 failed");
    }

    @Test
    void theNeonSuiteRunsAgainstQemu() {
        if (QemuUser.findOnPath().isEmpty()) {
            Assumptions.assumeTrue(System.getenv("CI") == null, "qemu-arm not installed");
            throw new AssertionError("qemu-arm not found: .ci/run must install qemu-user");
        }
        CliTest.Outcome o = CliTest.brassboard("conformance", "neon", "--seed", "6", "--count", "400", "--interpreter");
        assertThat(o.out()).contains("400 instructions in ");
        assertThat(o.status()).as(o.out()).isZero();
    }
}
