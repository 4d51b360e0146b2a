package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --spi-flash FILE [--spi-eeprom FILE]}: a bare-metal program reads the flash's JEDEC ID
 * through the PL022 at 0x09100000; bad input is one line and exit status 2.
 */
class SpiCliTest {
    /**
     * Programs the PL022 (8-bit frames, CPSDVSR 2, SSE), sends 9Fh and three dummy bytes, waits for
     * SSPSR.BSY to clear, and powers off with PSCI SYSTEM_OFF when the reply is EF 40 14 (the
     * W25Q80BL); spins otherwise. Assembled with arm-none-eabi-as from the comments' source.
     */
    private static final int[] READ_JEDEC_ID = {
        0xE3000000, // movw r0, #0
        0xE3400910, // movt r0, #0x0910        PL022 spi0
        0xE3A01007, // mov  r1, #7
        0xE5801000, // str  r1, [r0, #0x00]    SSPCR0: 8-bit Motorola frames, SCR 0
        0xE3A01002, // mov  r1, #2
        0xE5801010, // str  r1, [r0, #0x10]    SSPCPSR = 2
        0xE5801004, // str  r1, [r0, #0x04]    SSPCR1 = SSE
        0xE3A0109F, // mov  r1, #0x9f
        0xE5801008, // str  r1, [r0, #0x08]    JEDEC ID
        0xE3A01000, // mov  r1, #0
        0xE5801008, // str  r1, [r0, #0x08]
        0xE5801008, // str  r1, [r0, #0x08]
        0xE5801008, // str  r1, [r0, #0x08]
        0xE590200C, // 1: ldr r2, [r0, #0x0c]  SSPSR
        0xE3120010, // tst  r2, #0x10          BSY
        0x1AFFFFFC, // bne  1b
        0xE5903008, // ldr  r3, [r0, #0x08]
        0xE5903008, // ldr  r3, [r0, #0x08]    manufacturer
        0xE5904008, // ldr  r4, [r0, #0x08]    memory type
        0xE5905008, // ldr  r5, [r0, #0x08]    capacity
        0xE3A01000, // mov  r1, #0
        0xE5801004, // str  r1, [r0, #0x04]    SSE off: chip select released
        0xE35300EF, // cmp  r3, #0xef
        0x1AFFFFFE, // bne  .
        0xE3540040, // cmp  r4, #0x40
        0x1AFFFFFE, // bne  .
        0xE3550014, // cmp  r5, #0x14
        0x1AFFFFFE, // bne  .
        0xE3000008, // movw r0, #8
        0xE3480400, // movt r0, #0x8400        PSCI SYSTEM_OFF
        0xE1400070, // hvc  #0
    };

    private static Path program(Path dir) throws Exception {
        return CliTest.program(dir.resolve("read-jedec-id.bin"), READ_JEDEC_ID);
    }

    @Test
    void aProgramReadsTheFlashsJedecIdThroughThePl022(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        Path flash = Files.write(dir.resolve("flash.bin"), new byte[1 << 20]);
        Path eeprom = Files.write(dir.resolve("eeprom.bin"), new byte[32 << 10]);
        CliTest.Outcome with = brassboard("run", "--bios", bios.toString(), "--spi-flash", flash.toString(),
                "--spi-eeprom", eeprom + ",write-through", "--max-time", "10ms");
        assertThat(with.status()).as("stderr: %s", with.err()).isZero();
        CliTest.Outcome without = brassboard("run", "--bios", bios.toString(), "--max-time", "10ms");
        assertThat(without.status()).as("no --spi-flash: no controller; the store is a bus error").isNotZero();
    }

    @Test
    void badSpiArgumentsAreOneLineWithExitStatus2AndLeaveTheFileAlone(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        byte[] content = new byte[1 << 20];
        Arrays.fill(content, (byte) 0x5A);
        Path flash = Files.write(dir.resolve("flash.bin"), content);
        Path small = Files.write(dir.resolve("small.bin"), new byte[1000]);
        List<List<String>> cases = new ArrayList<>();
        cases.add(List.of("--spi-flash", dir.resolve("missing.bin").toString(), "no such file; expected a file of exactly 1048576 bytes, the W25Q80BL's capacity"));
        cases.add(List.of("--spi-flash", dir.toString(), "is a directory"));
        cases.add(List.of("--spi-flash", small.toString(), "1000 bytes; expected a file of exactly 1048576 bytes"));
        cases.add(List.of("--spi-flash", flash + ",fast", "unknown setting 'fast'; expected FILE[,write-through][,endurance=N]"));
        cases.add(List.of("--spi-flash", flash + ",endurance=0", "endurance '0' is not a whole number of erase cycles of 1 or more"));
        cases.add(List.of("--spi-flash", ",write-through", "no file name"));
        cases.add(List.of("--spi-eeprom", flash.toString(), "1048576 bytes; expected a file of exactly 32768 bytes, the AT25256's capacity"));
        cases.add(List.of("--spi-eeprom", small + ",endurance=5", "unknown setting 'endurance=5'; expected FILE[,write-through]"));
        for (List<String> c : cases) {
            CliTest.Outcome o = brassboard("run", "--bios", bios.toString(), c.get(0), c.get(1), "--max-time", "1ms");
            assertThat(o.status()).as(c.toString()).isEqualTo(2);
            assertThat(o.err().strip()).as(c.toString()).contains(c.get(2)).startsWith("brassboard: " + c.get(0)).doesNotContain("\n");
        }
        assertThat(Files.readAllBytes(flash)).isEqualTo(content);
    }
}
