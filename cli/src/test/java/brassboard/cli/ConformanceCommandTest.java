package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.conformance.QemuUser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code brassboard conformance a32 / t32 / vfp / neon}: usage errors, and short runs when qemu-arm is installed. */
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
    void everySuiteIsASubcommandOfOneCommandAndNamesOnlyItsOwnClasses() {
        assertThat(CliTest.brassboard("conformance", "--help").out()).contains("a32", "t32", "vfp", "neon");
        assertThat(CliTest.brassboard("conformance").oneLineError().err()).contains("'a32', 't32', 'vfp' or 'neon'");
        CliTest.Outcome neon = CliTest.brassboard("conformance", "neon", "--class", "vfp", "--count", "10").oneLineError();
        assertThat(neon.status()).isEqualTo(2);
        assertThat(neon.err()).contains("--class vfp: is not a class of this suite").doesNotContain("dataproc");
        CliTest.Outcome t32 = CliTest.brassboard("conformance", "t32", "--class", "vfp", "--count", "10").oneLineError();
        assertThat(t32.err()).contains("--class vfp: is not an instruction class").contains("known classes: dataproc");
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
    void t32NamesItsOwnClassesAndWhyAGroupIsNotTested() {
        CliTest.Outcome o = CliTest.brassboard("conformance", "t32", "--class", "coproc", "--count", "10").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--class coproc: is not tested").contains("known classes: dataproc");
        assertThat(CliTest.brassboard("conformance", "t32", "--count", "0").oneLineError().status()).isEqualTo(2);
        assertThat(CliTest.brassboard("conformance", "t32", "--help").out()).contains("IT blocks included");
    }

    @Test
    void aShortT32RunPassesAgainstQemu() {
        if (QemuUser.findOnPath().isEmpty()) {
            if (System.getenv("CI") != null) {
                org.junit.jupiter.api.Assertions.fail("qemu-arm not found: .ci/run must install qemu-user");
            }
            Assumptions.abort("qemu-arm not installed");
        }
        CliTest.Outcome o = CliTest.brassboard("conformance", "t32", "--seed", "4", "--count", "500");
        assertThat(o.out()).contains("500 instructions in ");
        assertThat(o.out().strip().lines().reduce((a, b) -> b).orElseThrow()).matches("\\d+ passed, 0 failed");
        assertThat(o.status()).as(o.out()).isZero();
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
