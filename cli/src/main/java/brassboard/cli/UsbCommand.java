package brassboard.cli;

import brassboard.boards.hostusb.DescriptorCapture;
import brassboard.boards.hostusb.DescriptorYaml;
import brassboard.boards.hostusb.HostUsbException;
import brassboard.boards.hostusb.LibUsbHost;
import brassboard.boards.hostusb.RawDescriptors;
import brassboard.boards.hostusb.UsbHost;
import brassboard.bus.usb.Descriptor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brassboard usb}: the host's own USB devices, through usb4java (libusb). */
@Command(name = "usb", mixinStandardHelpOptions = true,
        description = {"The host's USB devices, through usb4java (libusb): list them, or capture",
            "one's descriptors as YAML that a bridge model loads",
            "(run --usb supertop|jmicron,disk=FILE,descriptors=device.yaml; docs/host.md)."},
        subcommands = {UsbCommand.ListCommand.class, UsbCommand.CaptureCommand.class})
final class UsbCommand implements Runnable {
    /** How the host's USB is reached: libusb, or a test's stand-in. */
    @FunctionalInterface
    interface HostFactory {
        UsbHost start() throws HostUsbException;
    }

    /** The host's USB for the subcommands; tests replace it. */
    static HostFactory hosts = LibUsbHost::start;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: list or capture");
    }

    private static UsbHost start(String command) {
        try {
            return hosts.start();
        } catch (HostUsbException e) {
            throw new Main.UsageError(command + ": " + e.getMessage());
        }
    }

    /** The host's devices, or a usage error when libusb finds none. */
    private static List<UsbHost.HostDevice> devices(UsbHost host, String command) {
        List<UsbHost.HostDevice> all;
        try {
            all = host.devices();
        } catch (HostUsbException e) {
            throw new Main.UsageError(command + ": " + e.getMessage());
        }
        if (all.isEmpty()) {
            throw new Main.UsageError(command + ": libusb finds no USB device on this host"
                    + (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/dev/bus/usb")) ? ""
                    : " (there is no /dev/bus/usb: no USB, or a container without the host's USB)"));
        }
        return all;
    }

    /** {@code brassboard usb list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the host's USB devices, as lsusb does.",
                "Bus, address, VID:PID, speed, and the manufacturer and product strings where the device can be opened",
                "(on Linux: write access to /dev/bus/usb/BBB/DDD)."})
    static final class ListCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (UsbHost host = start("usb list")) {
                PrintWriter out = spec.commandLine().getOut();
                for (UsbHost.HostDevice d : devices(host, "usb list")) {
                    out.printf("Bus %03d Device %03d: ID %s %s-speed%s%n", d.bus(), d.address(), d.id(), d.speed(), strings(host, d));
                }
                out.flush();
            }
            return 0;
        }

        /** "  MANUFACTURER PRODUCT", or why the strings could not be read. */
        private static String strings(UsbHost host, UsbHost.HostDevice d) {
            try (UsbHost.Opened o = host.open(d)) {
                Descriptor.Device dd = RawDescriptors.device(DescriptorCapture.wireBytes(o.deviceDescriptor()));
                List<String> names = new ArrayList<>();
                byte[] zero = dd.iManufacturer() == 0 && dd.iProduct() == 0 ? null : o.descriptor(Descriptor.STRING, 0, 0);
                if (zero != null && !RawDescriptors.languages(zero).langIds().isEmpty()) {
                    int lang = RawDescriptors.languages(zero).langIds().get(0);
                    for (int index : new int[] {dd.iManufacturer(), dd.iProduct()}) {
                        byte[] s = index == 0 ? null : o.descriptor(Descriptor.STRING, index, lang);
                        if (s != null) {
                            names.add(RawDescriptors.string(s).strip());
                        }
                    }
                }
                return names.isEmpty() ? "" : "  " + String.join(" ", names);
            } catch (HostUsbException | IllegalArgumentException e) {
                String why = e.getMessage();
                return "  [strings not readable: " + (why.startsWith("permission denied") ? "permission denied" : why) + "]";
            }
        }
    }

    /** {@code brassboard usb capture VID:PID}. */
    @Command(name = "capture", mixinStandardHelpOptions = true,
            description = {"Write a USB device's descriptors as YAML for --usb ...,descriptors=.",
                "Reads a host USB device's descriptors (device, configurations, interfaces,",
                "endpoints, strings, device qualifier, other-speed configurations) with",
                "GET_DESCRIPTOR requests, and writes them to stdout as the YAML that",
                "run --usb supertop|jmicron,disk=FILE,descriptors=FILE loads.",
                "Needs the device opened (root, or a udev rule)."})
    static final class CaptureCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VID:PID", description = "The device's vendor and product IDs in hex, like 14cd:6600.")
        String id;

        @Option(names = "--at", paramLabel = "BUS:ADDRESS",
                description = "Which one, when several devices have this VID:PID (as 'usb list' shows them: 2:9).")
        String at;

        @Override
        public Integer call() {
            String command = "usb capture " + id;
            int[] vidPid = parseId(command);
            int[] where = at == null ? null : parseAt(command);
            try (UsbHost host = start(command)) {
                List<UsbHost.HostDevice> all = devices(host, command);
                List<UsbHost.HostDevice> matching = all.stream()
                        .filter(d -> d.vendor() == vidPid[0] && d.product() == vidPid[1])
                        .filter(d -> where == null || d.bus() == where[0] && d.address() == where[1]).toList();
                if (matching.isEmpty()) {
                    throw new Main.UsageError(command + ": no device " + String.format("%04x:%04x", vidPid[0], vidPid[1])
                            + (at == null ? "" : " at " + at) + " among the host's " + all.size() + " USB devices (see 'brassboard usb list')");
                }
                if (matching.size() > 1) {
                    throw new Main.UsageError(command + ": " + matching.size() + " devices have this ID ("
                            + String.join(", ", matching.stream().map(d -> d.bus() + ":" + d.address()).toList())
                            + "); choose one with --at BUS:ADDRESS");
                }
                UsbHost.HostDevice device = matching.get(0);
                DescriptorCapture.Result r;
                try (UsbHost.Opened o = host.open(device)) {
                    r = DescriptorCapture.capture(o);
                } catch (HostUsbException e) {
                    throw new Main.UsageError(command + ": " + e.getMessage());
                }
                List<String> header = new ArrayList<>();
                header.add("brassboard usb capture " + device.id() + ": " + device.where() + ", " + device.speed() + " speed");
                header.add("Load it: brassboard run ... --usb supertop,disk=DISK.img,descriptors=THIS.yaml (or jmicron: the");
                header.add("firmware that answers the SCSI commands); the descriptors are those of the device captured.");
                if (!device.speed().equals("high")) {
                    header.add("Captured at " + device.speed() + " speed: 'configurations' are that speed's; the model runs at high speed.");
                }
                r.skipped().forEach(s -> header.add("Left out (not modelled): " + s));
                spec.commandLine().getOut().print(DescriptorYaml.write(r.descriptors(), header));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }

        private int[] parseId(String command) {
            String[] p = id.split(":", -1);
            try {
                if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty() || p[0].length() > 4 || p[1].length() > 4) {
                    throw new NumberFormatException();
                }
                return new int[] {Integer.parseInt(p[0], 16), Integer.parseInt(p[1], 16)};
            } catch (NumberFormatException e) {
                throw new Main.UsageError(command + ": expected VID:PID in hex, like 14cd:6600");
            }
        }

        private int[] parseAt(String command) {
            String[] p = at.split(":", -1);
            try {
                if (p.length != 2) {
                    throw new NumberFormatException();
                }
                return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
            } catch (NumberFormatException e) {
                throw new Main.UsageError(command + ": --at " + at + ": expected BUS:ADDRESS in decimal, like 2:9");
            }
        }
    }
}
