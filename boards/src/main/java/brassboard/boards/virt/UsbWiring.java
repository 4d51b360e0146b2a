package brassboard.boards.virt;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.UsbAttachment;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.EcamHostBridge;
import brassboard.bus.usb.ehci.EhciPci;
import brassboard.devices.storage.api.DiskImageException;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaIdentity;
import brassboard.devices.storage.ata.Medium;
import brassboard.devices.storage.ata.SectorFaults;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import brassboard.devices.storage.usb.UsbStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code virt} board's USB, as QEMU's {@code -device usb-ehci -device usb-storage,...} with
 * {@code -nic none}: an EHCI controller ({@link EhciPci}, QEMU's usb-ehci identity) at PCI 00:01.0,
 * its INTD swizzled to the host bridge's SPI, and a usb-storage stick per {@link UsbAttachment} on
 * its root ports. The controller exists only when at least one device is given. A system reset
 * resets it with the host bridge's other functions; the sticks stay plugged in.
 *
 * <p>Fault points: {@code usb.<port>.packet} and {@code usb.<port>.link} for each of the six root
 * ports, and per stick (named {@code usb<port>}, as its port: {@code usb1}) {@code bot.usb1},
 * {@code scsi.usb1.command} and {@code disk.usb1.sector}.
 */
public final class UsbWiring {
    /** PCI device number of the controller: the first free slot after the host bridge, as QEMU gives it. */
    public static final int EHCI_DEVICE = 1;
    /** The controller's PCI path, which QEMU's serial numbers carry. */
    public static final String EHCI_PCI_PATH = "0000:00:01.0";

    private final EhciPci ehci;
    private final List<RawImageBackend> backends;

    private UsbWiring(EhciPci ehci, List<RawImageBackend> backends) {
        this.ehci = ehci;
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
    static UsbWiring attach(List<UsbAttachment> devices, EcamHostBridge pcie, Scheduler scheduler, Tracer tracer,
                            MemoryBus bus, FaultPoints faults) throws ConfigException {
        if (devices.isEmpty()) {
            return null;
        }
        int[] ports = assignPorts(devices);
        List<RawImageBackend> backends = new ArrayList<>();
        for (UsbAttachment d : devices) {
            try {
                backends.add(RawImageBackend.open(d.disk(), d.mode()));
            } catch (DiskImageException e) {
                closeAll(backends);
                throw new ConfigException("--usb " + d + ": " + e.getMessage());
            }
        }
        IrqLine intx = new IrqLine("ehci0", tracer);
        EhciPci ehci = new EhciPci("ehci0", scheduler, tracer, bus, Masters.DMA_BASE, intx);
        pcie.attach(0, EHCI_DEVICE, 0, ehci);
        // INTD goes into the bridge's slot (EhciPci.plugged): the bridge swizzles it onto its host INTx lines and SPIs 3-6.
        intx.declareFaultPoint(faults);
        ehci.controller().declareFaultPoints(faults);
        for (int i = 0; i < devices.size(); i++) {
            int port = ports[i];
            String name = "usb" + port;
            ScsiDisk unit = new ScsiDisk(new AtaDisk(backends.get(i), AtaIdentity.qemu(), new SectorFaults(Medium.PERFECT, faults, name)));
            unit.declareFaultPoint(faults, name);
            UsbStorage stick = new UsbStorage(name, new ScsiTarget(unit), UsbStorage.qemuSerial(EHCI_PCI_PATH, port),
                    scheduler);
            stick.transport().declareFaultPoint(faults, name);
            ehci.controller().port(port - 1).connect(stick.device());
        }
        return new UsbWiring(ehci, backends);
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

    /** The disk images, in the order given. */
    public List<RawImageBackend> backends() {
        return backends;
    }
}
