package brassboard.bus.usb.ehci;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.PciFunction;

/**
 * The EHCI controller as a PCI function, with QEMU's {@code usb-ehci} identity
 * ({@code hw/usb/hcd-ehci-pci.c}): Intel 82801DB (ICH4) EHCI, vendor 0x8086 device 0x24cd revision
 * 0x10, class 0x0c0320 (serial bus, USB, EHCI), QEMU's default subsystem 0x1af4:0x1100, BAR0 a
 * 4 KiB 32-bit memory BAR holding the registers, interrupt pin INTD (QEMU sets pin 4), no PCI
 * capabilities; SBRN (0x60) = 0x20 (USB 2.0), FLADJ (0x61) = 0x20, PORTWAKECAP (0x62) = 0, and the
 * USBLEGSUP extended capability at 0x68 (HCCPARAMS.EECP) = 0x00000001 with USBLEGCTLSTS at 0x6c =
 * 0xc0000000. Like every byte from 0x40 on in QEMU's config space these are writable.
 *
 * <p>The bridge gates BAR0 with Command.Memory. DMA needs Command.Bus Master: with it clear the
 * controller's accesses are not made and end as bus errors, a host system error (with a warning
 * naming the cause). INTx follows the controller's interrupt unless Command.Interrupt Disable is set;
 * Status.Interrupt Status shows the controller's interrupt either way (PCI 3.0 §6.2.3).
 */
public final class EhciPci implements PciFunction {
    public static final int VENDOR_INTEL = 0x8086;
    /** PCI_DEVICE_ID_INTEL_82801D in QEMU: the ICH4's EHCI function. */
    public static final int DEVICE_82801DB_EHCI = 0x24CD;
    public static final int REVISION = 0x10;
    /** Serial bus controller, USB, programming interface 0x20 (EHCI). */
    public static final int CLASS_USB_EHCI = 0x0C0320;
    /** Interrupt Pin register value: 4 = INTD, as QEMU sets it. */
    public static final int INTERRUPT_PIN_INTD = 4;
    /** Serial Bus Release Number register (EHCI §2.1.4) and its value for USB 2.0. */
    public static final int SBRN = 0x60;
    public static final int USB_RELEASE_2_0 = 0x20;
    /** Frame Length Adjustment register (§2.1.5) and its reset value (60000 HS bit times per micro-frame). */
    public static final int FLADJ = 0x61;
    public static final int FLADJ_DEFAULT = 0x20;
    /** Port Wake Capability (§2.1.6). */
    public static final int PORTWAKECAP = 0x62;
    /** USB Legacy Support extended capability (§2.1.7) and its control/status register (§2.1.8). */
    public static final int USBLEGSUP = Ehci.EECP;
    public static final int USBLEGCTLSTS = Ehci.EECP + 4;
    private static final int STATUS_INTERRUPT = 1 << 3;

    private final String name;
    private final Tracer tracer;
    private final ConfigSpace config;
    private final IrqLine intx;
    private final IrqLine controllerIrq;
    private final Ehci ehci;

    /**
     * A function named {@code name}, reaching memory through {@code dma} as master {@code master},
     * driving {@code intx} (the board connects it to the host interrupt its slot's INTD swizzles to).
     */
    public EhciPci(String name, Scheduler scheduler, Tracer tracer, MemoryBus dma, int master, IrqLine intx) {
        this.name = name;
        this.tracer = tracer;
        this.intx = intx;
        this.config = new ConfigSpace(256, VENDOR_INTEL, DEVICE_82801DB_EHCI, REVISION, CLASS_USB_EHCI)
                .set(ConfigSpace.INTERRUPT_PIN, 1, INTERRUPT_PIN_INTD)
                .set(SBRN, 1, USB_RELEASE_2_0)
                .set(FLADJ, 1, FLADJ_DEFAULT)
                .set(PORTWAKECAP, 2, 0)
                .set(USBLEGSUP, 4, 0x0000_0001)
                .set(USBLEGCTLSTS, 4, 0xC000_0000L)
                .bar(new ConfigSpace.Bar(0, Ehci.MMIO_SIZE, ConfigSpace.BarKind.MEMORY32, false));
        this.controllerIrq = new IrqLine(name + ".hc", tracer);
        controllerIrq.connect((line, level) -> updateIntx());
        this.ehci = new Ehci(name, scheduler, tracer, new BusMasterGate(dma), master, controllerIrq);
    }

    /** The controller behind BAR0. */
    public Ehci controller() {
        return ehci;
    }

    /** The INTx output. */
    /**
     * Plugged into a host bridge: the INTx line (INTD, as QEMU) drives the slot's INTx wire, which the
     * bridge swizzles onto its host interrupt lines (wired-OR with the other functions sharing one).
     */
    @Override
    public void plugged(brassboard.bus.pcie.PciSlot slot) {
        intx.connect((line, level) -> slot.intx(INTERRUPT_PIN_INTD, level));
    }

    public IrqLine intx() {
        return intx;
    }

    @Override
    public int configSize() {
        return config.configSize();
    }

    @Override
    public long configRead(int offset, int size) {
        long v = config.configRead(offset, size);
        int statusByte = ConfigSpace.STATUS - offset;
        if (controllerIrq.level() && statusByte >= 0 && statusByte < size) {
            v |= (long) STATUS_INTERRUPT << (8 * statusByte);
        }
        return v;
    }

    @Override
    public void configWrite(int offset, int size, long value) {
        config.configWrite(offset, size, value);
        updateIntx();
    }

    @Override
    public MmioDevice barDevice(int index) {
        return index == 0 ? ehci.mmio() : null;
    }

    @Override
    public ConfigSpace.Bar bar(int index) {
        return config.bar(index);
    }

    @Override
    public long barBase(int index) {
        return config.barBase(index);
    }

    @Override
    public void reset() {
        config.reset();
        ehci.reset();
        updateIntx();
    }

    private int command() {
        return (int) config.configRead(ConfigSpace.COMMAND, 2);
    }

    private void updateIntx() {
        intx.set(controllerIrq.level() && (command() & ConfigSpace.COMMAND_INTX_DISABLE) == 0);
    }

    /** The controller's DMA, made only while Command.Bus Master is set. */
    private final class BusMasterGate implements MemoryBus {
        private final MemoryBus bus;

        BusMasterGate(MemoryBus bus) {
            this.bus = bus;
        }

        private boolean refused(long address) {
            if ((command() & ConfigSpace.COMMAND_MASTER) != 0) {
                return false;
            }
            tracer.warnOnce(name + ".no-bus-master", name, String.format(
                    "DMA at 0x%08x while Bus Master Enable is clear in the PCI Command register: not made (a bus error)", address));
            return true;
        }

        @Override
        public long read(long address, int size, int master) {
            return refused(address) ? BUS_ERROR : bus.read(address, size, master);
        }

        @Override
        public boolean write(long address, int size, long value, int master) {
            return !refused(address) && bus.write(address, size, value, master);
        }
    }
}
