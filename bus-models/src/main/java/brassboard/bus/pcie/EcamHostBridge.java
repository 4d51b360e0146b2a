package brassboard.bus.pcie;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;

/**
 * A PCI Express host bridge with an ECAM configuration window, as QEMU's generic {@code gpex}
 * ({@code hw/pci-host/gpex.c}, "pci-host-ecam-generic" in the device tree):
 *
 * <ul>
 *   <li><b>ECAM</b> (PCIe Base §7.2.2): offset = bus &lt;&lt; 20 | device &lt;&lt; 15 | function &lt;&lt; 12 |
 *       register; the window's size sets the number of buses (16 MiB: buses 0-15). 1-, 2- and 4-byte
 *       accesses within one dword. A function that is not there reads all-ones (the master abort
 *       of a configuration read) and ignores writes, so enumeration finds empty slots and moves on.</li>
 *   <li>Bus 0, device 0, function 0 is the bridge itself: QEMU's {@code gpex-root}, a conventional
 *       function with vendor 0x1b36 (Red Hat), device 0x0008 (QEMU PCIe host bridge), revision 0,
 *       class 0x060000 (host bridge), header type 0, subsystem 0x1af4:0x1100, no BARs, no interrupt pin.</li>
 *   <li><b>PIO and MMIO windows</b> ({@link #pioWindow()}, {@link #mmioWindow}): CPU accesses decode
 *       to the enabled BARs of the attached functions; anywhere else they read all-ones and writes
 *       are dropped (QEMU's "allow-unmapped-accesses", on by default).</li>
 *   <li><b>INTx</b>: a function on device {@code d} asserting pin {@code p} (0 = INTA) reaches host
 *       line {@code (d + p) % 4} ({@link #swizzle}, QEMU {@code gpex_swizzle_map_irq_fn}). The four host
 *       lines ({@link #intx(int)}, named {@code <bridge>.inta} .. {@code .intd}) are wired-OR: high
 *       while any function whose pin swizzles to it asserts (the board connects them to the GIC).</li>
 * </ul>
 */
public final class EcamHostBridge {
    /** PCI vendor ID of Red Hat, and the device ID of QEMU's PCIe host bridge (QEMU include/hw/pci/pci_ids.h). */
    public static final int VENDOR_REDHAT = 0x1B36;
    public static final int DEVICE_REDHAT_PCIE_HOST = 0x0008;
    /** Class code of a host bridge: base class 0x06 (bridge), sub-class 0x00 (host), prog-if 0. */
    public static final int CLASS_BRIDGE_HOST = 0x06_00_00;
    /** Bytes of ECAM window per bus: 32 devices x 8 functions x 4 KiB. */
    public static final long ECAM_BUS_SIZE = 1L << 20;
    public static final int DEVICES = 32;
    public static final int FUNCTIONS = 8;
    /** INTA-INTD. */
    public static final int PINS = 4;

    private final String name;
    private final int buses;
    private final Tracer tracer;
    private final PciFunction[] functions;
    /** The plugged functions, in plugging order (the windows search these, not all 4096 slots). */
    private final List<PciFunction> plugged = new ArrayList<>();
    /** Per slot index: the INTx pin (1-4) the function asserts, or 0. */
    private final int[] assertedPin;
    /** Per host line: how many functions assert a pin that swizzles to it (the line is their wired-OR). */
    private final int[] asserting = new int[PINS];
    private final IrqLine[] intx = new IrqLine[PINS];
    private final ConfigSpace root;

    /** A bridge whose ECAM window covers {@code buses} buses (1 to 256), with its own function at 00:00.0. */
    public EcamHostBridge(String name, int buses, Tracer tracer) {
        if (buses < 1 || buses > 256) {
            throw new IllegalArgumentException(name + ": " + buses + " buses; ECAM covers 1 to 256");
        }
        this.name = name;
        this.buses = buses;
        this.tracer = tracer;
        this.functions = new PciFunction[buses * DEVICES * FUNCTIONS];
        this.assertedPin = new int[functions.length];
        for (int i = 0; i < PINS; i++) {
            intx[i] = new IrqLine(name + ".int" + (char) ('a' + i), tracer);
        }
        this.root = new ConfigSpace(256, VENDOR_REDHAT, DEVICE_REDHAT_PCIE_HOST, 0, CLASS_BRIDGE_HOST);
        functions[0] = root;
        plugged.add(root);
    }

    /** Host interrupt line {@code n} (0 = the line INTA of device 0 reaches; see {@link #swizzle}). */
    public IrqLine intx(int n) {
        return intx[n];
    }

    /** Buses the ECAM window covers. */
    public int buses() {
        return buses;
    }

    /** Size of the ECAM window. */
    public long ecamSize() {
        return buses * ECAM_BUS_SIZE;
    }

    /** The bridge's own function, 00:00.0. */
    public ConfigSpace rootFunction() {
        return root;
    }

    /**
     * Plugs {@code f} in at {@code bus:device.function}.
     *
     * @throws IllegalArgumentException naming the slot when it is out of range or taken
     */
    public void attach(int bus, int device, int function, PciFunction f) {
        if (bus < 0 || bus >= buses || device < 0 || device >= DEVICES || function < 0 || function >= FUNCTIONS) {
            throw new IllegalArgumentException(String.format("%s: no slot %02x:%02x.%x (buses 0-%d, devices 0-31, functions 0-7)",
                    name, bus, device, function, buses - 1));
        }
        int i = index(bus, device, function);
        if (functions[i] != null) {
            throw new IllegalArgumentException(String.format("%s: slot %02x:%02x.%x is already taken", name, bus, device, function));
        }
        functions[i] = f;
        plugged.add(f);
        f.plugged(new Slot(bus, device, function, i));
    }

    /** A plugged function's place: routing ID, INTx into the swizzle, the host's Status. */
    private final class Slot implements PciSlot {
        private final int bus;
        private final int device;
        private final int function;
        private final int index;

        Slot(int bus, int device, int function, int index) {
            this.bus = bus;
            this.device = device;
            this.function = function;
            this.index = index;
        }

        @Override
        public int bus() {
            return bus;
        }

        @Override
        public int device() {
            return device;
        }

        @Override
        public int function() {
            return function;
        }

        @Override
        public void intx(int pin, boolean asserted) {
            if (pin < 1 || pin > PINS) {
                return; // Interrupt Pin 0: the function uses no INTx
            }
            int before = assertedPin[index];
            int now = asserted ? pin : 0;
            if (before == now) {
                return;
            }
            assertedPin[index] = now;
            if (before != 0) {
                int line = swizzle(device, before - 1);
                asserting[line]--;
                intx[line].set(asserting[line] > 0);
            }
            if (now != 0) {
                int line = swizzle(device, now - 1);
                asserting[line]++;
                intx[line].set(true);
            }
        }

        @Override
        public void hostStatus(int bits) {
            root.assign(ConfigSpace.STATUS, 2, bits, true);
        }
    }

    /** The function at {@code bus:device.function}, or {@code null}. */
    public PciFunction function(int bus, int device, int function) {
        return functions[index(bus, device, function)];
    }

    /** Host interrupt line (0-3) that INTx pin {@code pin} (0 = INTA) of a function on {@code device} reaches. */
    public static int swizzle(int device, int pin) {
        return (device + pin) % PINS;
    }

    /** Resets every function. */
    public void reset() {
        for (PciFunction f : functions) {
            if (f != null) {
                f.reset();
            }
        }
    }

    private static int index(int bus, int device, int function) {
        return (bus * DEVICES + device) * FUNCTIONS + function;
    }

    /** The ECAM configuration window, {@link #ecamSize()} bytes. */
    public MmioDevice ecam() {
        return new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                if (!fits(offset, size)) {
                    return MemoryBus.BUS_ERROR;
                }
                PciFunction f = functions[(int) (offset >>> 12)];
                int reg = (int) (offset & 0xFFF);
                long value = f == null ? ones(size) : f.configRead(reg, size);
                if (tracer.enabled()) {
                    tracer.emit(name, "pcie.config", String.format("read %s+0x%03x (%d bytes) = 0x%x%s", bdf(offset), reg, size, value,
                            f == null ? " (no function)" : ""));
                }
                return value;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                if (!fits(offset, size)) {
                    return false;
                }
                PciFunction f = functions[(int) (offset >>> 12)];
                int reg = (int) (offset & 0xFFF);
                if (tracer.enabled()) {
                    tracer.emit(name, "pcie.config", String.format("write %s+0x%03x (%d bytes) 0x%x%s", bdf(offset), reg, size, value,
                            f == null ? " (no function: dropped)" : ""));
                }
                if (f != null) {
                    f.configWrite(reg, size, value);
                }
                return true;
            }
        };
    }

    /** 1, 2 or 4 bytes, not crossing a dword (ECAM needs no more; anything else is a bus error). */
    private boolean fits(long offset, int size) {
        return (size == 1 || size == 2 || size == 4) && (offset & 3) + size <= 4 && offset < ecamSize();
    }

    private static String bdf(long offset) {
        return String.format("%02x:%02x.%x", offset >>> 20, (offset >>> 15) & 31, (offset >>> 12) & 7);
    }

    private static long ones(int size) {
        return size == 4 ? 0xFFFF_FFFFL : (1L << (8 * size)) - 1;
    }

    /** The PCI I/O space window: PCI port address = offset in the window. */
    public MmioDevice pioWindow() {
        return new Window(ConfigSpace.BarKind.IO, 0);
    }

    /**
     * The 32-bit memory window; {@code pciBase} is the PCI bus address of its first byte (on
     * {@code virt} the window is identity-mapped: CPU 0x10000000 = PCI 0x10000000).
     */
    public MmioDevice mmioWindow(long pciBase) {
        return new Window(ConfigSpace.BarKind.MEMORY32, pciBase);
    }

    /** A host window: BARs of the attached functions, all-ones and dropped writes elsewhere. */
    private final class Window implements MmioDevice {
        private final boolean io;
        private final long pciBase;

        Window(ConfigSpace.BarKind kind, long pciBase) {
            this.io = kind == ConfigSpace.BarKind.IO;
            this.pciBase = pciBase;
        }

        @Override
        public long read(long offset, int size) {
            Claim c = claim(pciBase + offset, size);
            if (c != null) {
                return c.device().read(c.offset(), size);
            }
            return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        }

        @Override
        public boolean write(long offset, int size, long value) {
            Claim c = claim(pciBase + offset, size);
            if (c != null) {
                return c.device().write(c.offset(), size, value);
            }
            return true; // unclaimed: dropped (QEMU allow-unmapped-accesses)
        }

        /** A BAR's registers and the offset of an access within them. */
        private record Claim(MmioDevice device, long offset) {
        }

        /** The first enabled BAR of this window's kind that covers the access, or {@code null}. */
        private Claim claim(long address, int size) {
            for (int n = 0; n < plugged.size(); n++) {
                PciFunction f = plugged.get(n);
                for (int i = 0; i < 6; i++) {
                    MmioDevice dev = claims(f, i, address, size);
                    if (dev != null) {
                        return new Claim(dev, address - f.barBase(i));
                    }
                }
            }
            return null;
        }

        /** BAR {@code i} of {@code f}'s registers if that BAR is enabled, of this window's kind, and covers the access. */
        private MmioDevice claims(PciFunction f, int i, long address, int size) {
            ConfigSpace.Bar bar = f.bar(i);
            if (bar == null || (bar.kind() == ConfigSpace.BarKind.IO) != io) {
                return null;
            }
            long base = f.barBase(i);
            if (base < 0 || address < base || address + size > base + bar.size()) {
                return null;
            }
            return f.barDevice(i);
        }
    }
}
