package brassboard.bus.usb.ehci;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.EcamHostBridge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EHCI's PCI function behind the ECAM host bridge: QEMU's usb-ehci identity, BAR0, bus mastering and INTx. */
class EhciPciTest {
    private static final long RAM = 0x4000_0000L;
    private static final long MMIO_PCI_BASE = 0x1000_0000L;
    private static final long BAR = MMIO_PCI_BASE + 0x4000;

    private final Scheduler sched = new Scheduler();
    private final Tracer tracer = new Tracer(sched);
    private final List<String> warnings = new ArrayList<>();
    private final AddressSpace bus = new AddressSpace(tracer, new FaultPoints());
    private final IrqLine intx = new IrqLine("pcie-intx", tracer);
    private final EhciPci ehci = new EhciPci("ehci", sched, tracer, bus, Masters.DMA_BASE, intx);
    private final EcamHostBridge bridge = new EcamHostBridge("pcie", 16, tracer);
    private final MmioDevice ecam = bridge.ecam();
    private final MmioDevice window = bridge.mmioWindow(MMIO_PCI_BASE);

    EhciPciTest() {
        bus.map(RAM, new Ram("ram", 1 << 20));
        tracer.setWarningListener(warnings::add);
        bridge.attach(0, 2, 0, ehci);
    }

    private long cfg(int reg, int size) {
        return ecam.read(2L << 15 | reg, size);
    }

    private void cfg(int reg, int size, long value) {
        ecam.write(2L << 15 | reg, size, value);
    }

    private long mmio(int offset) {
        return window.read(BAR - MMIO_PCI_BASE + offset, 4);
    }

    private void mmio(int offset, int value) {
        window.write(BAR - MMIO_PCI_BASE + offset, 4, value & 0xFFFF_FFFFL);
    }

    @Test
    void identityIsQemusUsbEhci() {
        assertThat(cfg(0x00, 4)).isEqualTo(0x24CD_8086L);
        assertThat(cfg(0x04, 4)).as("command 0, status 0 (no capabilities)").isZero();
        assertThat(cfg(0x08, 4)).isEqualTo(0x0C03_2010L);
        assertThat(cfg(0x0C, 4)).isZero();
        assertThat(cfg(0x10, 4)).as("BAR0: 32-bit memory, not prefetchable").isZero();
        assertThat(cfg(0x14, 4)).isZero();
        assertThat(cfg(0x2C, 4)).isEqualTo(0x1100_1AF4L);
        assertThat(cfg(0x34, 1)).isZero();
        assertThat(cfg(0x3C, 4)).as("interrupt pin D").isEqualTo(0x0000_0400L);
        assertThat(cfg(0x60, 1)).isEqualTo(0x20);
        assertThat(cfg(0x61, 1)).isEqualTo(0x20);
        assertThat(cfg(0x62, 2)).isZero();
        assertThat(cfg(0x68, 4)).as("USBLEGSUP: capability 1, no next, no semaphores").isEqualTo(1);
        assertThat(cfg(0x6C, 4)).isEqualTo(0xC000_0000L);
        // EECP in HCCPARAMS points at it.
        assertThat((ehci.controller().mmio().read(Ehci.HCCPARAMS, 4) >>> 8) & 0xFF).isEqualTo(0x68);
    }

    @Test
    void bar0IsFourKibibytesAndGatedByCommandMemory() {
        cfg(0x10, 4, 0xFFFF_FFFFL);
        assertThat(cfg(0x10, 4)).isEqualTo(0xFFFF_F000L);
        cfg(0x10, 4, BAR);
        assertThat(window.read(BAR - MMIO_PCI_BASE, 4)).as("memory decoding off").isEqualTo(0xFFFF_FFFFL);
        cfg(0x04, 2, ConfigSpace.COMMAND_MEMORY);
        assertThat(mmio(Ehci.CAPLENGTH)).isEqualTo(0x0100_0020L);
        assertThat(mmio(Ehci.USBSTS)).isEqualTo(Ehci.STS_HCHALTED);
    }

    @Test
    void noDmaWithoutBusMaster() {
        cfg(0x10, 4, BAR);
        cfg(0x04, 2, ConfigSpace.COMMAND_MEMORY);
        bus.write(RAM + 0x1000, 4, 0x4000_1002L, Masters.DEBUG); // a QH linked to itself
        bus.write(RAM + 0x1004, 4, 1 << 15, Masters.DEBUG); // H bit
        bus.write(RAM + 0x1010, 4, 1, Masters.DEBUG); // no next qTD
        bus.write(RAM + 0x1014, 4, 1, Masters.DEBUG);
        mmio(Ehci.ASYNCLISTADDR, (int) (RAM + 0x1000));
        mmio(Ehci.USBINTR, Ehci.STS_HSE);
        mmio(Ehci.USBCMD, Ehci.CMD_RS | Ehci.CMD_ASE);
        sched.step(Ehci.MICROFRAME_NS);
        assertThat(mmio(Ehci.USBSTS) & Ehci.STS_HSE).isNotZero();
        assertThat(warnings).anyMatch(w -> w.contains("Bus Master Enable is clear"));
        assertThat(intx.level()).isTrue();

        // Interrupt Disable masks INTx; Status.Interrupt Status still shows it.
        cfg(0x04, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_INTX_DISABLE);
        assertThat(intx.level()).isFalse();
        assertThat(cfg(0x06, 2) & 0x08).isEqualTo(0x08);
        assertThat(cfg(0x04, 4) & 0x0008_0000L).isEqualTo(0x0008_0000L);

        // With bus mastering the same schedule runs.
        mmio(Ehci.USBCMD, Ehci.CMD_HCRESET);
        assertThat(cfg(0x06, 2) & 0x08).isZero();
        cfg(0x04, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        mmio(Ehci.ASYNCLISTADDR, (int) (RAM + 0x1000));
        mmio(Ehci.USBCMD, Ehci.CMD_RS | Ehci.CMD_ASE);
        sched.step(10 * Ehci.MICROFRAME_NS);
        assertThat(mmio(Ehci.USBSTS) & (Ehci.STS_HSE | Ehci.STS_HCHALTED)).isZero();
        assertThat(ehci.controller().walks()).isPositive();

        bridge.reset();
        assertThat(cfg(0x04, 2)).isZero();
        assertThat(mmio(Ehci.USBCMD)).as("BAR disabled after reset: reads all-ones").isEqualTo(0xFFFF_FFFFL);
        assertThat(ehci.controller().mmio().read(Ehci.USBCMD, 4)).isEqualTo(0x0008_0000L);
    }
}
