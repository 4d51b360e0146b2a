package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --bios FILE} boots a raw image from flash 0; {@code --flash1 FILE} keeps flash bank 1 in a file. */
class BiosFlashCliTest {
    /**
     * A raw program for flash 0: programs 0xcafebeef at the start of flash bank 1 with the CFI word
     * program command (0x40, replicated for the two x16 devices), returns to read array, and powers
     * off with PSCI SYSTEM_OFF over HVC.
     */
    private static final int[] PROGRAM = {
        0xe3a00301, // mov   r0, #0x04000000        flash1
        0xe3a01040, // mov   r1, #0x40              word program
        0xe1811801, // orr   r1, r1, r1, lsl #16
        0xe5801000, // str   r1, [r0]
        0xe30b2eef, // movw  r2, #0xbeef
        0xe34c2afe, // movt  r2, #0xcafe
        0xe5802000, // str   r2, [r0]
        0xe3a010ff, // mov   r1, #0xff              read array
        0xe1811801, // orr   r1, r1, r1, lsl #16
        0xe5801000, // str   r1, [r0]
        0xe3000008, // movw  r0, #0x0008
        0xe3480400, // movt  r0, #0x8400            PSCI SYSTEM_OFF
        0xe1400070, // hvc   #0
        0xeafffffe, // b     .
    };

    private static Path program(Path dir) throws Exception {
        return CliTest.program(dir.resolve("flash-writer.bin"), PROGRAM);
    }

    @Test
    void biosBootsFromFlashAndFlash1PersistsWhatItProgrammed(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        Path flash1 = dir.resolve("flash1.img");
        CliTest.Outcome o = brassboard("run", "--bios", bios.toString(), "--flash1", flash1.toString(), "--max-time", "1s");
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(Files.size(flash1)).isEqualTo(64L << 20);
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(flash1)) {
            assertThat(in.read(head)).isEqualTo(8);
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xcafebeef);
        assertThat(b.getInt(4)).isEqualTo(0xffffffff); // created erased
    }

    @Test
    void aFlash1FileOfTheWrongSizeIsOneLine(@TempDir Path dir) throws Exception {
        Path flash1 = Files.write(dir.resolve("small.img"), new byte[1000]);
        CliTest.Outcome o = brassboard("run", "--bios", program(dir).toString(), "--flash1", flash1.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--flash1 " + flash1 + ": flash file is 1000 bytes; expected exactly 67108864 (64 MiB");
    }

    @Test
    void biosAndAnImageTogetherAreAUsageError(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        CliTest.Outcome o = brassboard("run", "--bios", bios.toString(), bios.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("expected one firmware image, not both");
        assertThat(brassboard("run").oneLineError().err()).contains("no firmware image: expected IMAGE, --bios FILE or --kernel FILE");
    }
}
