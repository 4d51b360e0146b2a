package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.api.SpiAttachment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boards built from files: memories with their files, flash banks' files, and command-line devices that have no place. */
class BoardBuilderTest {
    @Test
    void aSmallBoardFileRunsVirtLinkedFirmwareWithItsRomLoaded(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("boot.bin"), new byte[] {0x11, 0x22, 0x33, 0x44});
        Path board = Files.writeString(dir.resolve("tiny.yaml"), BoardReaderTest.BASE.replace(
                "- {name: ram, type: ram, base: 0x40000000}",
                "- {name: ram, type: ram, base: 0x40000000, max: 64M}\n  - {name: boot, type: rom, base: 0x0, file: boot.bin}")
                + "  - {name: psci, type: psci}\n"
                + "  - {name: nor, type: cfi-flash, base: 0x04000000, size: 64M, banks: 2, files: ['-', env.img]}\n");
        TestImages.Rig rig = TestImages.rig(MachineConfig.of(TestImages.image("hello.elf")).withBoard(board.toString()).withRam(32L << 20), null);
        assertThat(rig.machine().bus().read(0, 4, 0)).isEqualTo(0x4433_2211L);
        assertThat(Files.size(dir.resolve("env.img"))).as("bank 1's file, created erased").isEqualTo(32L << 20);
        RunResult r = rig.machine().run(RunLimits.none().withMaxTimeNs(1_000_000_000L));
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(rig.text()).contains("Brassboard hello");
        assertThat(rig.machine().describe()).startsWith("tiny board, 32 MiB RAM:").contains("ROM   boot").contains("FLASH nor1");
        assertThatThrownBy(() -> TestImages.rig(MachineConfig.of(TestImages.image("hello.elf")).withBoard(board.toString())
                .withRam(128L << 20), null)).isInstanceOf(ConfigException.class)
                .hasMessage("RAM size 134217728 bytes is not supported by the tiny board; expected a multiple of 4 KiB between 1M and 64M");
        assertThatThrownBy(() -> TestImages.rig(MachineConfig.of(TestImages.image("hello.elf")).withBoard(board.toString())
                .withRam(32L << 20).withCpus(9), null)).isInstanceOf(ConfigException.class)
                .hasMessage("the tiny board has 1 to 8 CPUs, not 9");
    }

    @Test
    void aCommandLineDeviceWithNoPlaceOnTheBoardIsRefused(@TempDir Path dir) throws Exception {
        Path nor = Files.write(dir.resolve("nor.bin"), new byte[1 << 20]);
        BoardOptions options = BoardOptions.none().withSpiFlash(new SpiAttachment(nor, false, OptionalLong.empty()));
        assertThatThrownBy(() -> brassboard.boards.api.Machine.create(
                MachineConfig.of(TestImages.image("soc-hello.elf")).withBoard(ExampleSocTest.BOARD.toString()), options,
                new brassboard.boards.api.Console(brassboard.devices.api.CharBackend.of(b -> { }, brassboard.devices.api.CharSource.none()))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--spi-flash: board example-soc (" + ExampleSocTest.BOARD + ") has no place for it;"
                        + " expected a device with 'when: spi-flash' in the board file");
    }
}
