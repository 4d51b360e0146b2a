package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BoardOptions#withDtbEdit}: the edits reach the blob the board hands to firmware, in order,
 * for a program in RAM and for firmware in flash ({@code --bios}, the blob U-Boot uses as its control
 * DTB), as {@code run --fit-key} needs.
 */
class DtbEditTest {
    private static FdtNode dtbInRam(Machine m) throws Exception {
        long base = 0x4000_0000L;
        int size = (int) Long.reverseBytes(m.bus().read(base + 4, 4, 0) << 32);
        byte[] blob = new byte[size];
        for (int i = 0; i < size; i++) {
            blob[i] = (byte) m.bus().read(base + i, 1, 0);
        }
        return Fdt.read(blob);
    }

    private static Machine machine(MachineConfig config, BoardOptions options) throws Exception {
        return Machine.create(config, options, new Console(CharBackend.of(new CaptureSink(), CharSource.none())));
    }

    @Test
    void editsReachTheBlobInOrderForARamProgramAndForFlashFirmware(@TempDir Path dir) throws Exception {
        BoardOptions options = BoardOptions.none()
                .withDtbEdit(root -> root.child("signature").child("key-dev").prop("required", "conf"))
                .withDtbEdit(root -> root.find("/signature/key-dev").orElseThrow().prop("algo", "sha256,rsa2048"));
        for (MachineConfig config : new MachineConfig[] {MachineConfig.of(TestImages.image("hello.elf")),
            TestImages.program(dir, 0, 0xEAFFFFFE)}) { // B . in flash, as --bios loads it
            FdtNode key = dtbInRam(machine(config, options)).find("/signature/key-dev").orElseThrow();
            assertThat(key.property("required").orElseThrow().asString()).isEqualTo("conf");
            assertThat(key.property("algo").orElseThrow().asString()).isEqualTo("sha256,rsa2048");
        }
        assertThat(dtbInRam(machine(MachineConfig.of(TestImages.image("hello.elf")), BoardOptions.none()))
                .find("/signature")).isEmpty();
    }
}
