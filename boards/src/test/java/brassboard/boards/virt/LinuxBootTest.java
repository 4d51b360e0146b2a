package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtBlob;
import brassboard.firmware.fdt.FdtNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kernel/--initrd/--append/--dtb}: where things go, what the kernel is handed, and bad input. */
class LinuxBootTest {
    /**
     * A zImage-shaped kernel: head.S's NOPs, branch and magic, then code that prints 'Y' if r2 points
     * at a device tree, '1' if r1 is ~0 (no machine type), and powers off through PSCI.
     */
    static byte[] kernel() {
        int[] w = new int[40];
        for (int i = 0; i < 8; i++) {
            w[i] = 0xE1A00000; // mov r0, r0
        }
        w[8] = 0xEA000006; // b 0x40
        w[9] = 0x016F2818; // zImage magic
        w[10] = 0;
        w[11] = w.length * 4;
        w[12] = 0x04030201;
        int[] code = {
            0xE3003000, 0xE3403900, // movw/movt r3, #0x09000000 (UART0)
            0xE5924000, // ldr r4, [r2]
            0xE3005DD0, 0xE34E5DFE, // r5 = 0xedfe0dd0: FDT magic as a little-endian word
            0xE1540005, // cmp r4, r5
            0x03A06059, 0x13A0604E, // moveq r6, 'Y'; movne r6, 'N'
            0xE5836000, // str r6, [r3]
            0xE3710001, // cmn r1, #1
            0x03A06031, 0x13A06078, // moveq r6, '1'; movne r6, 'x'
            0xE5836000,
            0xE3A0600A, 0xE5836000, // '\n'
            0xE3000008, 0xE3480400, 0xE1400070, // r0 = PSCI SYSTEM_OFF; hvc #0
            0xEAFFFFFE,
        };
        System.arraycopy(code, 0, w, 16, code.length);
        ByteBuffer b = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return b.array();
    }

    private record Booted(Machine machine, CaptureSink out) {
    }

    private static Booted boot(Path dir, KernelBoot boot, long ram, long seed) throws Exception {
        Path k = Files.write(dir.resolve("zImage"), kernel());
        MachineConfig config = MachineConfig.of(k).withRam(ram).withSeed(seed);
        CaptureSink out = new CaptureSink();
        Machine m = Machine.create(config, BoardOptions.none().withKernel(boot), new Console(CharBackend.of(out, CharSource.none())));
        return new Booted(m, out);
    }

    private static byte[] memory(Machine m, long at, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) m.bus().read(at + i, 1, 0);
        }
        return b;
    }

    private static FdtBlob dtb(Machine m) throws Exception {
        long at = m.cpu().reg(2) & 0xFFFF_FFFFL;
        int total = ByteBuffer.wrap(memory(m, at + 4, 4)).getInt();
        return Fdt.readBlob(memory(m, at, total));
    }

    private static long cells64(FdtNode chosen, String name) {
        return ByteBuffer.wrap(chosen.property(name).orElseThrow().value()).getLong();
    }

    @Test
    void kernelInitrdAndTreeGoWhereQemuPutsThem(@TempDir Path dir) throws Exception {
        byte[] initrd = new byte[10_000];
        initrd[0] = '0';
        initrd[9_999] = 'z';
        Path rd = Files.write(dir.resolve("initrd"), initrd);
        Booted b = boot(dir, KernelBoot.plain().withInitrd(rd).withAppend("console=ttyAMA0 root=/dev/ram"), 128L << 20, 0);
        Machine m = b.machine();
        assertThat(m.cpu().pc()).isEqualTo(0x4001_0000);
        assertThat(memory(m, 0x4001_0000L, 64)).isEqualTo(java.util.Arrays.copyOf(kernel(), 64));
        // initrd at RAM + min(RAM / 2, 128 MiB); the tree on the next 4 KiB boundary after it
        assertThat(memory(m, 0x4400_0000L, initrd.length)).isEqualTo(initrd);
        assertThat(m.cpu().reg(0)).isZero();
        assertThat(m.cpu().reg(1)).isEqualTo(0xFFFF_FFFF);
        assertThat(m.cpu().reg(2)).isEqualTo(0x4400_3000);
        FdtBlob blob = dtb(m);
        FdtNode chosen = blob.root().find("/chosen").orElseThrow();
        assertThat(chosen.property("bootargs").orElseThrow().asString()).isEqualTo("console=ttyAMA0 root=/dev/ram");
        assertThat(cells64(chosen, "linux,initrd-start")).isEqualTo(0x4400_0000L);
        assertThat(cells64(chosen, "linux,initrd-end")).isEqualTo(0x4400_0000L + initrd.length);
        assertThat(chosen.property("rng-seed").orElseThrow().length()).isEqualTo(32);
        assertThat(chosen.property("stdout-path").orElseThrow().asString()).isEqualTo("/pl011@9000000");
        assertThat(ByteBuffer.wrap(memory(m, 0x4400_3004L, 4)).getInt()).as("totalsize: QEMU's 1 MiB, room to grow").isEqualTo(1 << 20);

        RunResult r = m.run(RunLimits.none());
        assertThat(b.out().text()).isEqualTo("Y1\n");
        assertThat(r.message()).contains("SYSTEM_OFF");
    }

    @Test
    void initrdMovesUpToClearAKernelAndTheSeedDrivesTheRngSeed(@TempDir Path dir) throws Exception {
        Path rd = Files.write(dir.resolve("initrd"), new byte[100]);
        // 16 MiB RAM: RAM / 2 = 8 MiB
        Booted small = boot(dir, KernelBoot.plain().withInitrd(rd), 16L << 20, 7);
        assertThat(cells64(dtb(small.machine()).root().find("/chosen").orElseThrow(), "linux,initrd-start")).isEqualTo(0x4080_0000L);
        byte[] seed7 = dtb(small.machine()).root().find("/chosen").orElseThrow().property("rng-seed").orElseThrow().value();
        byte[] again = dtb(boot(dir, KernelBoot.plain().withInitrd(rd), 16L << 20, 7).machine()).root().find("/chosen").orElseThrow()
                .property("rng-seed").orElseThrow().value();
        byte[] seed8 = dtb(boot(dir, KernelBoot.plain().withInitrd(rd), 16L << 20, 8).machine()).root().find("/chosen").orElseThrow()
                .property("rng-seed").orElseThrow().value();
        assertThat(again).isEqualTo(seed7);
        assertThat(seed8).isNotEqualTo(seed7);
        Booted none = boot(dir, KernelBoot.plain(), 128L << 20, 0);
        FdtNode chosen = dtb(none.machine()).root().find("/chosen").orElseThrow();
        assertThat(chosen.property("bootargs")).as("no --append, no bootargs (as QEMU)").isEmpty();
        assertThat(chosen.property("linux,initrd-start")).isEmpty();
        assertThat(none.machine().cpu().reg(2)).isEqualTo(0x4400_0000);
    }

    @Test
    void aUserTreeGetsTheBoardsMemoryAndChosen(@TempDir Path dir) throws Exception {
        FdtNode root = FdtNode.root().prop("#address-cells", 1).prop("#size-cells", 1).prop("compatible", "example,board");
        root.child("memory@80000000").prop("device_type", "memory").propCells("reg", 0x8000_0000, 0x1000_0000);
        Path file = Files.write(dir.resolve("user.dtb"), Fdt.write(root, java.util.List.of(), 0));
        Path rd = Files.write(dir.resolve("initrd"), new byte[16]);
        Booted b = boot(dir, KernelBoot.plain().withDtb(file).withInitrd(rd).withAppend("quiet"), 128L << 20, 0);
        FdtNode got = dtb(b.machine()).root();
        assertThat(got.property("compatible").orElseThrow().asString()).isEqualTo("example,board");
        assertThat(got.find("/memory@80000000").orElseThrow().property("reg").orElseThrow().asCells())
                .containsExactly(0x4000_0000L, 0x0800_0000L);
        FdtNode chosen = got.find("/chosen").orElseThrow();
        assertThat(chosen.property("bootargs").orElseThrow().asString()).isEqualTo("quiet");
        assertThat(chosen.property("linux,initrd-start").orElseThrow().asCells()).as("one cell: #address-cells 1").containsExactly(0x4400_0000L);
        assertThat(chosen.property("rng-seed")).as("a user tree is not given QEMU virt's randomness").isEmpty();
    }

    @Test
    void badInputIsOneLineNamingTheFlag(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big"), new byte[9 << 20]);
        assertThatThrownBy(() -> boot(dir, KernelBoot.plain().withInitrd(big), 16L << 20, 0))
                .isInstanceOf(ImageException.class).hasMessageStartingWith("--initrd " + big + ": 9437184 bytes do not fit in RAM after the kernel");
        assertThatThrownBy(() -> boot(dir, KernelBoot.plain().withAppend("x".repeat(1024)), 128L << 20, 0))
                .hasMessage("--append: the command line is 1024 characters; the kernel takes at most 1023 (ARM's COMMAND_LINE_SIZE)");
        Path junk = Files.write(dir.resolve("junk.dtb"), "not a tree".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> boot(dir, KernelBoot.plain().withDtb(junk), 128L << 20, 0))
                .hasMessageStartingWith("--dtb " + junk + ": not a valid device tree blob");
        assertThatThrownBy(() -> boot(dir, KernelBoot.plain().withDtb(dir.resolve("none.dtb")), 128L << 20, 0))
                .hasMessageContaining("no such file");
    }
}
