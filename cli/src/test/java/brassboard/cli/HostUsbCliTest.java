package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.hostusb.DescriptorCapture;
import brassboard.boards.hostusb.DescriptorYaml;
import brassboard.boards.hostusb.HostUsbException;
import brassboard.boards.hostusb.LibUsbHost;
import brassboard.boards.hostusb.UsbHost;
import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.DescriptorSet;
import brassboard.devices.storage.bridge.JMicron;
import brassboard.devices.storage.bridge.SuperTop;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usb4java.DeviceDescriptor;

/**
 * {@code brassboard usb list} and {@code usb capture VID:PID} with a host whose devices answer from
 * the bridge models' descriptors (no USB device is needed), the YAML loaded back by {@code run --usb
 * KIND,descriptors=FILE}; and every way the host's USB can fail, each one line and exit status 2:
 * libusb not loadable (for real: usb4java asked for a platform it has no library for), no device (for
 * real where this host has no {@code /dev/bus/usb}), the VID:PID absent, permission denied.
 */
class HostUsbCliTest {
    private static final UsbHost.HostDevice HUB = new UsbHost.HostDevice(1, 1, 0x1d6b, 0x0002, "high");
    private static final UsbHost.HostDevice SUPERTOP = new UsbHost.HostDevice(2, 9, SuperTop.VENDOR, SuperTop.PRODUCT, "high");
    private static final UsbHost.HostDevice JMICRON = new UsbHost.HostDevice(2, 10, JMicron.VENDOR, JMicron.PRODUCT, "high");

    @AfterEach
    void realHostAgain() {
        UsbCommand.hosts = LibUsbHost::start;
    }

    /** A host with {@code devices}; each opens as the model's descriptors say, or fails with {@code openError}. */
    private static void fakeHost(List<UsbHost.HostDevice> devices, String openError) {
        UsbCommand.hosts = () -> new UsbHost() {
            @Override
            public List<HostDevice> devices() {
                return devices;
            }

            @Override
            public Opened open(HostDevice d) throws HostUsbException {
                if (openError != null) {
                    throw new HostUsbException(openError);
                }
                DescriptorSet set = d == SUPERTOP ? SuperTop.descriptors() : d == JMICRON ? JMicron.descriptors() : null;
                if (set == null) {
                    throw new HostUsbException("cannot open " + d.id() + ": LIBUSB_ERROR_NOT_SUPPORTED");
                }
                return new Answering(set);
            }

            @Override
            public void close() {
            }
        };
    }

    /** A device answering GET_DESCRIPTOR from a descriptor set, as UsbDevice does on the bus. */
    private record Answering(DescriptorSet set) implements UsbHost.Opened {
        @Override
        public DeviceDescriptor deviceDescriptor() {
            DeviceDescriptor d = new DeviceDescriptor();
            ByteBuffer host = d.getBuffer().order(ByteOrder.nativeOrder());
            ByteBuffer wire = ByteBuffer.wrap(set.device().bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < 18; at++) {
                if (at == 2 || at == 8 || at == 10 || at == 12) {
                    host.putShort(at, wire.getShort(at++));
                } else {
                    host.put(at, wire.get(at));
                }
            }
            return d;
        }

        @Override
        public byte[] descriptor(int type, int index, int langId) {
            return switch (type) {
                case Descriptor.CONFIGURATION -> index < set.configurations().size() ? set.configurations().get(index).bytes() : null;
                case Descriptor.DEVICE_QUALIFIER -> set.qualifier().map(Descriptor::bytes).orElse(null);
                case Descriptor.OTHER_SPEED_CONFIGURATION -> index < set.otherSpeedConfigurations().size()
                        ? otherSpeed(set.otherSpeedConfigurations().get(index).bytes()) : null;
                case Descriptor.STRING -> index == 0 ? set.languages().bytes()
                        : index <= set.strings().size() && set.strings().get(index - 1) != null
                        ? new Descriptor.Text(set.strings().get(index - 1)).bytes() : null;
                default -> null;
            };
        }

        private static byte[] otherSpeed(byte[] b) {
            b[1] = Descriptor.OTHER_SPEED_CONFIGURATION;
            return b;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void listShowsEveryDeviceWithItsStrings() {
        fakeHost(List.of(HUB, SUPERTOP, JMICRON), null);
        CliTest.Outcome o = brassboard("usb", "list");
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).isEqualTo("Bus 001 Device 001: ID 1d6b:0002 high-speed  [strings not readable: cannot open 1d6b:0002:"
                + " LIBUSB_ERROR_NOT_SUPPORTED]\n"
                + "Bus 002 Device 009: ID 14cd:6600 high-speed  Super Top USB 2.0  IDE DEVICE\n"
                + "Bus 002 Device 010: ID 152d:2338 high-speed  JMicron USB to ATA/ATAPI bridge\n");
    }

    @Test
    void captureWritesYamlThatRunLoadsAsTheBridgesIdentity(@TempDir Path dir) throws Exception {
        fakeHost(List.of(HUB, SUPERTOP, JMICRON), null);
        CliTest.Outcome o = brassboard("usb", "capture", "152d:2338");
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).startsWith("# brassboard usb capture 152d:2338: bus 2 address 10 (/dev/bus/usb/002/010), high speed\n");
        DescriptorSet back = DescriptorYaml.parse(o.out(), "device.yaml");
        assertThat(back.device()).isEqualTo(JMicron.descriptors().device());
        assertThat(back.strings()).isEqualTo(JMicron.descriptors().strings());
        assertThat(back.otherSpeedConfigurations().get(0).bytes()).isEqualTo(JMicron.descriptors().otherSpeedConfigurations().get(0).bytes());

        // The JMicron's identity on the Super Top's firmware: the run builds it (a PCI probe finds the EHCI controller).
        Path yaml = Files.writeString(dir.resolve("jm.yaml"), o.out());
        Path disk = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        Path bios = CliTest.pciProbe(dir.resolve("probe.bin"), 1, 0x8086, 0x24cd);
        CliTest.Outcome run = brassboard("run", "--bios", bios.toString(), "--usb", "supertop,disk=" + disk + ",descriptors=" + yaml,
                "--max-time", "10ms");
        assertThat(run.status()).as("stderr: %s", run.err()).isZero();
    }

    @Test
    void aDescriptorFileThatCannotBeLoadedIsOneLine(@TempDir Path dir) throws Exception {
        Path disk = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        Path hello = Path.of("..", "firmware", "images", "hello.elf");
        String good = DescriptorYaml.write(SuperTop.descriptors(), List.of());
        Object[][] cases = {
            {"missing.yaml", null, "missing.yaml: no such file (expected a descriptor file written by 'brassboard usb capture')"},
            {"vid.yaml", good.replace("idVendor: 0x14cd", "idVendor: 0x14cd5"),
                "vid.yaml: line 7: idVendor: 0x14cd5 is out of range; expected 0 to 0xffff"},
            {"key.yaml", good.replace("  bcdDevice:", "  bcdDevic:"), "key.yaml: line 9: device: unknown field 'bcdDevic'"},
            {"hid.yaml", good.replace("bInterfaceClass: 0x08", "bInterfaceClass: 0x03"),
                "hid.yaml: no bulk-only mass-storage interface (class 08h, protocol 50h, with a bulk IN and a bulk OUT endpoint)"
                    + " in configuration 1; a USB-ATA bridge answers SCSI commands over bulk-only transport"},
            {"syntax.yaml", "device: [", "syntax.yaml: line 1: YAML syntax error"},
        };
        for (Object[] c : cases) {
            Path file = dir.resolve((String) c[0]);
            if (c[1] != null) {
                Files.writeString(file, (String) c[1]);
            }
            CliTest.Outcome o = brassboard("run", hello.toString(), "--usb", "jmicron,disk=" + disk + ",descriptors=" + file).oneLineError();
            assertThat(o.status()).as(o.err()).isEqualTo(2);
            assertThat(o.err()).as((String) c[0]).startsWith("brassboard: --usb jmicron,disk=" + disk + ",descriptors=" + file + ": "
                    + dir.resolve("x").getParent() + File.separator + c[2]);
        }
        CliTest.Outcome storage = brassboard("run", hello.toString(), "--usb", "storage,disk=" + disk + ",descriptors=x.yaml").oneLineError();
        assertThat(storage.err()).contains("descriptors= applies to the bridges (supertop, jmicron), not to storage");
    }

    @Test
    void theHostsFailuresAreOneLineAndExitTwo() {
        fakeHost(List.of(HUB, SUPERTOP), null);
        CliTest.Outcome absent = brassboard("usb", "capture", "152d:2338").oneLineError();
        assertThat(absent.status()).isEqualTo(2);
        assertThat(absent.err()).isEqualTo("brassboard: usb capture 152d:2338: no device 152d:2338 among the host's 2 USB devices"
                + " (see 'brassboard usb list')\n");

        fakeHost(List.of(SUPERTOP), LibUsbHost.openError(org.usb4java.LibUsb.ERROR_ACCESS, SUPERTOP));
        CliTest.Outcome denied = brassboard("usb", "capture", "14cd:6600").oneLineError();
        assertThat(denied.status()).isEqualTo(2);
        assertThat(denied.err()).isEqualTo("brassboard: usb capture 14cd:6600: permission denied opening 14cd:6600 at bus 2 address 9"
                + " (/dev/bus/usb/002/009): run as root, or let your user open it with a udev rule (SUBSYSTEM==\"usb\","
                + " ATTR{idVendor}==\"14cd\", ATTR{idProduct}==\"6600\", MODE=\"0666\")\n");

        fakeHost(List.of(), null);
        for (String[] args : new String[][] {{"usb", "list"}, {"usb", "capture", "14cd:6600"}}) {
            CliTest.Outcome none = brassboard(args).oneLineError();
            assertThat(none.status()).isEqualTo(2);
            assertThat(none.err()).contains(String.join(" ", args) + ": libusb finds no USB device on this host");
        }

        UsbCommand.hosts = () -> {
            throw new HostUsbException(LibUsbHost.cannotLoad(new UnsatisfiedLinkError("libusb4java.so: cannot open shared object")));
        };
        CliTest.Outcome load = brassboard("usb", "list").oneLineError();
        assertThat(load.status()).isEqualTo(2);
        assertThat(load.err()).startsWith("brassboard: usb list: libusb cannot be loaded: usb4java's native library for ")
                .endsWith(" failed to load (libusb4java.so: cannot open shared object)\n");

        CliTest.Outcome bad = brassboard("usb", "capture", "14cd").oneLineError();
        assertThat(bad.err()).isEqualTo("brassboard: usb capture 14cd: expected VID:PID in hex, like 14cd:6600\n");
    }

    @Test
    void onThisHostTheRealLibusbEitherListsDevicesOrSaysItFindsNone() {
        CliTest.Outcome o = brassboard("usb", "list");
        if (Files.isDirectory(Path.of("/dev/bus/usb"))) {
            // A host with USB (a developer's machine): lsusb's layout, one line a device; or none found.
            if (o.status() == 0) {
                assertThat(o.out()).containsPattern("(?m)^Bus \\d{3} Device \\d{3}: ID [0-9a-f]{4}:[0-9a-f]{4} \\w+-speed");
            } else {
                assertThat(o.err()).isEqualTo("brassboard: usb list: libusb finds no USB device on this host\n");
            }
        } else {
            assertThat(o.status()).as("stderr: %s", o.err()).isEqualTo(2);
            assertThat(o.err()).isEqualTo("brassboard: usb list: libusb finds no USB device on this host"
                    + " (there is no /dev/bus/usb: no USB, or a container without the host's USB)\n");
        }
    }

    @Test
    void whenUsb4javaHasNoLibraryForThePlatformTheCommandSaysSo() throws Exception {
        // A new JVM told it runs on an architecture usb4java ships no native library for: its loader fails for real.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dos.arch=sparc", "-cp", System.getProperty("java.class.path"),
                "brassboard.cli.Main", "usb", "list").redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("stdout %s stderr %s", out, err).isEqualTo(2);
        assertThat(err).isEqualTo("brassboard: usb list: libusb cannot be loaded: usb4java's native library for Linux/sparc failed"
                + " to load (Native library not found in classpath: /org/usb4java/linux-sparc/libusb4java.so)\n");
    }
}
