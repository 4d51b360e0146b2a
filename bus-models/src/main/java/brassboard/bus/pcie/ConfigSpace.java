package brassboard.bus.pcie;

import java.util.Arrays;

/**
 * A type-0 (endpoint) configuration space header (PCI Local Bus 3.0 §6.1, PCIe Base §7.5.1) with
 * per-byte write and write-1-to-clear masks, as QEMU's {@code hw/pci/pci.c} keeps them
 * ({@code pci_init_wmask}, {@code pci_init_w1cmask}): Command bits I/O, Memory, Bus Master, Parity,
 * SERR and Interrupt Disable, Cache Line Size and Interrupt Line are writable; the Status error
 * bits are write-1-to-clear; the device-specific bytes 0x40-0xFF are writable; identification
 * registers are read-only. BARs declared with {@link #bar} size themselves the standard way (write
 * all-ones, read back the size mask). A function without capabilities has Status 0 and Capabilities
 * Pointer 0. Offsets from 256 on read all-ones for a conventional function, as QEMU's ECAM does.
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
        put(wmask, COMMAND, 2, COMMAND_IO | COMMAND_MEMORY | COMMAND_MASTER | COMMAND_PARITY | COMMAND_SERR | COMMAND_INTX_DISABLE);
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
