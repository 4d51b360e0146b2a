package brassboard.boards.board.wiring;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.hostusb.DescriptorYaml;
import brassboard.bus.usb.DescriptorSet;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.EcamHostBridge;
import brassboard.bus.usb.ehci.Ehci;
import brassboard.bus.usb.ehci.EhciPci;
import brassboard.devices.storage.api.DiskImageException;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaIdentity;
import brassboard.devices.storage.ata.BadSectors;
import brassboard.devices.storage.ata.Medium;
import brassboard.devices.storage.ata.SectorFaults;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.storage.bridge.JMicron;
import brassboard.devices.storage.bridge.SuperTop;
import brassboard.devices.storage.bridge.UsbAtaBridge;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import brassboard.devices.storage.usb.UsbStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A board's USB (a {@code usb-ehci} entry), as QEMU's {@code -device usb-ehci -device usb-storage,...} with
 * {@code -nic none}: an EHCI controller ({@link EhciPci}, QEMU's usb-ehci identity) in a PCIe slot
 * (virt: {@link #VIRT}, {@code ehci0} at 00:01.0, master {@code dma0}), its INTD swizzled to the host bridge's SPI, and per {@link UsbAttachment} a usb-storage stick or a
 * USB-to-IDE bridge (Super Top, JMicron) on its root ports, each disk over a perfect medium or the
 * {@link BadSectors} its options describe. The controller exists only when at least one device is given. A system reset
 * resets it with the host bridge's other functions; the sticks stay plugged in.
 *
 * <p>Fault points: {@code usb.<port>.packet} and {@code usb.<port>.link} for each of the six root
 * ports ({@link Names#portPointPrefix()}: {@code usb.<controller>.<port>.*} on a board's later
 * controllers), and per device (named {@link Names#devicePrefix()} and its port: {@code usb1} on the
 * board's first controller) {@code bot.usb1}, {@code scsi.usb1.command} and {@code disk.usb1.sector};
 * a bridge also {@code bridge.usb1}.
 */
public final class UsbWiring {
    /** PCI device number of the controller: the first free slot after the host bridge, as QEMU gives it. */
    public static final int EHCI_DEVICE = 1;
    /** The controller's PCI path on virt, which QEMU's serial numbers carry. */
    public static final String EHCI_PCI_PATH = "0000:00:01.0";
    /** virt's names: {@code ehci0} in slot 1, master {@code dma0}, devices {@code usb<port>}. */
    public static final Names VIRT = new Names("ehci0", "usb", EHCI_DEVICE, Masters.DMA_BASE);

    /**
     * What one controller is called and where it sits.
     *
     * @param controller   the controller's name (trace source, its interrupt line {@code irq.<controller>})
     * @param devicePrefix its devices' names are this and their port ({@code usb} gives {@code usb1}); its
     *                     root ports' fault points are {@code usb.<n>.*} when this is {@code usb}, else
     *                     {@code usb.<controller>.<n>.*}
     * @param slot         its PCI device number on bus 0
     * @param master       its bus master id ({@link Masters#DMA_BASE} + n is {@code dma<n>})
     */
    public record Names(String controller, String devicePrefix, int slot, int master) {
        /** What the root ports' fault point names start with: {@code usb} ({@code usb.1.packet}) or {@code usb.<controller>}. */
        String portPointPrefix() {
            return devicePrefix.equals("usb") ? "usb" : "usb." + controller;
        }

        /** The PCI path QEMU's serial numbers carry ({@code 0000:00:01.0}). */
        String pciPath() {
            return String.format("0000:00:%02x.0", slot);
        }
    }

    /**
     * The ATA disk behind a bridge (assumed; the field note does not name its disk): a Samsung
     * SpinPoint P80 SP1614N, a 160 GB PATA disk of the time, whatever the image's size.
     */
    public static final AtaIdentity BRIDGE_DISK = new AtaIdentity("SAMSUNG SP1614N", "S016J10X600000", "TM100-24");

    private final EhciPci ehci;
    private final Names names;
    private final List<RawImageBackend> backends;
    private final Map<String, UsbAtaBridge> bridges = new LinkedHashMap<>();
    private final Map<String, BadSectors> badSectors = new LinkedHashMap<>();

    private UsbWiring(EhciPci ehci, Names names, List<RawImageBackend> backends) {
        this.ehci = ehci;
        this.names = names;
        this.backends = backends;
    }

    /**
     * Checks {@code devices} (ports in range and distinct, no more than the controller's ports, each
     * disk a readable raw image) and, when there are any, builds the controller and plugs them in.
     * Nothing is built, and no file is changed, when a device is refused.
     *
     * @return the wiring, or null when {@code devices} is empty
     * @throws ConfigException one line naming the device and what is wrong
     */
    public static UsbWiring attach(List<UsbAttachment> devices, Names names, EcamHostBridge pcie, Scheduler scheduler, Tracer tracer,
                                   MemoryBus bus, FaultPoints faults) throws ConfigException {
        return attach(devices, java.util.Collections.nCopies(devices.size(), null), names, pcie, scheduler, tracer, bus, faults);
    }

    /**
     * As {@link #attach(List, Names, EcamHostBridge, Scheduler, Tracer, MemoryBus, FaultPoints)}, device i
     * named {@code deviceNames[i]} (a board file's entry) rather than by its port when that is not null.
     */
    public static UsbWiring attach(List<UsbAttachment> devices, List<String> deviceNames, Names names, EcamHostBridge pcie,
                                   Scheduler scheduler, Tracer tracer, MemoryBus bus, FaultPoints faults) throws ConfigException {
        if (devices.isEmpty()) {
            return null;
        }
        int[] ports = assignPorts(devices);
        Map<UsbAttachment, DescriptorSet> identities = new HashMap<>();
        for (UsbAttachment d : devices) {
            if (d.descriptors().isPresent()) {
                identities.put(d, descriptors(d));
            }
        }
        List<RawImageBackend> backends = new ArrayList<>();
        for (UsbAttachment d : devices) {
            try {
                backends.add(RawImageBackend.open(d.disk(), d.mode()));
            } catch (DiskImageException e) {
                closeAll(backends);
                throw new ConfigException("--usb " + d + ": " + e.getMessage());
            }
            long sectors = backends.get(backends.size() - 1).sectorCount();
            if (d.defects().lastLba() >= sectors) {
                closeAll(backends);
                throw new ConfigException("--usb " + d + ": bad sector " + d.defects().lastLba() + " lies beyond the disk's "
                        + sectors + " sectors; expected LBAs 0 to " + (sectors - 1));
            }
        }
        IrqLine intx = new IrqLine(names.controller(), tracer);
        EhciPci ehci = new EhciPci(names.controller(), scheduler, tracer, bus, names.master(), intx);
        pcie.attach(0, names.slot(), 0, ehci);
        // INTD goes into the bridge's slot (EhciPci.plugged): the bridge swizzles it onto its host INTx lines and SPIs 3-6.
        intx.declareFaultPoint(faults);
        ehci.controller().declareFaultPoints(faults, names.portPointPrefix());
        UsbWiring w = new UsbWiring(ehci, names, backends);
        for (int i = 0; i < devices.size(); i++) {
            String name = deviceNames.get(i) != null ? deviceNames.get(i) : names.devicePrefix() + ports[i];
            w.plug(devices.get(i), identities.get(devices.get(i)), backends.get(i), name, ports[i], scheduler, faults, tracer);
        }
        return w;
    }

    /**
     * Builds device {@code d} on {@code backend}, named {@code usb<port>} as its port, and plugs it
     * into that root port: QEMU's stick (with QEMU's IDE disk identity) or a bridge with
     * {@link #BRIDGE_DISK} behind it; the disk's medium is {@link BadSectors} when defects are given.
     */
    /**
     * The descriptors of {@code descriptors=FILE}, checked to have the bulk-only interface a bridge's
     * firmware answers on.
     */
    private static DescriptorSet descriptors(UsbAttachment d) throws ConfigException {
        Path file = d.descriptors().orElseThrow();
        DescriptorSet set;
        try {
            set = DescriptorYaml.load(file);
        } catch (DescriptorYaml.Error e) {
            throw new ConfigException("--usb " + d + ": " + e.getMessage());
        }
        try {
            UsbAtaBridge.bulkOnlyInterface(set);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--usb " + d + ": " + file + ": " + e.getMessage());
        }
        return set;
    }

    private void plug(UsbAttachment d, DescriptorSet identity, RawImageBackend backend, String name, int port, Scheduler scheduler,
                      FaultPoints faults, Tracer tracer) {
        Medium medium = Medium.PERFECT;
        if (!d.defects().none()) {
            BadSectors bad = d.defects().medium();
            badSectors.put(name, bad);
            medium = bad;
        }
        medium = new SectorFaults(medium, faults, name, backend.sectorCount()); // disk.<name>.sector
        Ehci.Port p = ehci.controller().port(port - 1);
        switch (d.kind()) {
            case STORAGE -> {
                ScsiDisk unit = new ScsiDisk(new AtaDisk(backend, AtaIdentity.qemu(), medium));
                unit.declareFaultPoint(faults, name);
                UsbStorage stick = new UsbStorage(name, new ScsiTarget(unit), UsbStorage.qemuSerial(names.pciPath(), port), scheduler);
                stick.transport().declareFaultPoint(faults, name);
                p.connect(stick.device());
            }
            case SUPERTOP, JMICRON -> {
                AtaDisk disk = new AtaDisk(backend, BRIDGE_DISK, medium);
                UsbAtaBridge bridge;
                if (d.kind() == UsbAttachment.Kind.SUPERTOP) {
                    bridge = identity == null ? new SuperTop(name, disk, d.wedge(), scheduler)
                            : new SuperTop(name, disk, d.wedge(), scheduler, identity);
                } else {
                    bridge = identity == null ? new JMicron(name, disk, scheduler) : new JMicron(name, disk, scheduler, identity);
                }
                bridges.put(name, bridge.traceTo(tracer));
                bridge.unit().declareFaultPoint(faults, name);
                bridge.transport().declareFaultPoint(faults, name);
                declareBridgePoint(faults, bridge);
                bridge.plugInto(p);
            }
        }
    }

    /**
     * {@code bridge.<name>}: {@code wedge}, the bridge's firmware bug forced at a time the plan
     * chooses ({@link UsbAtaBridge#wedge}): the command in flight never completes and the device
     * drops off the bus; it returns after the rule's {@code return-after}, or as the bridge is
     * configured when the rule gives none ({@code previous}/{@code value}: wedged 1 or 0).
     */
    private static void declareBridgePoint(FaultPoints faults, UsbAtaBridge bridge) {
        faults.declare("bridge." + bridge.name(), "the firmware of USB-to-IDE bridge " + bridge.name(), "wedge").performer((p, s) -> {
            s.previous = bridge.wedged() ? 1 : 0;
            switch (s.action) {
                case "wedge" -> {
                    if (s.duration >= 0) {
                        bridge.wedge(s.duration);
                    } else {
                        bridge.wedge();
                    }
                }
                case "check" -> { }
                default -> throw new IllegalArgumentException(p.name() + " cannot " + s.action);
            }
            s.value = bridge.wedged() ? 1 : 0;
        });
    }

    /** Root ports (1-based) for each device: those given first, then the lowest free ones in order. */
    static int[] assignPorts(List<UsbAttachment> devices) throws ConfigException {
        if (devices.size() > UsbAttachment.PORTS) {
            throw new ConfigException("--usb: " + devices.size() + " devices, but the EHCI controller has "
                    + UsbAttachment.PORTS + " ports; expected at most " + UsbAttachment.PORTS);
        }
        int[] ports = new int[devices.size()];
        boolean[] used = new boolean[UsbAttachment.PORTS + 1];
        for (int i = 0; i < devices.size(); i++) {
            UsbAttachment d = devices.get(i);
            if (d.port().isPresent()) {
                int p = d.port().getAsInt();
                if (used[p]) {
                    throw new ConfigException("--usb " + d + ": port " + p + " is already taken by another --usb device; "
                            + "expected each port once");
                }
                used[p] = true;
                ports[i] = p;
            }
        }
        int next = 1;
        for (int i = 0; i < devices.size(); i++) {
            if (ports[i] == 0) {
                while (used[next]) {
                    next++;
                }
                used[next] = true;
                ports[i] = next;
            }
        }
        return ports;
    }

    private static void closeAll(List<RawImageBackend> backends) {
        for (RawImageBackend b : backends) {
            try {
                b.close();
            } catch (IOException ignored) {
                // only opened for reading so far: nothing to lose
            }
        }
    }

    /** The controller. */
    public EhciPci ehci() {
        return ehci;
    }

    /** The bridges by device name ({@code usb<port>}), for fault plans ({@code bridge.<device>}: {@link UsbAtaBridge#wedge()}). */
    public Map<String, UsbAtaBridge> bridges() {
        return Collections.unmodifiableMap(bridges);
    }

    /**
     * The bad-sector media by device name ({@code usb<port>}), for devices given defects; a fault plan
     * grows them ({@link BadSectors#addUnreadable}).
     */
    public Map<String, BadSectors> badSectors() {
        return Collections.unmodifiableMap(badSectors);
    }

    /** The disk images, in the order given. */
    public List<RawImageBackend> backends() {
        return backends;
    }
}
