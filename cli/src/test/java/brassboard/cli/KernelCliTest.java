package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --kernel/--initrd/--append/--dtb} and {@code image initramfs} from the command line. */
class KernelCliTest {
    /** A zImage-shaped kernel that prints 'K' on the PL011 and powers off (PSCI SYSTEM_OFF). */
    private static Path kernel(Path dir) throws Exception {
        int[] w = {
            0xE1A00000, 0xE1A00000, 0xE1A00000, 0xE1A00000, 0xE1A00000, 0xE1A00000, 0xE1A00000, 0xE1A00000,
            0xEA000006, 0x016F2818, 0, 0x60, 0x04030201, 0, 0, 0,
            0xE3003000, 0xE3403900, // r3 = UART0
            0xE3A0604B, 0xE5836000, // 'K'
            0xE3A0600A, 0xE5836000, // '\n'
            0xE3000008, 0xE3480400, 0xE1400070, // PSCI SYSTEM_OFF
        };
        ByteBuffer b = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return Files.write(dir.resolve("zImage"), b.array());
    }

    @Test
    void aKernelBootsWithAnInitramfsTheCliBuilt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("init"), "#!/bin/sh\n");
        Path list = Files.writeString(dir.resolve("list"), "dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\nfile /init init 0755 0 0\n");
        Path cpio = dir.resolve("initrd.cpio");
        CliTest.Outcome made = brassboard("image", "initramfs", list.toString(), "-o", cpio.toString());
        assertThat(made.status()).as(made.err()).isZero();
        assertThat(new String(Files.readAllBytes(cpio), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("070701");
        CliTest.Outcome o = brassboard("run", "--kernel", kernel(dir).toString(), "--initrd", cpio.toString(), "--append", "console=ttyAMA0",
                "--max-time", "1s");
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).isEqualTo("K\n");
    }

    @Test
    void linuxFlagsNeedAKernelAndOneImageOnly(@TempDir Path dir) throws Exception {
        Path k = kernel(dir);
        assertThat(brassboard("run", "--initrd", k.toString(), k.toString()).oneLineError().err())
                .contains("--initrd applies to a Linux boot: it needs --kernel FILE");
        assertThat(brassboard("run", "--append", "quiet", k.toString()).oneLineError().err()).contains("--append applies to a Linux boot");
        assertThat(brassboard("run", "--kernel", k.toString(), k.toString()).oneLineError().err()).contains("expected one firmware image, not both");
        assertThat(brassboard("run", "--kernel", k.toString(), "--load-addr", "0x40000000").oneLineError().err())
                .contains("--load-addr does not apply to --kernel");
    }

    @Test
    void badKernelInitrdAppendAndDtbAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path k = kernel(dir);
        Path text = Files.writeString(dir.resolve("notes.txt"), "this is not a kernel image, it is a text file\n".repeat(3));
        assertThat(brassboard("run", "--kernel", text.toString()).oneLineError().err())
                .contains("--kernel " + text + ": not a zImage");
        assertThat(brassboard("run", "--kernel", k.toString(), "--initrd", dir.resolve("gone").toString()).oneLineError().err())
                .contains("--initrd " + dir.resolve("gone") + ": no such file");
        assertThat(brassboard("run", "--kernel", k.toString(), "--append", "a".repeat(2000)).oneLineError().err())
                .contains("--append: the command line is 2000 characters");
        assertThat(brassboard("run", "--kernel", k.toString(), "--dtb", text.toString()).oneLineError().err())
                .contains("--dtb " + text + ": not a valid device tree blob");
        Path badList = Files.writeString(dir.resolve("list"), "file /init missing 0755 0 0\n");
        assertThat(brassboard("image", "initramfs", badList.toString(), "-o", dir.resolve("x").toString()).oneLineError().err())
                .contains("list:1: source file");
    }
}
