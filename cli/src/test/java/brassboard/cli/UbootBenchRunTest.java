package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --uboot} end to end on Debian's U-Boot (thirdparty group: needs
 * {@code firmware/third-party/fetch.sh} and qemu-system-arm; with {@code CI} set, missing either
 * fails): both emulators run as new processes, reach the prompt, run the script and power off.
 * Times are printed, never asserted.
 */
@Tag("thirdparty")
class UbootBenchRunTest {
    private static String need(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            String message = p.toAbsolutePath().normalize() + " is missing: " + what;
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return p.toString();
    }

    @Test
    void brassboardAndQemuBothReachThePromptAndPowerOff() {
        String image = need(Path.of("..", "firmware", "third-party", "cache", "u-boot.bin"),
                "run `bash firmware/third-party/fetch.sh` first");
        need(Path.of("/usr/bin/qemu-system-arm"), "apt-get install qemu-system-arm");
        CliTest.Outcome o = CliTest.brassboard("bench", "--uboot", image, "--vs-qemu", "--runs", "1");
        System.out.println(o.out());
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).containsPattern("(?m)^brassboard +1 +\\d+\\.\\d\\d +\\d+\\.\\d\\d  ok$");
        assertThat(o.out()).containsPattern("(?m)^qemu +1 +\\d+\\.\\d\\d +\\d+\\.\\d\\d  ok$");
    }

    @Test
    void theUsbBenchLoadsTheSixteenMibFileOnBothAndChecksItsCrc() {
        String image = need(Path.of("..", "firmware", "third-party", "cache", "u-boot.bin"),
                "run `bash firmware/third-party/fetch.sh` first");
        need(Path.of("/usr/bin/qemu-system-arm"), "apt-get install qemu-system-arm");
        need(Path.of("/sbin/mkfs.vfat"), "apt-get install dosfstools");
        need(Path.of("/usr/bin/mcopy"), "apt-get install mtools");
        CliTest.Outcome o = CliTest.brassboard("bench", "--uboot", image, "--usb", "--vs-qemu");
        System.out.println(o.out());
        assertThat(o.status()).as("stderr: %s\nstdout: %s", o.err(), o.out()).isZero();
        String row = " +1 +\\d+\\.\\d\\d +\\d+\\.\\d\\d +\\d+\\.\\d\\d +\\d+\\.\\d\\d  \\d+ ms \\([\\d.]+ MiB/s\\) +ok$";
        assertThat(o.out()).containsPattern("(?m)^brassboard" + row);
        assertThat(o.out()).containsPattern("(?m)^qemu" + row);
    }
}
