package brassboard.firmware.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsTest {
    private static Path list(Path dir, String text) throws Exception {
        Files.writeString(dir.resolve("init.sh"), "#!/bin/sh\necho hi\n");
        return Files.writeString(dir.resolve("list.txt"), text);
    }

    private static final String LIST = """
            # a minimal root
            dir /dev 0755 0 0
            nod /dev/console 0600 0 0 c 5 1
            dir /bin 0755 0 0
            file /init init.sh 0755 0 0
            slink /bin/sh /init 0777 0 0
            """;

    @Test
    void newcHeadersCarryModeDeviceAndZeroTimes(@TempDir Path dir) throws Exception {
        byte[] a = Initramfs.build(list(dir, LIST));
        String s = new String(a, StandardCharsets.US_ASCII);
        assertThat(s).startsWith("070701");
        // the console node: mode 020600, rdev 5:1 (fields 2 and 12-13 of the newc header, 8 hex digits each)
        int at = s.indexOf("dev/console") - 110;
        assertThat(s.substring(at + 14, at + 22)).isEqualTo("00002180");
        assertThat(s.substring(at + 46, at + 54)).as("mtime").isEqualTo("00000000");
        assertThat(s.substring(at + 78, at + 86)).as("rdevmajor").isEqualTo("00000005");
        assertThat(s.substring(at + 86, at + 94)).as("rdevminor").isEqualTo("00000001");
        assertThat(s).contains("TRAILER!!!").contains("echo hi");
        assertThat(Initramfs.build(list(dir, LIST))).as("same list, same bytes").isEqualTo(a);
    }

    @Test
    void debianCpioListsWhatWasPut(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/cpio"))) {
            if (System.getenv("CI") != null) {
                fail("cpio not found: .ci/run must install cpio");
            }
            Assumptions.abort("cpio not installed; skipped outside CI");
        }
        Path archive = Files.write(dir.resolve("initrd.cpio"), Initramfs.build(list(dir, LIST)));
        Process p = new ProcessBuilder("cpio", "-itv", "--quiet", "-F", archive.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).containsPattern("crw-------\\s+1 root\\s+root\\s+5,\\s+1 .* dev/console")
                .containsPattern("lrwxrwxrwx .* bin/sh -> /init")
                .containsPattern("-rwxr-xr-x .* init");
    }

    @Test
    void badListsNameFileLineAndField(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Initramfs.build(list(dir, "fil /init init.sh 0755 0 0\n")))
                .hasMessageEndingWith("list.txt:1: unknown entry type 'fil'; expected dir, file, nod or slink");
        assertThatThrownBy(() -> Initramfs.build(list(dir, "dir /dev 0755 0\n")))
                .hasMessageContaining("list.txt:1: 'dir' takes 4 fields, found 3 (dir NAME MODE UID GID)");
        assertThatThrownBy(() -> Initramfs.build(list(dir, "\nfile /init nothere 0755 0 0\n")))
                .hasMessageContaining("list.txt:2: source file").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Initramfs.build(list(dir, "dir /dev 0855 0 0\n"))).hasMessageContaining("mode '0855' is not a valid octal mode");
        assertThatThrownBy(() -> Initramfs.build(list(dir, "nod /dev/x 0600 0 0 d 1 1\n"))).hasMessageContaining("device type 'd'");
        assertThatThrownBy(() -> Initramfs.build(list(dir, "dir dev 0755 0 0\n"))).hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> Initramfs.build(list(dir, "# nothing\n"))).hasMessageContaining("no entries");
        assertThatThrownBy(() -> Initramfs.build(dir.resolve("missing.txt"))).hasMessageContaining("no such file");
    }
}
