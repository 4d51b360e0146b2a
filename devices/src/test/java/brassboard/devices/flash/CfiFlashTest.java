package brassboard.devices.flash;

import static brassboard.devices.flash.CfiFlash.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command-level tests of the CFI flash in QEMU virt's configuration (two x16 devices on a 32-bit
 * bus), with commands written as U-Boot's cfi_flash driver writes them: replicated per device.
 */
class CfiFlashTest {
    private static final int SECTOR = 256 << 10;
    private final Tracer tracer = new Tracer(new Scheduler());
    private final List<String> warnings = new ArrayList<>();
    private final CfiFlash flash = new CfiFlash("flash1", Geometry.virt(), tracer);

    CfiFlashTest() {
        tracer.setWarningListener(warnings::add);
    }

    /** A command as a 32-bit bus writes it to two x16 devices. */
    private void command(long offset, int c) {
        flash.write(offset, 4, (long) c << 16 | c);
    }

    private long read(long offset) {
        return flash.read(offset, 4);
    }

    @Test
    void readArrayIsLittleEndianInEveryWidth() {
        flash.load(0x100, new byte[] {0x11, 0x22, 0x33, 0x44});
        assertThat(read(0x100)).isEqualTo(0x4433_2211L);
        assertThat(flash.read(0x102, 2)).isEqualTo(0x4433L);
        assertThat(flash.read(0x101, 1)).isEqualTo(0x22L);
        assertThat(flash.inReadArrayMode()).isTrue();
    }

    @Test
    void readStatusReplicatesTheReadyBitPerDevice() {
        command(0, CMD_READ_STATUS);
        assertThat(read(0x1234)).isEqualTo(0x0080_0080L);
        assertThat(flash.read(0, 2)).isEqualTo(0x80L);
        assertThat(flash.read(0, 1)).isEqualTo(0x80L);
        command(0, CMD_READ_ARRAY);
        assertThat(read(0)).isZero();
    }

    @Test
    void clearStatusClearsEverythingAndReturnsToReadArray() {
        command(0, CMD_CLEAR_STATUS);
        assertThat(flash.inReadArrayMode()).isTrue();
        assertThat(flash.status()).isZero(); // QEMU clears SR.7 as well
        command(0, CMD_READ_STATUS);
        assertThat(read(0)).isZero();
    }

    @Test
    void readIdentifierAsQemuVirt() {
        command(0, CMD_READ_ID);
        assertThat(read(0x0)).isEqualTo(0x0089_0089L); // manufacturer: Intel, in both devices' lanes
        assertThat(read(0x4)).isEqualTo(0x0018_0018L); // device code
        assertThat(read(0x8)).isZero(); // block lock status: unlocked
        assertThat(read(SECTOR + 0x8)).isZero();
        assertThat(flash.read(0x4, 2)).isEqualTo(0x18L);
        command(0, CMD_READ_ARRAY);
        assertThat(flash.inReadArrayMode()).isTrue();
    }

    @Test
    void cfiQueryTableForVirt() {
        command(0x55 << 2, CMD_CFI_QUERY);
        assertThat(read(0x10 << 2)).isEqualTo(0x0051_0051L); // 'Q'
        assertThat(read(0x11 << 2)).isEqualTo(0x0052_0052L); // 'R'
        assertThat(read(0x12 << 2)).isEqualTo(0x0059_0059L); // 'Y'
        assertThat(flash.read(0x13 << 2, 1)).isEqualTo(0x01L); // Intel command set
        assertThat(flash.read(0x15 << 2, 1)).isEqualTo(0x31L);
        assertThat(flash.read(0x27 << 2, 1)).isEqualTo(25L); // each x16 device: 32 MiB
        assertThat(flash.read(0x28 << 2, 1)).isEqualTo(0x02L);
        assertThat(flash.read(0x2A << 2, 1)).isEqualTo(0x0BL); // 2 KiB write buffer per device
        assertThat(flash.read(0x2C << 2, 1)).isEqualTo(0x01L);
        assertThat(flash.read(0x2D << 2, 1)).isEqualTo(0xFFL); // 256 blocks
        assertThat(flash.read(0x2E << 2, 1)).isEqualTo(0x00L);
        assertThat(flash.read(0x2F << 2, 1)).isEqualTo(0x00L); // 128 KiB per device = 0x200 x 256
        assertThat(flash.read(0x30 << 2, 1)).isEqualTo(0x02L);
        assertThat(flash.read(0x31 << 2, 1)).isEqualTo('P');
        assertThat(flash.read(0x3F << 2, 1)).isEqualTo(0x01L);
        assertThat(read(0x60 << 2)).isZero(); // beyond QEMU's 0x52-byte table
        assertThat(flash.writeBufferSize()).isEqualTo(4096);
        // The whole table as QEMU fills it for width 4, device-width 2, 64 MiB, 256 KiB sectors.
        int[] expected = new int[0x40];
        int[] qry = {'Q', 'R', 'Y', 0x01, 0x00, 0x31, 0x00, 0, 0, 0, 0, 0x45, 0x55, 0, 0, 0x07, 0x07, 0x0A, 0x00,
            0x04, 0x04, 0x04, 0x00, 25, 0x02, 0x00, 0x0B, 0x00, 0x01, 0xFF, 0x00, 0x00, 0x02, 'P', 'R', 'I', '1', '0'};
        System.arraycopy(qry, 0, expected, 0x10, qry.length);
        expected[0x3F] = 1;
        for (int i = 0; i < expected.length; i++) {
            assertThat(flash.cfiByte(i)).as("CFI byte 0x%02x", i).isEqualTo(expected[i]);
        }
        command(0, CMD_AMD_RESET); // ignored in query mode, as in QEMU
        assertThat(flash.inReadArrayMode()).isFalse();
        command(0, CMD_READ_ARRAY);
        assertThat(flash.inReadArrayMode()).isTrue();
    }

    @Test
    void blockEraseOnConfirmThenStatusUntilReadArray() {
        flash.load(SECTOR - 4, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        command(SECTOR + 0x100, CMD_BLOCK_ERASE);
        assertThat(read(SECTOR)).isEqualTo(0x0080_0080L); // status while set up
        command(SECTOR + 0x100, CMD_CONFIRM);
        assertThat(read(SECTOR)).isEqualTo(0x0080_0080L); // ready at once: no virtual time passes
        command(0, CMD_READ_ARRAY);
        assertThat(read(SECTOR - 4)).isEqualTo(0x0403_0201L); // the block before is untouched
        assertThat(read(SECTOR)).isEqualTo(0xFFFF_FFFFL);
        assertThat(read(2L * SECTOR - 4)).isEqualTo(0xFFFF_FFFFL);
        assertThat(read(2L * SECTOR)).isZero();
    }

    @Test
    void eraseCancelledByReadArrayErasesNothing() {
        command(0, CMD_BLOCK_ERASE);
        command(0, CMD_READ_ARRAY);
        assertThat(read(0)).isZero();
    }

    @Test
    void wordProgramWithEitherSetupCommand() {
        command(0x40, CMD_PROGRAM);
        flash.write(0x40, 4, 0xCAFE_F00DL);
        assertThat(read(0x40)).isEqualTo(0x0080_0080L);
        command(0, CMD_PROGRAM_ALT);
        flash.write(0x44, 2, 0xBEEF);
        command(0, CMD_READ_ARRAY);
        assertThat(read(0x40)).isEqualTo(0xCAFE_F00DL);
        assertThat(flash.read(0x44, 2)).isEqualTo(0xBEEFL);
    }

    @Test
    void bufferedProgram() {
        command(0x1000, CMD_WRITE_BUFFER);
        assertThat(read(0x1000)).isEqualTo(0x0080_0080L); // buffer available
        command(0x1000, 3); // four bus words
        for (int i = 0; i < 4; i++) {
            flash.write(0x1000 + 4L * i, 4, 0x1111_1111L * (i + 1));
            assertThat(read(0)).isEqualTo(0x0080_0080L);
        }
        assertThat((byte) flash.arrayByte(0x1000)).isZero(); // nothing written before the confirm
        command(0x1000, CMD_CONFIRM);
        command(0, CMD_READ_ARRAY);
        for (int i = 0; i < 4; i++) {
            assertThat(read(0x1000 + 4L * i)).isEqualTo(0x1111_1111L * (i + 1));
        }
        assertThat(flash.status() & SR_PROGRAM_ERROR).isZero();
    }

    @Test
    void bufferedProgramOutsideTheBufferFailsAndWritesNothing() {
        command(0x1000, CMD_WRITE_BUFFER);
        command(0x1000, 1);
        flash.write(0x1FFC, 4, 0x1234_5678L);
        flash.write(0x2000, 4, 0x1234_5678L); // next buffer block
        assertThat(flash.status() & SR_PROGRAM_ERROR).isEqualTo(SR_PROGRAM_ERROR);
        command(0x1000, CMD_CONFIRM);
        assertThat(flash.inReadArrayMode()).isTrue();
        assertThat(read(0x1FFC)).isZero();
        command(0, CMD_CLEAR_STATUS);
        assertThat(flash.status()).isZero();
    }

    @Test
    void lockAndUnlockAreAccepted() {
        command(0, CMD_LOCK_SETUP);
        command(0, CMD_LOCK_BLOCK);
        assertThat(read(0)).isEqualTo(0x0080_0080L);
        command(0, CMD_LOCK_SETUP);
        command(0, CMD_CONFIRM);
        assertThat(read(0)).isEqualTo(0x0080_0080L);
        command(0, CMD_READ_ARRAY);
        command(0, CMD_PROGRAM);
        flash.write(0, 4, 42);
        command(0, CMD_READ_ARRAY);
        assertThat(read(0)).isEqualTo(42L); // still writable: lock bits are not modelled
        assertThat(warnings).isEmpty();
    }

    @Test
    void unknownCommandWarnsOnceAndReadsArray() {
        flash.load(0, new byte[] {9, 0, 0, 0});
        command(0, 0x42);
        command(0, 0x43);
        assertThat(read(0)).isEqualTo(9L);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("unimplemented flash command");
    }

    @Test
    void resetReturnsToReadArrayAndKeepsContents() {
        command(0, CMD_PROGRAM);
        flash.write(0, 4, 7);
        command(0, CMD_READ_ID);
        flash.reset();
        assertThat(read(0)).isEqualTo(7L);
        assertThat(flash.status()).isEqualTo(SR_READY);
    }

    @Test
    void persistsEveryEraseAndProgramToTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("flash1.img");
        flash.persistTo(file);
        assertThat(Files.size(file)).isEqualTo(64L << 20);
        assertThat(read(0)).isEqualTo(0xFFFF_FFFFL); // a new file is an erased chip
        command(0, CMD_BLOCK_ERASE);
        command(0, CMD_CONFIRM);
        command(0, CMD_WRITE_BUFFER);
        command(0, 0);
        flash.write(0x8, 4, 0xA5A5_5A5AL);
        command(0, CMD_CONFIRM);
        command(SECTOR, CMD_PROGRAM);
        flash.write(SECTOR, 4, 0x0BAD_CAFEL);

        CfiFlash again = new CfiFlash("flash1", Geometry.virt(), tracer);
        again.persistTo(file);
        assertThat(again.read(0x8, 4)).isEqualTo(0xA5A5_5A5AL);
        assertThat(again.read(SECTOR, 4)).isEqualTo(0x0BAD_CAFEL);
        assertThat(again.read(0xC, 4)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void aFileOfTheWrongSizeIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("small.img"), new byte[4096]);
        assertThatThrownBy(() -> flash.persistTo(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": flash file is 4096 bytes; expected exactly 67108864 (64 MiB, the size of flash1)");
    }

    @Test
    void instructionCachesMayDecodeTheArrayOnlyInReadArrayMode() {
        flash.load(0x2000, new byte[] {1, 2, 3, 4});
        byte[] page = flash.codeArray(0x2000);
        assertThat(page).isNotNull();
        assertThat(page[flash.codeIndex(0x2001)]).isEqualTo((byte) 2);
        command(0, CMD_READ_STATUS);
        assertThat(flash.codeArray(0x2000)).isNull();
        command(0, CMD_READ_ARRAY);
        assertThat(flash.codeArray(0x2000)).isNotNull();
    }

    @Test
    void everyWriteToTheBankDropsDecodedPagesOnce() {
        List<Long> dropped = new ArrayList<>();
        flash.addCodeWriteListener((source, offset) -> dropped.add(offset));
        flash.watch(0x1000);
        flash.watch(0x5000);
        command(0, CMD_READ_STATUS); // a mode change: reads stop being the array
        assertThat(dropped).containsExactlyInAnyOrder(0x1000L, 0x5000L);
        command(0, CMD_READ_ARRAY);
        assertThat(dropped).hasSize(2); // nothing was watched any more
        flash.watch(0x1000);
        flash.load(0x1800, new byte[] {1});
        assertThat(dropped).hasSize(3);
    }
}
