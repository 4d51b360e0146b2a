package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The virt board's generated DTB, decoded by Debian's {@code dtc}: the standard tool is the judge. */
class VirtDtbAgainstDtcTest {
    @Test
    void dtcDecodesTheBoardsTreeWithoutWarnings(@TempDir Path dir) throws Exception {
        requireDtc();
        Path blob = dir.resolve("virt.dtb");
        Files.write(blob, VirtDeviceTree.blob(128L << 20, Psci.Conduit.HVC));
        Path dts = dir.resolve("virt.dts");
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", "-o", dts.toString(), blob.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("dtc output: %s", log).isZero();
        assertThat(log).as("dtc warnings").isEmpty();
        String text = Files.readString(dts);
        assertThat(text)
                .contains("compatible = \"linux,dummy-virt\";")
                .contains("pl011@9000000 {")
                .contains("compatible = \"arm,pl011\\0arm,primecell\";")
                .contains("reg = <0x00 0x9000000 0x00 0x1000>;")
                .contains("memory@40000000 {")
                .contains("reg = <0x00 0x40000000 0x00 0x8000000>;")
                .contains("method = \"hvc\";")
                .contains("stdout-path = \"/pl011@9000000\";")
                .contains("clock-frequency = <0x16e3600>;")
                .contains("intc@8000000 {")
                .contains("interrupt-controller;")
                .contains("compatible = \"arm,cortex-a15-gic\";")
                .contains("reg = <0x00 0x8000000 0x00 0x10000 0x00 0x8010000 0x00 0x10000>;")
                .contains("interrupts = <0x00 0x01 0x04>;")
                .contains("interrupt-parent = <0x8001>;");
    }

    static void requireDtc() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "dtc"))) {
                found = true;
            }
        }
        if (!found) {
            if (System.getenv("CI") != null) {
                fail("dtc not found: .ci/run must install device-tree-compiler");
            }
            Assumptions.abort("dtc not found (apt-get install device-tree-compiler); skipped outside CI");
        }
    }
}
