package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultSession;
import brassboard.boards.api.SpiAttachment;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.firmware.linux.Initramfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linux as the oracle for the PL022, the flash and the EEPROM: Debian's armmp kernel with its stock
 * {@code spi-pl022}, {@code spi-nor}, {@code mtdblock} and {@code at25} modules (fetched by
 * {@code firmware/third-party/fetch-linux.sh}) boots with {@code --spi-flash} and {@code --spi-eeprom};
 * the initramfs's /init ({@code firmware/third-party/linux/spi/}) loads the modules, lists
 * /proc/mtd, hashes both parts as Linux reads them, writes to each and reads the bytes back from the
 * part. Drivers we did not write find the W25Q80BL by its JEDEC ID and read back exactly the backing
 * files; the files themselves stay untouched (copy-on-write).
 *
 * <p>In the {@code thirdparty} group; without the kernel or modules it is skipped, unless {@code CI}
 * is set: then it fails.
 */
@Tag("thirdparty")
class LinuxSpiTest {
    static Path kernel;
    static Path initrd;

    @BeforeAll
    static void images(@TempDir Path dir) throws Exception {
        Path cache = Path.of("..", "firmware", "third-party", "cache");
        kernel = cache.resolve("vmlinuz-armmp");
        List<Path> needed = List.of(kernel, cache.resolve("busybox-armhf"), cache.resolve("modules/kernel/drivers/spi/spi-pl022.ko"),
                cache.resolve("modules/kernel/drivers/mtd/spi-nor/spi-nor.ko"), cache.resolve("modules/kernel/drivers/misc/eeprom/at25.ko"));
        for (Path p : needed) {
            if (!Files.isRegularFile(p)) {
                String message = p + " is not fetched: run firmware/third-party/fetch-linux.sh";
                if (System.getenv("CI") != null) {
                    fail(message);
                }
                Assumptions.abort(message);
            }
        }
        initrd = Files.write(dir.resolve("initrd.cpio"),
                Initramfs.build(Path.of("..", "firmware", "third-party", "linux", "spi", "initramfs.list")));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Boots with both parts (and {@code plan} applied, if any) to the init's power-off. */
    private static RunResult boot(Path flash, Path eeprom, CaptureSink out, String plan) throws Exception {
        Console console = new Console(CharBackend.of(out, CharSource.none()));
        BoardOptions options = BoardOptions.none()
                .withKernel(KernelBoot.plain().withInitrd(initrd).withAppend("console=ttyAMA0"))
                .withSpiFlash(SpiAttachment.of(flash))
                .withSpiEeprom(SpiAttachment.of(eeprom));
        Machine m = Machine.create(MachineConfig.of(kernel), options, console);
        FaultSession faults = plan == null ? null : FaultPlan.parse(plan, "plan.yaml").applyTo(m);
        RunResult result = m.run(new RunLimits(120_000_000_000L, Long.MAX_VALUE, Optional.empty()));
        assertThat(out.text()).as("console:%n%s%nrun: %s", out.text(), result.message()).contains("spi-test: done");
        if (faults != null) {
            assertThat(faults.injected()).as(faults.report()).isEqualTo(1);
        }
        return result;
    }

    @Test
    void aChipSelectThatNeverAssertsLeavesSpiNorWithAnIdOfAllOnes(@TempDir Path dir) throws Exception {
        byte[] eepromBytes = new byte[32 << 10];
        new Random(17).nextBytes(eepromBytes);
        Path flash = Files.write(dir.resolve("flash.bin"), new byte[1 << 20]);
        Path eeprom = Files.write(dir.resolve("eeprom.bin"), eepromBytes);
        CaptureSink out = new CaptureSink();
        // spi-nor's first command is READ ID (9Fh): with its chip select dropped, MISO floats high.
        boot(flash, eeprom, out, """
                rules:
                  - point: spi.spi0.transfer
                    match: { kind: select }
                    action: drop
                """);
        String text = out.text();
        assertThat(text).contains("spi-nor spi0.0: unrecognized JEDEC id bytes: ff ff ff ff ff ff");
        assertThat(text).doesNotContain("mtd0:");
        assertThat(text).contains("spi-test: eeprom " + sha256(eepromBytes) + "  /sys/bus/nvmem/devices/spi1.00/nvmem");
    }

    @Test
    void spiNorAndAt25FindThePartsAndReadBackTheirFiles(@TempDir Path dir) throws Exception {
        byte[] flashBytes = new byte[1 << 20];
        byte[] eepromBytes = new byte[32 << 10];
        Random random = new Random(2026);
        random.nextBytes(flashBytes);
        random.nextBytes(eepromBytes);
        Path flash = Files.write(dir.resolve("flash.bin"), flashBytes);
        Path eeprom = Files.write(dir.resolve("eeprom.bin"), eepromBytes);

        CaptureSink out = new CaptureSink();
        var result = boot(flash, eeprom, out, null);
        String text = out.text();

        assertThat(text).doesNotContain("insmod").as("every module loaded");
        // spi-nor identified the part by its JEDEC ID, EF 40 14, which Linux 6.1's table gives first to
        // Spansion's s25fl008k (its Spansion entries come before Winbond's): the name a real W25Q80BL
        // gets too. The whole chip is mtd0, 1 MiB in 4 KiB erase blocks.
        assertThat(text).contains("ssp-pl022 9100000.spi: ARM PL022 driver, device ID: 0x00041022");
        assertThat(text).containsPattern("spi-nor spi0\\.0: s25fl008k \\(1024 Kbytes\\)");
        assertThat(text).contains("at25 spi1.0: 32 KByte at25 eeprom, pagesize 64");
        assertThat(text).contains("mtd0: 00100000 00001000 \"spi0.0\"");
        // Linux reads back exactly the backing files.
        assertThat(text).contains("spi-test: flash " + sha256(flashBytes) + "  /dev/mtdblock0");
        assertThat(text).contains("spi-test: eeprom " + sha256(eepromBytes) + "  /sys/bus/nvmem/devices/spi1.00/nvmem");
        // Written through the drivers (at25: WREN, WRITE, RDSR polling; mtdblock: sector erase, page programs)
        // and read back from the parts.
        assertThat(text).contains("spi-test: eeprom readback [written by Linux at25]");
        assertThat(text).contains("spi-test: flash readback [written by Linux mtdblock]");
        assertThat(text).contains("spi-test: flash sector after [0000000000000000]");
        // Copy-on-write: the files are as they were.
        assertThat(Files.readAllBytes(flash)).isEqualTo(flashBytes);
        assertThat(Files.readAllBytes(eeprom)).isEqualTo(eepromBytes);
        assertThat(result.message()).contains("SYSTEM_OFF");
        text.lines().filter(l -> l.startsWith("spi-test: ") && !l.contains("dmesg")).forEach(System.out::println);
        System.out.printf("LinuxSpiTest: %d instructions, %.3f s of virtual time%n", result.instructions(), result.virtualTimeNs() / 1e9);
    }
}
