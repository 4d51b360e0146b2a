package brassboard.devices.spi;

import static brassboard.devices.spi.SpiNorFlash.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiBus;
import brassboard.devices.storage.api.DiskImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The W25Q80BL command set at the SPI word level, virtual time stepped. */
class SpiNorFlashTest {
    @TempDir
    Path dir;

    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final SpiBus bus = new SpiBus("spi0", tracer);
    private byte[] original;
    private Path file;
    private SpiNorFlash flash;

    @BeforeEach
    void setUp() throws Exception {
        original = new byte[W25Q80BL.size()];
        new Random(7).nextBytes(original);
        file = dir.resolve("flash.bin");
        Files.write(file, original);
        flash = new SpiNorFlash("flash0", W25Q80BL, BackingImage.open(file, W25Q80BL.size(), false, "W25Q80BL"), scheduler, tracer);
        bus.attach(0, flash);
    }

    private int[] command(int... bytes) {
        return new SpiCommands(bus).command(bytes);
    }

    private int status() {
        return new SpiCommands(bus).status(READ_STATUS1);
    }

    private int[] read(int opcode, int address, int n) {
        return new SpiCommands(bus).read(opcode, 3, opcode == FAST_READ ? 1 : 0, address, n);
    }

    private int orig(int address) {
        return original[address] & 0xFF;
    }

    @Test
    void jedecIdIsTheW25Q80BLs() {
        assertThat(command(JEDEC_ID, 0, 0, 0)).containsExactly(0xFF, 0xEF, 0x40, 0x14);
        assertThat(command(MANUFACTURER_DEVICE_ID, 0, 0, 0, 0, 0)).endsWith(0xEF, 0x13);
        assertThat(command(RELEASE_POWER_DOWN_ID, 0, 0, 0, 0)[4]).isEqualTo(0x13);
    }

    @Test
    void readAndFastReadReturnTheFileFromAnyAddressAndWrapAtTheEnd() {
        assertThat(read(READ_DATA, 0x12345, 3)).containsExactly(orig(0x12345), orig(0x12346), orig(0x12347));
        assertThat(read(FAST_READ, 0x12345, 2)).containsExactly(orig(0x12345), orig(0x12346));
        assertThat(read(READ_DATA, 0xFFFFF, 2)).containsExactly(orig(0xFFFFF), orig(0));
    }

    @Test
    void aFrameOfSixteenBitsIsTwoBytes() {
        bus.select(0);
        assertThat(bus.transfer(JEDEC_ID << 8, 16)).isEqualTo(0xFFEF);
        assertThat(bus.transfer(0, 16)).isEqualTo(0x4014);
        bus.deselect();
    }

    @Test
    void pageProgramNeedsWriteEnableTakesItsTimeAndOnlyClearsBits() {
        int a = 0x20010;
        command(PAGE_PROGRAM, 0x02, 0x00, 0x10, 0x00);
        assertThat(status()).isZero(); // ignored: WEL clear
        assertThat(read(READ_DATA, a, 1)).containsExactly(orig(a));

        command(WRITE_ENABLE);
        assertThat(status()).isEqualTo(SR1_WEL);
        command(PAGE_PROGRAM, 0x02, 0x00, 0x10, 0x0F, 0xF0);
        assertThat(status()).isEqualTo(SR1_WEL | SR1_BUSY);
        scheduler.step(W25Q80BL.pageProgramNs() - 1);
        assertThat(status() & SR1_BUSY).isEqualTo(SR1_BUSY);
        assertThat(read(READ_DATA, a, 1)).containsExactly(0xFF); // ignored while busy: MISO floats
        scheduler.step(1);
        assertThat(status()).isZero();
        assertThat(read(READ_DATA, a, 2)).containsExactly(orig(a) & 0x0F, orig(a + 1) & 0xF0);
        assertThat(read(READ_DATA, a + 2, 1)).containsExactly(orig(a + 2));
    }

    @Test
    void pageProgramWrapsWithinItsPage() {
        command(WRITE_ENABLE);
        command(PAGE_PROGRAM, 0x00, 0x01, 0xFF, 0x00, 0x00);
        scheduler.step(W25Q80BL.pageProgramNs());
        assertThat(read(READ_DATA, 0x1FF, 1)).containsExactly(0);
        assertThat(read(READ_DATA, 0x100, 1)).containsExactly(0);
        assertThat(read(READ_DATA, 0x200, 1)).containsExactly(orig(0x200));
    }

    @Test
    void sectorBlockAndChipEraseSetTheirRangeToFfInTheirTypicalTimes() {
        command(WRITE_ENABLE);
        command(SECTOR_ERASE, 0x01, 0x23, 0x45);
        scheduler.step(W25Q80BL.sectorEraseNs() - 1);
        assertThat(status() & SR1_BUSY).isEqualTo(SR1_BUSY);
        scheduler.step(1);
        assertThat(status()).isZero();
        assertThat(read(READ_DATA, 0x12000, 1)).containsExactly(0xFF);
        assertThat(read(READ_DATA, 0x12FFF, 2)).containsExactly(0xFF, orig(0x13000));
        assertThat(read(READ_DATA, 0x11FFF, 1)).containsExactly(orig(0x11FFF));

        command(WRITE_ENABLE);
        command(BLOCK_ERASE_64K, 0x03, 0x00, 0x00);
        scheduler.step(W25Q80BL.block64EraseNs());
        assertThat(read(READ_DATA, 0x3FFFF, 2)).containsExactly(0xFF, orig(0x40000));
        command(WRITE_ENABLE);
        command(BLOCK_ERASE_32K, 0x05, 0x80, 0x00);
        scheduler.step(W25Q80BL.block32EraseNs());
        assertThat(read(READ_DATA, 0x57FFF, 2)).containsExactly(orig(0x57FFF), 0xFF);

        command(WRITE_ENABLE);
        command(CHIP_ERASE_ALT);
        scheduler.step(W25Q80BL.chipEraseNs() - 1);
        assertThat(status() & SR1_BUSY).isEqualTo(SR1_BUSY);
        scheduler.step(1);
        assertThat(flash.array().snapshot()).containsOnly((byte) 0xFF);
    }

    @Test
    void aCommandCutShortOrWithoutWriteEnableDoesNothing() {
        command(WRITE_ENABLE);
        command(SECTOR_ERASE, 0x01, 0x23); // two address bytes only
        assertThat(status()).isEqualTo(SR1_WEL);
        command(WRITE_DISABLE);
        command(CHIP_ERASE);
        assertThat(status()).isZero();
        scheduler.step(W25Q80BL.chipEraseNs());
        assertThat(flash.array().snapshot()).isEqualTo(original);
    }

    @Test
    void copyOnWriteLeavesTheFileUntouched() throws IOException {
        command(WRITE_ENABLE);
        command(CHIP_ERASE);
        scheduler.step(W25Q80BL.chipEraseNs());
        assertThat(read(READ_DATA, 0, 1)).containsExactly(0xFF);
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
    }

    @Test
    void writeThroughReachesTheFile() throws Exception {
        SpiBus other = new SpiBus("spi1", tracer);
        SpiNorFlash through = new SpiNorFlash("flash1", W25Q80BL, BackingImage.open(file, W25Q80BL.size(), true, "W25Q80BL"), scheduler, tracer);
        other.attach(0, through);
        other.select(0);
        other.transfer(WRITE_ENABLE, 8);
        other.deselect();
        other.select(0);
        for (int b : new int[] {SECTOR_ERASE, 0, 0x10, 0}) {
            other.transfer(b, 8);
        }
        other.deselect();
        scheduler.step(W25Q80BL.sectorEraseNs());
        byte[] now = Files.readAllBytes(file);
        assertThat(now[0x1000]).isEqualTo((byte) 0xFF);
        assertThat(now[0x1FFF]).isEqualTo((byte) 0xFF);
        assertThat(now[0x2000]).isEqualTo(original[0x2000]);
    }

    @Test
    void aWornSectorNoLongerErasesOrPrograms() {
        flash.endurance(2);
        for (int i = 0; i < 3; i++) {
            command(WRITE_ENABLE);
            command(PAGE_PROGRAM, 0, 0, 0, 0x00);
            scheduler.step(W25Q80BL.pageProgramNs());
            command(WRITE_ENABLE);
            command(SECTOR_ERASE, 0, 0, 0);
            scheduler.step(W25Q80BL.sectorEraseNs());
        }
        assertThat(flash.eraseCount(0)).isEqualTo(3);
        assertThat(read(READ_DATA, 0, 1)).containsExactly(0x00); // the third erase failed
        command(WRITE_ENABLE);
        command(PAGE_PROGRAM, 0, 0, 1, 0x00);
        scheduler.step(W25Q80BL.pageProgramNs());
        assertThat(read(READ_DATA, 1, 1)).containsExactly(0xFF); // the program failed too: byte 1 stays as erase 2 left it
        assertThat(status()).isZero();
        assertThatThrownBy(() -> flash.endurance(0)).hasMessageContaining("expected 1 or more");
    }

    @Test
    void theEraseFaultPointFailsOrSlowsAnErase() {
        FaultPoints faults = new FaultPoints();
        FaultPoint point = flash.declareFaultPoint(faults);
        assertThat(point.name()).isEqualTo("flash.flash0.erase");
        faults.arm(point, (p, site) -> {
            assertThat(site.address).isEqualTo(0x3000);
            site.error = true;
            site.delayNs += 1_000_000;
        });
        command(WRITE_ENABLE);
        command(SECTOR_ERASE, 0, 0x30, 0x00);
        scheduler.step(W25Q80BL.sectorEraseNs());
        assertThat(status() & SR1_BUSY).isEqualTo(SR1_BUSY);
        scheduler.step(1_000_000);
        assertThat(status()).isZero();
        assertThat(read(READ_DATA, 0x3000, 1)).containsExactly(orig(0x3000));
    }

    @Test
    void writeStatusTakesTwBitsOfStatusStayAndResetClearsWel() {
        command(WRITE_ENABLE);
        command(WRITE_STATUS, 0x1C, 0x02);
        assertThat(status() & SR1_BUSY).isEqualTo(SR1_BUSY);
        scheduler.step(W25Q80BL.writeStatusNs());
        assertThat(status()).isEqualTo(0x1C);
        assertThat(command(READ_STATUS2, 0)[1]).isEqualTo(0x02);
        command(WRITE_ENABLE);
        command(ENABLE_RESET);
        command(RESET);
        assertThat(status()).isEqualTo(0x1C);
    }

    @Test
    void aBadBackingFileIsOneLine() throws IOException {
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[100]);
        assertThatThrownBy(() -> BackingImage.open(small, W25Q80BL.size(), false, "W25Q80BL"))
                .isInstanceOf(DiskImageException.class)
                .hasMessage(small + ": 100 bytes; expected a file of exactly 1048576 bytes, the W25Q80BL's capacity");
        assertThatThrownBy(() -> BackingImage.open(dir.resolve("none"), 16, false, "AT25256"))
                .hasMessage(dir.resolve("none") + ": no such file; expected a file of exactly 16 bytes, the AT25256's capacity");
        assertThatThrownBy(() -> BackingImage.open(dir, 16, false, "AT25256"))
                .hasMessage(dir + ": is a directory; expected a file of exactly 16 bytes, the AT25256's capacity");
    }
}
