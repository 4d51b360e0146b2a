package brassboard.bus.pcie;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Tracer;

/**
 * A PCI Express endpoint function as a device model holds it: its {@link ConfigSpace}, the registers
 * behind its BARs, its interrupts (INTx and MSI) and its bus-master port ({@link #dma()}). A model
 * (an EHCI controller, a WiFi baseband) builds the configuration space, maps its register windows
 * with {@link #mapBar}, and the board plugs the endpoint into an {@link EcamHostBridge}.
 *
 * <h2>Interrupts</h2>
 * <ul>
 *   <li>{@link #intx(boolean)} sets the function's interrupt condition. Status.Interrupt Status
 *       follows it always; the INTx message (the bridge's swizzle, then a GIC SPI) is asserted only
 *       while Command.Interrupt Disable is clear, MSI is disabled and the link is up (PCI 3.0 §6.2.2,
 *       §6.8.1.3; PCIe Base §2.2.8.1: a link going down deasserts virtual wires).</li>
 *   <li>{@link #msi(int)} sends MSI message {@code vector} when MSI Enable is set: a 32-bit memory
 *       write of Message Data (its low bits replaced by the vector number under Multiple Message
 *       Enable) to Message Address, through the DMA port, so Bus Master Enable gates it. A vector whose
 *       Mask Bit is set is held in Pending Bits and sent when software unmasks it (§6.8.3.3).</li>
 * </ul>
 *
 * <p>A function with a Power Management capability put in D3hot answers configuration requests
 * only: no BAR decodes, no DMA (PCI PM 1.2 §5.4.1).
 *
 * <h2>Fault points</h2>
 * <ul>
 *   <li>{@code pcie.<name>.config}: each configuration access to the function (filters: {@code address}
 *       = register offset, {@code size}, {@code kind} read/write). {@code completer-abort}: a read
 *       returns all-ones, a write is dropped; the function sets Status.Signaled Target Abort and the
 *       host bridge Status.Received Target Abort. {@code unsupported-request}: likewise, with Device
 *       Status.Unsupported Request Detected (if the function has a PCI Express capability) and the
 *       host's Received Master Abort.</li>
 *   <li>{@code pcie.<name>.dma}: each DMA request (filters {@code address}, {@code size} (of the first
 *       word), {@code master}, {@code kind} read/write). {@code completer-abort} / {@code unsupported-request}:
 *       the request fails (a write is not performed); on a read the function records Received Target
 *       Abort / Received Master Abort. {@code poison}: the data moves XORed with the rule's mask in
 *       every 32-bit word; a poisoned read completion sets Detected Parity Error, and Master Data Parity
 *       Error when Command.Parity Error Response is set (PCIe Base §2.7.2.2); a poisoned write sets
 *       Master Data Parity Error under the same condition.</li>
 *   <li>{@code pcie.<name>.link}: {@code link-down} for a window of time (a timed fault): while down,
 *       configuration reads return all-ones and writes are dropped, the BARs decode nothing (the host
 *       window reads all-ones, drops writes), DMA and MSI fail with {@link DmaPort.Result#LINK_DOWN},
 *       INTx is deasserted. When the window ends the link comes back with the configuration intact.</li>
 * </ul>
 */
public final class PcieEndpoint implements PciFunction {
    /** {@link FaultSite#action} values the fault engine sets on this endpoint's occurrences. */
    public static final String COMPLETER_ABORT = "completer-abort";
    public static final String UNSUPPORTED = "unsupported-request";
    public static final String POISON = "poison";
    /** Primitives of the link point. */
    public static final String LINK_DOWN = "link-down";
    public static final String LINK_UP = "link-up";

    private final String name;
    private final ConfigSpace config;
    private final Tracer tracer;
    private final MmioDevice[] barDevices = new MmioDevice[6];
    private final DmaPort dma;
    private final FaultPoint configPoint;
    private final FaultSite configSite = new FaultSite();
    private PciSlot slot;
    private boolean condition;
    private boolean intxSent;
    private boolean linkUp = true;

    /**
     * An endpoint named {@code name} (its trace source, and its fault points {@code pcie.<name>.*},
     * declared in {@code faults}) whose requests reach {@code bus} as master {@code master}.
     */
    public PcieEndpoint(String name, ConfigSpace config, MemoryBus bus, int master, Tracer tracer, FaultPoints faults) {
        this.name = name;
        this.config = config;
        this.tracer = tracer;
        String prefix = "pcie." + name;
        this.configPoint = faults.declare(prefix + ".config", "configuration accesses to PCIe function " + name,
                COMPLETER_ABORT, UNSUPPORTED).filters("address", "size", "kind").kinds(DmaPort.READ, DmaPort.WRITE);
        FaultPoint dmaPoint = faults.declare(prefix + ".dma", "DMA requests of PCIe function " + name + " (master " + brassboard.bus.api.Masters.name(master) + ")",
                COMPLETER_ABORT, UNSUPPORTED, POISON).filters("address", "size", "master", "kind").kinds(DmaPort.READ, DmaPort.WRITE);
        faults.declare(prefix + ".link", "the PCIe link of function " + name, LINK_DOWN).performer((p, s) -> performLink(s));
        this.dma = new DmaPort(this, bus, master, tracer, dmaPoint);
    }

    /** The function's name. */
    public String name() {
        return name;
    }

    /** The configuration space. */
    public ConfigSpace config() {
        return config;
    }

    /** The bus-master port. */
    public DmaPort dma() {
        return dma;
    }

    /** Where the function is plugged, or {@code null} before the bridge plugs it. */
    public PciSlot slot() {
        return slot;
    }

    /**
     * Puts {@code registers} behind BAR {@code index}, which the configuration space must declare.
     *
     * @throws IllegalArgumentException naming the BAR when it is not declared
     */
    public PcieEndpoint mapBar(int index, MmioDevice registers) {
        if (index < 0 || index > 5 || config.bar(index) == null) {
            throw new IllegalArgumentException(name + ": BAR " + index + " is not declared in the configuration space");
        }
        barDevices[index] = registers;
        return this;
    }

    /**
     * Whether the function is in D3hot (PMCSR.PowerState = 11b in its Power Management capability):
     * it then answers configuration requests only — its BARs decode nothing and it issues no requests
     * (PCI PM 1.2 §5.4.1, Table 5-4).
     */
    public boolean inD3hot() {
        int pm = config.findCapability(ConfigSpace.CAP_ID_PM);
        return pm >= 0 && (config.value(pm + ConfigSpace.PM_PMCSR, 2) & ConfigSpace.PMCSR_POWER_STATE) == 3;
    }

    /** Whether the link is up (a {@code link-down} fault takes it down for a while). */
    public boolean linkUp() {
        return linkUp;
    }

    // ================================================================ interrupts

    /** Sets the function's interrupt condition (the level its INTx would carry). */
    public void intx(boolean level) {
        condition = level;
        updateIntx();
    }

    /** Whether MSI Enable is set in the function's MSI capability. */
    public boolean msiEnabled() {
        int cap = config.findCapability(ConfigSpace.CAP_ID_MSI);
        return cap >= 0 && (config.value(cap + ConfigSpace.MSI_CONTROL, 2) & ConfigSpace.MSI_CONTROL_ENABLE) != 0;
    }

    /**
     * Sends MSI message {@code vector}.
     *
     * @return whether the message write completed; false when MSI is disabled, the vector is beyond
     *         Multiple Message Enable, it is masked (then it is pending), or the write failed
     */
    public boolean msi(int vector) {
        int cap = config.findCapability(ConfigSpace.CAP_ID_MSI);
        if (cap < 0 || !msiEnabled()) {
            return false;
        }
        int control = (int) config.value(cap + ConfigSpace.MSI_CONTROL, 2);
        int enabled = 1 << Math.min(5, (control >>> 4) & 7);
        if (vector < 0 || vector >= enabled) {
            tracer.warnOnce(name + ".msi.vector", name, "MSI vector " + vector + " not sent: software enabled " + enabled + " vector(s)");
            return false;
        }
        int data = config.msiDataOffset(cap);
        if ((control & ConfigSpace.MSI_CONTROL_MASKABLE) != 0 && (config.value(data + 4, 4) & (1L << vector)) != 0) {
            config.assign(data + 8, 4, 1L << vector, true);
            return false;
        }
        long address = config.value(cap + ConfigSpace.MSI_ADDRESS_LO, 4);
        if ((control & ConfigSpace.MSI_CONTROL_64BIT) != 0) {
            address |= config.value(cap + ConfigSpace.MSI_ADDRESS_LO + 4, 4) << 32;
        }
        long message = (config.value(data, 2) & ~(enabled - 1L)) | vector;
        if (tracer.enabled()) {
            tracer.emit(name, "pcie.msi", String.format("vector %d: write 0x%04x to 0x%08x", vector, message, address));
        }
        return dma.writeWord(address, 4, message).ok();
    }

    private void updateIntx() {
        config.assign(ConfigSpace.STATUS, 2, ConfigSpace.STATUS_INTX, condition);
        boolean assert_ = condition && linkUp && (config.command() & ConfigSpace.COMMAND_INTX_DISABLE) == 0 && !msiEnabled();
        if (assert_ != intxSent && slot != null) {
            intxSent = assert_;
            slot.intx((int) config.value(ConfigSpace.INTERRUPT_PIN, 1), assert_);
        }
    }

    /** Sends the pending MSI vectors software has unmasked. */
    private void sendUnmaskedPending() {
        int cap = config.findCapability(ConfigSpace.CAP_ID_MSI);
        if (cap < 0 || (config.value(cap + ConfigSpace.MSI_CONTROL, 2) & ConfigSpace.MSI_CONTROL_MASKABLE) == 0 || !msiEnabled()) {
            return;
        }
        int data = config.msiDataOffset(cap);
        long ready = config.value(data + 8, 4) & ~config.value(data + 4, 4);
        for (int v = 0; v < 32; v++) {
            if ((ready & (1L << v)) != 0) {
                config.assign(data + 8, 4, 1L << v, false);
                msi(v);
            }
        }
    }

    // ================================================================ errors the endpoint records

    /** A poisoned completion arrived for a read of ours (PCIe Base §2.7.2.2, §7.5.1.1.4). */
    void poisonedCompletion() {
        config.assign(ConfigSpace.STATUS, 2, ConfigSpace.STATUS_DETECTED_PARITY, true);
        poisonedWrite();
    }

    /** We sent poisoned data (a write), or received it: Master Data Parity Error, if Parity Error Response is on. */
    void poisonedWrite() {
        if ((config.command() & ConfigSpace.COMMAND_PARITY) != 0) {
            config.assign(ConfigSpace.STATUS, 2, ConfigSpace.STATUS_MASTER_DATA_PARITY, true);
        }
    }

    // ================================================================ the link

    private void performLink(FaultSite s) {
        s.previous = linkUp ? 1 : 0;
        switch (s.action) {
            case LINK_DOWN -> setLink(false);
            case LINK_UP -> setLink(true);
            case "check" -> {
            }
            default -> throw new IllegalArgumentException("pcie." + name + ".link cannot " + s.action);
        }
        s.value = linkUp ? 1 : 0;
    }

    private void setLink(boolean up) {
        if (up == linkUp) {
            return;
        }
        linkUp = up;
        if (tracer.enabled()) {
            tracer.emit(name, up ? "pcie.link.up" : "pcie.link.down", slot == null ? name : slot.bdf());
        }
        updateIntx();
    }

    // ================================================================ PciFunction

    @Override
    public int configSize() {
        return config.configSize();
    }

    @Override
    public long configRead(int offset, int size) {
        long ones = size == 4 ? 0xFFFF_FFFFL : (1L << (8 * size)) - 1;
        if (!linkUp) {
            return ones;
        }
        long value = config.configRead(offset, size);
        if (configPoint.armed()) {
            configPoint.fire(configSite.access(offset, size, -1, false, value).kind(DmaPort.READ));
            if (configFailed()) {
                return ones;
            }
        }
        return value;
    }

    @Override
    public void configWrite(int offset, int size, long value) {
        if (!linkUp) {
            return;
        }
        if (configPoint.armed()) {
            configPoint.fire(configSite.access(offset, size, -1, true, value).kind(DmaPort.WRITE));
            if (configFailed()) {
                return;
            }
        }
        config.configWrite(offset, size, value);
        updateIntx();
        sendUnmaskedPending();
    }

    /** Whether the fault handler failed the configuration request; records it where the spec says. */
    private boolean configFailed() {
        if (!configSite.error && !configSite.dropped) {
            return false;
        }
        if (UNSUPPORTED.equals(configSite.action)) {
            int exp = config.findCapability(ConfigSpace.CAP_ID_EXP);
            if (exp >= 0) {
                config.assign(exp + ConfigSpace.EXP_DEVSTA, 2, ConfigSpace.EXP_DEVSTA_URD, true);
            }
            hostStatus(ConfigSpace.STATUS_RECEIVED_MASTER_ABORT);
        } else {
            config.assign(ConfigSpace.STATUS, 2, ConfigSpace.STATUS_SIGNALED_TARGET_ABORT, true);
            hostStatus(ConfigSpace.STATUS_RECEIVED_TARGET_ABORT);
        }
        return true;
    }

    private void hostStatus(int bits) {
        if (slot != null) {
            slot.hostStatus(bits);
        }
    }

    @Override
    public MmioDevice barDevice(int index) {
        return barDevices[index];
    }

    @Override
    public ConfigSpace.Bar bar(int index) {
        return config.bar(index);
    }

    @Override
    public long barBase(int index) {
        return linkUp && !inD3hot() ? config.barBase(index) : -1;
    }

    @Override
    public void reset() {
        config.reset();
        condition = false;
        updateIntx();
    }

    @Override
    public void plugged(PciSlot s) {
        this.slot = s;
        updateIntx();
    }
}
