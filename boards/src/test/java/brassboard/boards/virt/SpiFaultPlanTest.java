package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.SpiAttachment;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.bus.api.Masters;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.spi.Pl022;
import brassboard.devices.spi.SpiNorFlash;
import brassboard.devices.uart.CaptureSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault plans at the SPI points of a virt board with {@code --spi-flash}: the bus's
 * {@code spi.spi0.transfer} (by kind and chip select) and the flash's {@code flash.flash0.erase}. The
 * PL022 is driven through its registers on the system bus, virtual time stepped.
 */
class SpiFaultPlanTest {
    @TempDir
    Path dir;

    private static final long SSP = VirtMap.SPI0.base();
    private Machine machine;
    private Path flash;

    @BeforeEach
    void setUp() throws Exception {
        byte[] content = new byte[SpiNorFlash.W25Q80BL.size()];
        Arrays.fill(content, (byte) 0xA5);
        flash = Files.write(dir.resolve("flash.bin"), content);
        machine = Machine.create(TestImages.program(dir, VirtMap.RAM_BASE, 0xEAFF_FFFE),
                BoardOptions.none().withSpiFlash(SpiAttachment.of(flash)),
                new Console(CharBackend.of(new CaptureSink(), CharSource.none())));
        write(Pl022.SSPCR0, 7);
        write(Pl022.SSPCPSR, 2);
    }

    private void write(int offset, long value) {
        machine.bus().write(SSP + offset, 4, value, Masters.cpu(0));
    }

    private long read(int offset) {
        return machine.bus().read(SSP + offset, 4, Masters.cpu(0));
    }

    /** One command through the PL022 (SSE framing the chip select); the bytes that came back. */
    private int[] command(int... bytes) {
        write(Pl022.SSPCR1, Pl022.CR1_SSE);
        int[] reply = new int[bytes.length];
        int got = 0;
        for (int sent = 0; sent < bytes.length; ) {
            while (sent < bytes.length && sent - got < Pl022.FIFO_DEPTH) {
                write(Pl022.SSPDR, bytes[sent++]);
            }
            machine.scheduler().step(Pl022.FIFO_DEPTH * 1_000L);
            while ((read(Pl022.SSPSR) & Pl022.SR_RNE) != 0) {
                reply[got++] = (int) read(Pl022.SSPDR);
            }
        }
        write(Pl022.SSPCR1, 0);
        return reply;
    }

    @Test
    void aMisoBitFlipCorruptsTheIdAndAMissingChipSelectFloatsHigh() throws Exception {
        assertThat(command(0x9F, 0, 0, 0)).containsExactly(0xFF, 0xEF, 0x40, 0x14);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: spi.spi0.transfer
                    match: { kind: miso, address: 0, data: { value: 0xef } }
                    action: { type: flip, bit: 0 }
                  - point: spi.spi0.transfer
                    match: { kind: select }
                    when: { nth: 2 }
                    action: drop
                """, "plan.yaml").applyTo(machine);
        assertThat(command(0x9F, 0, 0, 0)).containsExactly(0xFF, 0xEE, 0x40, 0x14);
        assertThat(command(0x9F, 0, 0, 0)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(command(0x9F, 0, 0, 0)).containsExactly(0xFF, 0xEF, 0x40, 0x14);
        assertThat(f.injected()).isEqualTo(2);
        assertThat(f.report()).contains("spi.spi0.transfer address=0x00000000 data=0xef/0xffffffffffffffff kind=miso: flip bit=0, once: 1 injected")
                .contains("spi.spi0.transfer miso word on chip select 0: 0xef -> 0xee")
                .contains("spi.spi0.transfer select: dropped");
    }

    @Test
    void aStuckMisoLineAndALateResponse() throws Exception {
        FaultPlan.parse("""
                rules:
                  - point: spi.spi0.transfer
                    match: { kind: miso }
                    action: { type: clear, mask: 0xff }
                    times: sticky
                """, "plan.yaml").applyTo(machine);
        assertThat(command(0x9F, 0, 0, 0)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void anEraseFaultLeavesTheSectorAsItWas() throws Exception {
        FaultPlan.parse("""
                rules:
                  - point: flash.flash0.erase
                    match: { address: 0x1000 }
                    action: error
                """, "plan.yaml").applyTo(machine);
        command(SpiNorFlash.WRITE_ENABLE);
        command(SpiNorFlash.SECTOR_ERASE, 0, 0x10, 0);
        machine.scheduler().step(SpiNorFlash.W25Q80BL.sectorEraseNs());
        assertThat(command(SpiNorFlash.READ_STATUS1, 0)[1]).isZero();
        assertThat(command(SpiNorFlash.READ_DATA, 0, 0x10, 0, 0)[4]).isEqualTo(0xA5);
        command(SpiNorFlash.WRITE_ENABLE);
        command(SpiNorFlash.SECTOR_ERASE, 0, 0x20, 0);
        machine.scheduler().step(SpiNorFlash.W25Q80BL.sectorEraseNs());
        assertThat(command(SpiNorFlash.READ_DATA, 0, 0x20, 0, 0)[4]).isEqualTo(0xFF);
    }

    @Test
    void theExamplePlanAppliesToABoardWithBothParts() throws Exception {
        Path eeprom = Files.write(dir.resolve("eeprom.bin"), new byte[32 << 10]);
        Machine both = Machine.create(TestImages.program(dir, VirtMap.RAM_BASE, 0xEAFF_FFFE),
                BoardOptions.none().withSpiFlash(SpiAttachment.of(flash)).withSpiEeprom(SpiAttachment.of(eeprom)),
                new Console(CharBackend.of(new CaptureSink(), CharSource.none())));
        FaultSession f = FaultPlan.load(Path.of("..", "docs", "examples", "spi-faults.yaml")).applyTo(both);
        assertThat(f.plan().rules()).hasSize(7);
        assertThat(f.injected()).isZero();
    }

    @Test
    void aKindTheSpiPointDoesNotHaveIsAPlanError() {
        assertThatThrownBy(() -> FaultPlan.parse("""
                rules:
                  - point: spi.spi0.transfer
                    match: { kind: fetch }
                    action: drop
                """, "plan.yaml").applyTo(machine))
                .isInstanceOf(FaultPlanException.class)
                .hasMessageContaining("'fetch' is not a kind of spi.spi0.transfer; its kinds: mosi, miso, select");
    }
}
