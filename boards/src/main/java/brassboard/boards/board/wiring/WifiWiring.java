package brassboard.boards.board.wiring;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.WifiAttachment;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.EcamHostBridge;
import brassboard.devices.wifi.Air;
import brassboard.devices.wifi.Pcap;
import brassboard.devices.wifi.RfTransceiver;
import brassboard.devices.wifi.WifiBaseband;
import java.io.IOException;
import java.util.Optional;

/**
 * A board's WiFi pair (a {@code wifi-baseband} entry, {@code --wifi}, docs/devices/wifi.md): the
 * baseband in a PCIe slot, a DMA master of its own, with its RF transceiver on the baseband's SPI
 * master, in an {@link Air} on the given channel. The names come from the board file
 * ({@link Names}); on {@code virt} they are {@code wifi0} at PCI 00:02.0 (INTA, which the host bridge
 * swizzles to INTC = SPI 5), master {@code dma1}, transceiver {@code rf0}. A system reset resets it
 * with the host bridge's other functions (the air keeps going).
 */
public final class WifiWiring {
    /** virt's PCI device number: the slot after the EHCI's (00:01.0), fixed whether or not --usb is given. */
    public static final int WIFI_DEVICE = 2;
    public static final String PCI_PATH = "0000:00:02.0";
    /** virt's baseband bus master id: {@code dma1} ({@code dma0} is the EHCI's). */
    public static final int MASTER = Masters.DMA_BASE + 1;
    /** virt's names: baseband {@code wifi0} in slot 2, master {@code dma1}, transceiver {@code rf0}. */
    public static final Names VIRT = new Names("wifi0", "rf0", WIFI_DEVICE, MASTER);

    /**
     * What one baseband is called and where it sits.
     *
     * @param baseband the baseband's name (trace source, {@code wifi.<name>.rx}, {@code pcie.<name>.*})
     * @param rf       its transceiver's name ({@code rf.<rf>})
     * @param slot     its PCI device number on bus 0
     * @param master   its bus master id ({@link Masters#DMA_BASE} + n is {@code dma<n>})
     */
    public record Names(String baseband, String rf, int slot, int master) {
    }

    private final WifiBaseband baseband;
    private final Air air;

    private WifiWiring(WifiBaseband baseband, Air air) {
        this.baseband = baseband;
        this.air = air;
    }

    /**
     * Reads the RX pcap (when given), creates the TX pcap (when given), and builds and plugs the pair.
     *
     * @return the wiring, or null when {@code wifi} is empty
     * @throws ConfigException one line naming {@code --wifi}, the file and what is wrong
     */
    public static WifiWiring attach(Optional<WifiAttachment> wifi, Names names, EcamHostBridge pcie, Scheduler scheduler, Tracer tracer,
                                    MemoryBus bus, FaultPoints faults) throws ConfigException {
        if (wifi.isEmpty()) {
            return null;
        }
        WifiAttachment w = wifi.get();
        Air.Traffic traffic = null;
        if (w.rxPcap().isPresent()) {
            try {
                traffic = Air.recording(Pcap.read(w.rxPcap().get()), w.rxStartNs());
            } catch (Pcap.FormatException e) {
                throw new ConfigException("--wifi " + w + ": rx=" + w.rxPcap().get() + ": " + e.getMessage());
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ConfigException("--wifi " + w + ": rx=" + w.rxPcap().get() + ": no such file; expected an 802.11 pcap file");
            } catch (IOException e) {
                throw new ConfigException("--wifi " + w + ": rx=" + w.rxPcap().get() + ": cannot read it (" + e.getMessage() + ")");
            }
        } else if (w.rxRate().isPresent()) {
            traffic = Air.generator(w.rxRate().getAsLong(), w.rxSize(), w.rxSeed(), w.rxCount(), w.rxStartNs());
        }
        Pcap.Writer tx = null;
        if (w.txPcap().isPresent()) {
            try {
                tx = new Pcap.Writer(w.txPcap().get());
            } catch (IOException e) {
                throw new ConfigException("--wifi " + w + ": tx=" + w.txPcap().get() + ": cannot create it ("
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such directory" : e.getMessage()) + ")");
            }
        }
        Air air = new Air(scheduler, tracer, w.channel(), traffic, tx);
        RfTransceiver rf = new RfTransceiver(names.rf(), scheduler, tracer, faults);
        WifiBaseband bb = new WifiBaseband(names.baseband(), scheduler, tracer, faults, bus, names.master(), rf, air);
        pcie.attach(0, names.slot(), 0, bb.function());
        air.attach(bb);
        return new WifiWiring(bb, air);
    }

    /** The baseband. */
    public WifiBaseband baseband() {
        return baseband;
    }

    /** The air it is in. */
    public Air air() {
        return air;
    }
}
