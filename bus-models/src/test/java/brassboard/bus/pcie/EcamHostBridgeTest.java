package brassboard.bus.pcie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/** ECAM decoding, the gpex root function's header, empty slots, BAR sizing and the host windows. */
class EcamHostBridgeTest {
    private final EcamHostBridge bridge = new EcamHostBridge("pcie", 16, new Tracer(new Scheduler()));
    private final MmioDevice ecam = bridge.ecam();

    private static long ecamOffset(int bus, int dev, int fn, int reg) {
        return (long) bus << 20 | (long) dev << 15 | (long) fn << 12 | reg;
    }

    @Test
    void rootFunctionIsQemusGpexRoot() {
        // As QEMU 7.2's virt shows it to U-Boot ("pci display.l 0.0.0 0 10" before U-Boot writes to it).
        assertThat(ecam.read(0x00, 4)).isEqualTo(0x0008_1B36L);
        assertThat(ecam.read(0x04, 4)).isEqualTo(0x0000_0000L);
        assertThat(ecam.read(0x08, 4)).isEqualTo(0x0600_0000L);
        assertThat(ecam.read(0x0C, 4)).isEqualTo(0x0000_0000L); // header type 0, single function
        for (int bar = 0x10; bar < 0x28; bar += 4) {
            assertThat(ecam.read(bar, 4)).isZero();
        }
        assertThat(ecam.read(0x2C, 4)).isEqualTo(0x1100_1AF4L);
        assertThat(ecam.read(0x3C, 4)).isZero(); // no interrupt pin
        assertThat(ecam.read(0x100, 4)).isEqualTo(0xFFFF_FFFFL); // conventional: no extended space
        assertThat(bridge.ecamSize()).isEqualTo(16L << 20);
    }

    @Test
    void subWordAccesses() {
        assertThat(ecam.read(0x00, 2)).isEqualTo(0x1B36L);
        assertThat(ecam.read(0x02, 2)).isEqualTo(0x0008L);
        assertThat(ecam.read(0x0B, 1)).isEqualTo(0x06L);
        assertThat(ecam.read(0x0E, 1)).isZero();
        ecam.write(0x0C, 1, 0x08); // cache line size, as U-Boot writes it
        ecam.write(0x04, 2, 0x0004); // bus master
        assertThat(ecam.read(0x0C, 4)).isEqualTo(0x08L);
        assertThat(ecam.read(0x04, 4)).isEqualTo(0x04L);
    }

    @Test
    void identificationIsReadOnly() {
        ecam.write(0x00, 4, 0xFFFF_FFFFL);
        ecam.write(0x08, 4, 0xFFFF_FFFFL);
        assertThat(ecam.read(0x00, 4)).isEqualTo(0x0008_1B36L);
        assertThat(ecam.read(0x08, 4)).isEqualTo(0x0600_0000L);
        ecam.write(0x04, 4, 0xFFFF_FFFFL); // command: only the writable bits stick; status is W1C and 0
        assertThat(ecam.read(0x04, 4)).isEqualTo(0x0507L); // I/O, Memory, Master, SERR#, INTx Disable: no Parity Error Response, as QEMU
        bridge.reset();
        assertThat(ecam.read(0x04, 4)).isZero();
    }

    @Test
    void emptySlotsReadAllOnesAndIgnoreWrites() {
        for (int dev = 1; dev < 32; dev++) {
            assertThat(ecam.read(ecamOffset(0, dev, 0, 0), 4)).isEqualTo(0xFFFF_FFFFL);
        }
        assertThat(ecam.read(ecamOffset(0, 0, 1, 0), 4)).isEqualTo(0xFFFF_FFFFL);
        assertThat(ecam.read(ecamOffset(15, 31, 7, 0xFFC), 4)).isEqualTo(0xFFFF_FFFFL);
        assertThat(ecam.read(ecamOffset(3, 2, 0, 0), 2)).isEqualTo(0xFFFFL);
        assertThat(ecam.read(ecamOffset(3, 2, 0, 0xE), 1)).isEqualTo(0xFFL);
        assertThat(ecam.write(ecamOffset(0, 5, 0, 4), 4, 0)).isTrue();
        assertThat(ecam.read(ecamOffset(0, 5, 0, 4), 4)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void accessesCrossingADwordAreBusErrors() {
        assertThat(ecam.read(0x02, 4)).isEqualTo(brassboard.bus.api.MemoryBus.BUS_ERROR);
        assertThat(ecam.write(0x03, 2, 0)).isFalse();
    }

    @Test
    void slotsAreCheckedWhenPlugging() {
        assertThatThrownBy(() -> bridge.attach(0, 0, 0, bridge.rootFunction())).hasMessageContaining("already taken");
        assertThatThrownBy(() -> bridge.attach(16, 0, 0, bridge.rootFunction())).hasMessageContaining("no slot 10:00.0");
    }

    @Test
    void interruptSwizzleAsQemuGpex() {
        assertThat(EcamHostBridge.swizzle(0, 0)).isZero();
        assertThat(EcamHostBridge.swizzle(1, 0)).isEqualTo(1);
        assertThat(EcamHostBridge.swizzle(3, 2)).isEqualTo(1);
    }

    /** An endpoint with a 4 KiB memory BAR of scratch registers and a 256-byte I/O BAR. */
    private static final class Scratch implements PciFunction {
        final ConfigSpace cs = new ConfigSpace(4096, 0x1234, 0x5678, 1, 0x028000)
                .bar(new ConfigSpace.Bar(0, 4096, ConfigSpace.BarKind.MEMORY32, false))
                .bar(new ConfigSpace.Bar(2, 256, ConfigSpace.BarKind.IO, false));
        final long[] regs = new long[1024];
        final MmioDevice registers = new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return regs[(int) offset >> 2];
            }

            @Override
            public boolean write(long offset, int size, long value) {
                regs[(int) offset >> 2] = value;
                return true;
            }
        };

        @Override
        public int configSize() {
            return cs.configSize();
        }

        @Override
        public long configRead(int offset, int size) {
            return cs.configRead(offset, size);
        }

        @Override
        public void configWrite(int offset, int size, long value) {
            cs.configWrite(offset, size, value);
        }

        @Override
        public ConfigSpace.Bar bar(int index) {
            return cs.bar(index);
        }

        @Override
        public long barBase(int index) {
            return cs.barBase(index);
        }

        @Override
        public MmioDevice barDevice(int index) {
            return index == 0 || index == 2 ? registers : null;
        }
    }

    @Test
    void barsSizeAndDecodeInTheWindowsOnceEnabled() {
        Scratch s = new Scratch();
        bridge.attach(0, 1, 0, s);
        long cfg = ecamOffset(0, 1, 0, 0);
        MmioDevice mmio = bridge.mmioWindow(0x1000_0000L);
        MmioDevice pio = bridge.pioWindow();
        assertThat(ecam.read(cfg, 4)).isEqualTo(0x5678_1234L);
        ecam.write(cfg + 0x10, 4, 0xFFFF_FFFFL);
        assertThat(ecam.read(cfg + 0x10, 4)).isEqualTo(0xFFFF_F000L); // 4 KiB, memory, 32-bit
        ecam.write(cfg + 0x18, 4, 0xFFFF_FFFFL);
        assertThat(ecam.read(cfg + 0x18, 4)).isEqualTo(0xFFFF_FF01L); // 256 bytes of I/O
        assertThat(ecam.read(cfg + 0x14, 4)).isZero(); // no BAR 1
        ecam.write(cfg + 0x10, 4, 0x1000_2000L);
        ecam.write(cfg + 0x18, 4, 0x100);
        assertThat(mmio.read(0x2000, 4)).isEqualTo(0xFFFF_FFFFL); // memory decoding still off
        ecam.write(cfg + 0x04, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_IO);
        mmio.write(0x2008, 4, 0xAB);
        assertThat(s.regs[2]).isEqualTo(0xABL);
        assertThat(mmio.read(0x2008, 4)).isEqualTo(0xABL);
        assertThat(mmio.read(0x3000, 4)).isEqualTo(0xFFFF_FFFFL); // past the BAR
        assertThat(pio.read(0x104, 4)).isEqualTo(0L);
        assertThat(pio.read(0x204, 2)).isEqualTo(0xFFFFL);
    }
}
