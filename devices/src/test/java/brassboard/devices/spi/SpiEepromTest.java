package brassboard.devices.spi;

import static brassboard.devices.spi.SpiEeprom.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiBus;
import org.junit.jupiter.api.Test;

/** The AT25256 at the SPI word level, virtual time stepped. */
class SpiEepromTest {
    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final SpiBus bus = new SpiBus("spi1", tracer);
    private final SpiEeprom eeprom;

    SpiEepromTest() {
        BackingImage array = BackingImage.blank(AT25256.size(), 0xFF);
        for (int i = 0; i < array.size(); i++) {
            array.set(i, i & 0xFF);
        }
        eeprom = new SpiEeprom("eeprom0", AT25256, array, scheduler, tracer);
        bus.attach(0, eeprom);
    }

    private int[] command(int... bytes) {
        return new SpiCommands(bus).command(bytes);
    }

    private int status() {
        return new SpiCommands(bus).status(RDSR);
    }

    private int[] read(int address, int n) {
        return new SpiCommands(bus).read(READ, 2, 0, address, n);
    }

    @Test
    void readsFromAnyAddressAndWrapsAtTheEnd() {
        assertThat(read(0x1234, 3)).containsExactly(0x34, 0x35, 0x36);
        assertThat(read(0x7FFF, 2)).containsExactly(0xFF, 0x00);
        assertThat(status()).isZero(); // ready: what at25's probe checks
    }

    @Test
    void aWriteNeedsWrenReplacesTheBytesAndTakesTheWriteCycle() {
        command(WRITE, 0x01, 0x00, 0xAA);
        assertThat(read(0x100, 1)).containsExactly(0x00);
        command(WREN);
        assertThat(status()).isEqualTo(SR_WEN);
        command(WRITE, 0x01, 0x00, 0xAA, 0x55);
        assertThat(status()).isEqualTo(SR_WEN | SR_NOT_READY);
        assertThat(read(0x100, 1)).containsExactly(0xFF); // busy: ignored, MISO floats
        scheduler.step(AT25256.writeCycleNs() - 1);
        assertThat(status() & SR_NOT_READY).isEqualTo(SR_NOT_READY);
        scheduler.step(1);
        assertThat(status()).isZero();
        assertThat(read(0x100, 3)).containsExactly(0xAA, 0x55, 0x02);
    }

    @Test
    void aWriteWrapsWithinItsSixtyFourBytePage() {
        command(WREN);
        command(WRITE, 0x00, 0x7F, 0x11, 0x22);
        scheduler.step(AT25256.writeCycleNs());
        assertThat(read(0x7F, 2)).containsExactly(0x11, 0x80);
        assertThat(read(0x40, 1)).containsExactly(0x22);
    }

    @Test
    void blockProtectionRefusesWritesToTheProtectedPart() {
        command(WREN);
        command(WRSR, 0x04); // BP = 01: upper quarter
        scheduler.step(AT25256.writeCycleNs());
        assertThat(status()).isEqualTo(0x04);
        command(WREN);
        command(WRITE, 0x60, 0x00, 0x00);
        scheduler.step(AT25256.writeCycleNs());
        assertThat(read(0x6000, 1)).containsExactly(0x00); // 0x6000 holds 0x00 already: check another byte
        command(WREN);
        command(WRITE, 0x60, 0x01, 0x99);
        scheduler.step(AT25256.writeCycleNs());
        assertThat(read(0x6001, 1)).containsExactly(0x01);
        command(WREN);
        command(WRITE, 0x5F, 0xFF, 0x99);
        scheduler.step(AT25256.writeCycleNs());
        assertThat(read(0x5FFF, 1)).containsExactly(0x99);
        assertThat(eeprom.writes()).isEqualTo(4);
    }
}
