package brassboard.bus.pcie;

import java.util.Arrays;

/**
 * A type-0 (endpoint) configuration space header (PCI Local Bus 3.0 §6.1, PCIe Base §7.5.1) with
 * per-byte write and write-1-to-clear masks, as QEMU's {@code hw/pci/pci.c} keeps them
 * ({@code pci_init_wmask}, {@code pci_init_w1cmask}): Command bits I/O, Memory, Bus Master, SERR and
 * Interrupt Disable, Cache Line Size and Interrupt Line are writable (Parity Error Response only once
 * the function has a PCI Express capability: {@link #pciExpressEndpoint()}); the Status error
 * bits are write-1-to-clear; the device-specific bytes 0x40-0xFF are writable; identification
 * registers are read-only. BARs declared with {@link #bar} size themselves the standard way (write
 * all-ones, read back the size mask). A function without capabilities has Status 0 and Capabilities
 * Pointer 0. Offsets from 256 on read all-ones for a conventional function, as QEMU's ECAM does.
 * The Expansion ROM BAR is not implemented: it reads 0 and ignores writes (PCI 3.0 §6.2.5.2).
 *
 * <p>Capabilities ({@link #powerManagement()}, {@link #msi}, {@link #pciExpressEndpoint()}, or any
 * with {@link #capability}) are placed from 0x40 on in the order they are added and linked from the
 * Capabilities Pointer (§6.7); adding one sets Status.Capabilities List. The function's own side
 * reads and changes registers through {@link #value}, {@link #command()} and {@link #assign}.
 */
public final class ConfigSpace implements PciFunction {
    // ---- Type-0 header offsets ----
    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    public static final int CLASS_PROG = 0x09;
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BAR0 = 0x10;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C;
    public static final int SUBSYSTEM_ID = 0x2E;
    /** Expansion ROM Base Address (PCI 3.0 §6.2.5.2): no ROM is modelled, so it reads 0 and ignores writes. */
    public static final int EXPANSION_ROM = 0x30;
    public static final int CAPABILITIES_POINTER = 0x34;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;
    /** End of the standard header; device-specific registers follow. */
    public static final int HEADER_SIZE = 0x40;

    // ---- Command register bits ----
    public static final int COMMAND_IO = 1 << 0;
    public static final int COMMAND_MEMORY = 1 << 1;
    public static final int COMMAND_MASTER = 1 << 2;
    public static final int COMMAND_PARITY = 1 << 6;
    public static final int COMMAND_SERR = 1 << 8;
    public static final int COMMAND_INTX_DISABLE = 1 << 10;
    /** Status bits that are write-1-to-clear: parity, target/master aborts, SERR, detected parity. */
    public static final int STATUS_W1C = 0xF900;

    // ---- Status register bits (PCI 3.0 §6.2.3, PCIe Base §7.5.1.1.4) ----
    /** Interrupt Status: the function's INTx condition, whatever Interrupt Disable says (RO). */
    public static final int STATUS_INTX = 1 << 3;
    /** Capabilities List: Capabilities Pointer is valid (RO). */
    public static final int STATUS_CAP_LIST = 1 << 4;
    /** Master Data Parity Error: the function, as requester, received poisoned data or poisoned a write, with Parity Error Response set. */
    public static final int STATUS_MASTER_DATA_PARITY = 1 << 8;
    /** Signaled Target Abort: the function completed a request with Completer Abort. */
    public static final int STATUS_SIGNALED_TARGET_ABORT = 1 << 11;
    /** Received Target Abort: a request of the function's got a Completer Abort completion. */
    public static final int STATUS_RECEIVED_TARGET_ABORT = 1 << 12;
    /** Received Master Abort: a request of the function's got an Unsupported Request completion. */
    public static final int STATUS_RECEIVED_MASTER_ABORT = 1 << 13;
    /** Signaled System Error. */
    public static final int STATUS_SIGNALED_SYSTEM_ERROR = 1 << 14;
    /** Detected Parity Error: the function received poisoned data. */
    public static final int STATUS_DETECTED_PARITY = 1 << 15;

    // ---- Capability IDs (PCI Code and ID Assignment §2) ----
    public static final int CAP_ID_PM = 0x01;
    public static final int CAP_ID_MSI = 0x05;
    public static final int CAP_ID_EXP = 0x10;

    // ---- MSI capability (PCI 3.0 §6.8.1): register offsets from the capability, Message Control bits ----
    public static final int MSI_CONTROL = 0x02;
    public static final int MSI_ADDRESS_LO = 0x04;
    public static final int MSI_CONTROL_ENABLE = 1 << 0;
    public static final int MSI_CONTROL_64BIT = 1 << 7;
    public static final int MSI_CONTROL_MASKABLE = 1 << 8;

    // ---- Power Management capability (PCI PM 1.2 §3.2) ----
    public static final int PM_PMC = 0x02;
    public static final int PM_PMCSR = 0x04;
    /** PMC Version 011b: PCI PM 1.2. */
    public static final int PM_VERSION_1_2 = 0x3;
    public static final int PMCSR_POWER_STATE = 0x3;
    public static final int PMCSR_NO_SOFT_RESET = 1 << 3;
    public static final int PMCSR_PME_ENABLE = 1 << 8;
    public static final int PMCSR_PME_STATUS = 1 << 15;

    // ---- PCI Express capability (PCIe Base §7.5.3), offsets from the capability ----
    public static final int EXP_FLAGS = 0x02;
    public static final int EXP_DEVCAP = 0x04;
    public static final int EXP_DEVCTL = 0x08;
    public static final int EXP_DEVSTA = 0x0A;
    public static final int EXP_LNKCAP = 0x0C;
    public static final int EXP_LNKCTL = 0x10;
    public static final int EXP_LNKSTA = 0x12;
    public static final int EXP_DEVCAP2 = 0x24;
    public static final int EXP_DEVCTL2 = 0x28;
    public static final int EXP_LNKCAP2 = 0x2C;
    public static final int EXP_LNKCTL2 = 0x30;
    /** Length of a version-2 PCI Express capability of an endpoint. */
    public static final int EXP_LENGTH = 0x3C;
    /** Capability Version 2, Device/Port Type 0000b: PCI Express Endpoint. */
    public static final int EXP_FLAGS_V2_ENDPOINT = 0x0002;
    /** Device Capabilities: Role-Based Error Reporting (required since PCIe 1.1), Max_Payload_Size 128 bytes. */
    public static final int EXP_DEVCAP_RBER = 1 << 15;
    /** Device Control reset value: Enable Relaxed Ordering, Enable No Snoop, Max_Read_Request_Size 512 bytes. */
    public static final int EXP_DEVCTL_RESET = 0x2810;
    /** Device Control bits software may write: error reporting enables, RO, MPS, Extended Tag, Phantom, AUX PM, No Snoop, MRRS. */
    public static final int EXP_DEVCTL_WRITABLE = 0x7FFF;
    /** Device Status (RW1C): Correctable, Non-Fatal, Fatal Error Detected, Unsupported Request Detected. */
    public static final int EXP_DEVSTA_CED = 1 << 0;
    public static final int EXP_DEVSTA_NFED = 1 << 1;
    public static final int EXP_DEVSTA_FED = 1 << 2;
    public static final int EXP_DEVSTA_URD = 1 << 3;
    /** Link Capabilities / Status: 2.5 GT/s (speed code 1), x1 — what QEMU gives an endpoint by default. */
    public static final int EXP_LINK_SPEED_2_5GT = 1;
    public static final int EXP_LINK_WIDTH_X1 = 1 << 4;
    /** Link Control bits an endpoint implements: ASPM Control, RCB, Common Clock, Extended Synch, Clock PM, HW Autonomous Width Disable. */
    public static final int EXP_LNKCTL_WRITABLE = 0x03C3;

    /** QEMU's default subsystem IDs for a function that sets none (Red Hat/Qumranet, "QEMU"). */
    public static final int QEMU_SUBSYSTEM_VENDOR = 0x1AF4;
    public static final int QEMU_SUBSYSTEM_ID = 0x1100;

    /** What a BAR decodes. */
    public enum BarKind { MEMORY32, MEMORY64, IO }

    /** A BAR: index 0-5, a power-of-two size. */
    public record Bar(int index, long size, BarKind kind, boolean prefetchable) {
        public Bar {
            if (index < 0 || index > 5 || Long.bitCount(size) != 1 || (kind == BarKind.MEMORY64 && index == 5)) {
                throw new IllegalArgumentException("BAR " + index + " of " + size + " bytes (" + kind + ") is not a valid type-0 BAR");
            }
        }

        /** Low bits of the BAR register that describe it (PCI 3.0 §6.2.5.1). */
        int typeBits() {
            return switch (kind) {
                case IO -> 0x1;
                case MEMORY32 -> prefetchable ? 0x8 : 0x0;
                case MEMORY64 -> 0x4 | (prefetchable ? 0x8 : 0x0);
            };
        }
    }

    private final int size;
    private final byte[] config;
    private final byte[] reset;
    private final byte[] wmask;
    private final byte[] w1cmask;
    private final Bar[] bars = new Bar[6];
    /** Where the next capability goes, and the Next pointer of the last one placed (0: none yet). */
    private int nextCapability = HEADER_SIZE;
    private int lastCapability;

    /**
     * A conventional (256-byte) or express (4096-byte) type-0 function.
     *
     * @param classCode 24 bits: base class, sub-class, programming interface (0x060000 = host bridge)
     */
    public ConfigSpace(int configSize, int vendor, int device, int revision, int classCode) {
        if (configSize != 256 && configSize != 4096) {
            throw new IllegalArgumentException("configuration space of " + configSize + " bytes; expected 256 or 4096");
        }
        this.size = configSize;
        this.config = new byte[configSize];
        this.wmask = new byte[configSize];
        this.w1cmask = new byte[configSize];
        put(config, VENDOR_ID, 2, vendor);
        put(config, DEVICE_ID, 2, device);
        put(config, REVISION_ID, 1, revision);
        put(config, CLASS_PROG, 3, classCode);
        put(config, HEADER_TYPE, 1, 0);
        put(config, SUBSYSTEM_VENDOR_ID, 2, QEMU_SUBSYSTEM_VENDOR);
        put(config, SUBSYSTEM_ID, 2, QEMU_SUBSYSTEM_ID);
        // Parity Error Response stays 0 on a conventional function, as QEMU's usb-ehci keeps it: Linux's
        // ARM PCI fixup writes SERR# Enable | Parity Error Response and QEMU reads back SERR# only.
        put(wmask, COMMAND, 2, COMMAND_IO | COMMAND_MEMORY | COMMAND_MASTER | COMMAND_SERR | COMMAND_INTX_DISABLE);
        put(wmask, CACHE_LINE_SIZE, 1, 0xFF);
        put(wmask, INTERRUPT_LINE, 1, 0xFF);
        Arrays.fill(wmask, HEADER_SIZE, configSize, (byte) 0xFF);
        put(w1cmask, STATUS, 2, STATUS_W1C);
        this.reset = config.clone();
    }

    /** Sets a read-only register's value (identification, subsystem IDs, interrupt pin) before use. */
    public ConfigSpace set(int offset, int bytes, long value) {
        put(config, offset, bytes, value);
        put(reset, offset, bytes, value);
        return this;
    }

    /** Declares a BAR; its register then sizes and decodes as the PCI specification says. */
    public ConfigSpace bar(Bar bar) {
        int off = BAR0 + 4 * bar.index();
        long mask = ~(bar.size() - 1) & ~(bar.kind() == BarKind.IO ? 0x3L : 0xFL);
        int words = bar.kind() == BarKind.MEMORY64 ? 2 : 1;
        put(wmask, off, 4, mask);
        if (words == 2) {
            put(wmask, off + 4, 4, mask >>> 32);
        }
        put(config, off, 4, bar.typeBits());
        put(reset, off, 4, bar.typeBits());
        bars[bar.index()] = bar;
        return this;
    }

    // ================================================================ capabilities (PCI 3.0 §6.7)

    /**
     * Places a capability of {@code length} bytes with this ID after the ones already placed (from
     * 0x40, dword-aligned), links it at the end of the list that starts at the Capabilities Pointer,
     * and sets Status.Capabilities List. Its bytes are read-only until the caller opens fields.
     *
     * @return the capability's offset
     */
    public int capability(int id, int length) {
        int at = nextCapability;
        if (length < 2 || at + length > 256) {
            throw new IllegalArgumentException(String.format("no room for a %d-byte capability 0x%02x at 0x%02x: capabilities live in the first 256 bytes",
                    length, id, at));
        }
        Arrays.fill(wmask, at, at + length, (byte) 0);
        set(at, 1, id);
        set(at + 1, 1, 0);
        if (lastCapability == 0) {
            set(CAPABILITIES_POINTER, 1, at);
            set(STATUS, 2, get(config, STATUS, 2) | STATUS_CAP_LIST);
        } else {
            set(lastCapability + 1, 1, at);
        }
        lastCapability = at;
        nextCapability = (at + length + 3) & ~3;
        return at;
    }

    /** The offset of the first capability with this ID in the list, or -1 (a walk from 0x34, as drivers make it). */
    public int findCapability(int id) {
        int at = (int) get(config, CAPABILITIES_POINTER, 1) & ~3;
        for (int hops = 0; at >= HEADER_SIZE && hops < 48; hops++) {
            if (get(config, at, 1) == id) {
                return at;
            }
            at = (int) get(config, at + 1, 1) & ~3;
        }
        return -1;
    }

    /**
     * Adds a PCI Power Management capability (PCI PM 1.2): PMC version 1.2 with no PME support and
     * no D1/D2; PMCSR.PowerState writable (D0-D3hot), No_Soft_Reset set (a D3hot to D0 transition keeps
     * the function's state, as QEMU's devices do). A {@link PcieEndpoint} in D3hot decodes no BAR and
     * issues no DMA.
     */
    public ConfigSpace powerManagement() {
        int at = capability(CAP_ID_PM, 8);
        set(at + PM_PMC, 2, PM_VERSION_1_2);
        set(at + PM_PMCSR, 2, PMCSR_NO_SOFT_RESET);
        put(wmask, at + PM_PMCSR, 2, PMCSR_POWER_STATE);
        return this;
    }

    /**
     * Adds an MSI capability (PCI 3.0 §6.8.1.3): {@code vectors} (1, 2, 4, 8, 16 or 32) requested in
     * Multiple Message Capable, a 64-bit Message Address when {@code address64}, and the Mask and
     * Pending Bits of per-vector masking when {@code maskable}. Writable: MSI Enable, Multiple Message
     * Enable, the address (bits 1:0 reserved), the data, the mask bits of implemented vectors.
     */
    public ConfigSpace msi(int vectors, boolean address64, boolean maskable) {
        if (vectors < 1 || vectors > 32 || Integer.bitCount(vectors) != 1) {
            throw new IllegalArgumentException(vectors + " MSI vectors; expected 1, 2, 4, 8, 16 or 32");
        }
        int length = 0x0A + (address64 ? 4 : 0) + (maskable ? 0x0A : 0);
        int at = capability(CAP_ID_MSI, length);
        int mmc = Integer.numberOfTrailingZeros(vectors);
        set(at + MSI_CONTROL, 2, mmc << 1 | (address64 ? MSI_CONTROL_64BIT : 0) | (maskable ? MSI_CONTROL_MASKABLE : 0));
        put(wmask, at + MSI_CONTROL, 2, MSI_CONTROL_ENABLE | 0x70);
        put(wmask, at + MSI_ADDRESS_LO, 4, 0xFFFF_FFFCL);
        if (address64) {
            put(wmask, at + MSI_ADDRESS_LO + 4, 4, 0xFFFF_FFFFL);
        }
        put(wmask, msiDataOffset(at), 2, 0xFFFF);
        if (maskable) {
            put(wmask, msiDataOffset(at) + 4, 4, vectors == 32 ? 0xFFFF_FFFFL : (1L << vectors) - 1);
        }
        return this;
    }

    /**
     * Adds a version-2 PCI Express capability for an Endpoint (PCIe Base §7.5.3) on a 2.5 GT/s x1
     * link, as QEMU gives one: Device Control and Link Control writable where an endpoint implements
     * them, Device Status error bits write-1-to-clear, Link Status reporting the negotiated speed and width.
     * A PCI Express function's Command.Parity Error Response is read-write (PCIe Base 3.0 §7.5.1.1): it
     * gates Master Data Parity Error on poisoned data.
     */
    public ConfigSpace pciExpressEndpoint() {
        if (size != 4096) {
            throw new IllegalArgumentException("a PCI Express capability needs the 4096-byte configuration space of a PCI Express function");
        }
        int at = capability(CAP_ID_EXP, EXP_LENGTH);
        put(wmask, COMMAND, 2, get(wmask, COMMAND, 2) | COMMAND_PARITY);
        set(at + EXP_FLAGS, 2, EXP_FLAGS_V2_ENDPOINT);
        set(at + EXP_DEVCAP, 4, EXP_DEVCAP_RBER);
        set(at + EXP_DEVCTL, 2, EXP_DEVCTL_RESET);
        put(wmask, at + EXP_DEVCTL, 2, EXP_DEVCTL_WRITABLE);
        put(w1cmask, at + EXP_DEVSTA, 2, EXP_DEVSTA_CED | EXP_DEVSTA_NFED | EXP_DEVSTA_FED | EXP_DEVSTA_URD);
        set(at + EXP_LNKCAP, 4, EXP_LINK_SPEED_2_5GT | EXP_LINK_WIDTH_X1);
        put(wmask, at + EXP_LNKCTL, 2, EXP_LNKCTL_WRITABLE);
        set(at + EXP_LNKSTA, 2, EXP_LINK_SPEED_2_5GT | EXP_LINK_WIDTH_X1);
        set(at + EXP_LNKCAP2, 4, 1 << 1); // Supported Link Speeds Vector: 2.5 GT/s
        set(at + EXP_LNKCTL2, 2, EXP_LINK_SPEED_2_5GT); // Target Link Speed
        put(wmask, at + EXP_LNKCTL2, 2, 0xF);
        return this;
    }

    /** Offset of Message Data in the MSI capability at {@code msiCap}. */
    int msiDataOffset(int msiCap) {
        return msiCap + ((get(config, msiCap + MSI_CONTROL, 2) & MSI_CONTROL_64BIT) != 0 ? 0x0C : 0x08);
    }

    // ================================================================ function-side access

    /** The current value of a register, as the function itself sees it (no side effects). */
    public long value(int offset, int bytes) {
        return get(config, offset, bytes);
    }

    /** The Command register. */
    public int command() {
        return (int) get(config, COMMAND, 2);
    }

    /** Whether Command.Bus Master Enable is set: the function may issue memory requests (DMA, MSI). */
    public boolean busMaster() {
        return (command() & COMMAND_MASTER) != 0;
    }

    /**
     * Sets or clears bits of a register from the function's side, whatever the register's software
     * masks say (Status.Interrupt Status, error bits a function records, Device Status, Pending Bits).
     */
    public void assign(int offset, int bytes, long bits, boolean on) {
        long v = get(config, offset, bytes);
        put(config, offset, bytes, on ? v | bits : v & ~bits);
    }

    @Override
    public Bar bar(int index) {
        return bars[index];
    }

    @Override
    public long barBase(int index) {
        Bar b = bars[index];
        if (b == null) {
            return -1;
        }
        int command = (int) get(config, COMMAND, 2);
        boolean enabled = b.kind() == BarKind.IO ? (command & COMMAND_IO) != 0 : (command & COMMAND_MEMORY) != 0;
        if (!enabled) {
            return -1;
        }
        int off = BAR0 + 4 * index;
        long base = get(config, off, 4) & (b.kind() == BarKind.IO ? ~0x3L : ~0xFL) & 0xFFFF_FFFFL;
        if (b.kind() == BarKind.MEMORY64) {
            base |= get(config, off + 4, 4) << 32;
        }
        return base;
    }

    @Override
    public int configSize() {
        return size;
    }

    @Override
    public long configRead(int offset, int n) {
        if (offset + n > size) {
            return n == 4 ? 0xFFFF_FFFFL : (1L << (8 * n)) - 1;
        }
        return get(config, offset, n);
    }

    @Override
    public void configWrite(int offset, int n, long value) {
        for (int i = 0; i < n && offset + i < size; i++) {
            int o = offset + i;
            int v = (int) (value >>> (8 * i)) & 0xFF;
            int w = wmask[o] & 0xFF;
            int c = w1cmask[o] & 0xFF;
            int old = config[o] & 0xFF;
            config[o] = (byte) ((old & ~w | v & w) & ~(v & c));
        }
    }

    @Override
    public void reset() {
        System.arraycopy(reset, 0, config, 0, size);
    }

    /** Sets the Interrupt Pin (1 = INTA# .. 4 = INTD#; 0: the function uses no INTx). */
    public ConfigSpace interruptPin(int pin) {
        if (pin < 0 || pin > 4) {
            throw new IllegalArgumentException("interrupt pin " + pin + "; expected 0 (none) or 1-4 (INTA-INTD)");
        }
        return set(INTERRUPT_PIN, 1, pin);
    }

    private static void put(byte[] to, int offset, int n, long value) {
        for (int i = 0; i < n; i++) {
            to[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static long get(byte[] from, int offset, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (from[offset + i] & 0xFFL) << (8 * i);
        }
        return v;
    }
}
