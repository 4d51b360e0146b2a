package brassboard.boards.hostusb;

import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.DescriptorSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.usb4java.DeviceDescriptor;

/**
 * Reads a device's whole descriptor set the way a host enumerating it does, from a
 * {@link Source}: the device descriptor as libusb caches it (usb4java's {@link DeviceDescriptor}),
 * then GET_DESCRIPTOR of each configuration, string descriptor zero, every string the descriptors
 * name (in the first LANGID), the device qualifier and the other-speed configurations.
 */
public final class DescriptorCapture {
    private DescriptorCapture() {
    }

    /** Where the descriptors come from: a device opened through libusb, or a test's dump. */
    public interface Source {
        /** The device descriptor, as {@code libusb_get_device_descriptor} fills it (no request to the device). */
        DeviceDescriptor deviceDescriptor();

        /**
         * GET_DESCRIPTOR of descriptor {@code type} and {@code index}, with wIndex {@code langId}
         * (0 except for strings): the bytes the device answered, or null when it stalled.
         *
         * @throws HostUsbException one line, when the transfer fails otherwise (the device went away)
         */
        byte[] descriptor(int type, int index, int langId) throws HostUsbException;
    }

    /** The descriptor set, and what it left out (class-specific descriptors; see {@link RawDescriptors#configuration}). */
    public record Result(DescriptorSet descriptors, List<String> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * The wire bytes of usb4java's device descriptor: its buffer holds libusb's
     * {@code struct libusb_device_descriptor}, whose layout is the descriptor's own (USB 2.0 Table 9-8)
     * with the 16-bit fields in host byte order.
     */
    public static byte[] wireBytes(DeviceDescriptor d) {
        ByteBuffer host = d.getBuffer().duplicate().order(ByteOrder.nativeOrder());
        ByteBuffer wire = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        wire.put(host.get(0)).put(host.get(1)).putShort(host.getShort(2));
        for (int i = 4; i < 8; i++) {
            wire.put(host.get(i));
        }
        wire.putShort(host.getShort(8)).putShort(host.getShort(10)).putShort(host.getShort(12));
        for (int i = 14; i < 18; i++) {
            wire.put(host.get(i));
        }
        return wire.array();
    }

    /**
     * Reads everything.
     *
     * @throws HostUsbException one line: a transfer failed, or the device answered with bytes that
     *                          are not the descriptor asked for
     */
    public static Result capture(Source source) throws HostUsbException {
        try {
            return read(source);
        } catch (IllegalArgumentException e) {
            throw new HostUsbException("the device's descriptors do not parse: " + e.getMessage());
        }
    }

    private static Result read(Source source) throws HostUsbException {
        Descriptor.Device device = RawDescriptors.device(wireBytes(source.deviceDescriptor()));
        List<String> skipped = new ArrayList<>();
        List<Descriptor.Configuration> configurations = new ArrayList<>();
        for (int i = 0; i < device.numConfigurations(); i++) {
            byte[] raw = source.descriptor(Descriptor.CONFIGURATION, i, 0);
            if (raw == null) {
                throw new HostUsbException("the device stalled GET_DESCRIPTOR(CONFIGURATION " + i + ") although bNumConfigurations is "
                        + device.numConfigurations());
            }
            RawDescriptors.ConfigurationRead c = RawDescriptors.configuration(raw, Descriptor.CONFIGURATION);
            configurations.add(c.configuration());
            c.skipped().forEach(s -> skipped.add("configuration " + c.configuration().value() + ": " + s));
        }
        Optional<Descriptor.DeviceQualifier> qualifier = Optional.empty();
        List<Descriptor.Configuration> other = new ArrayList<>();
        if (device.bcdUsb() >= 0x0200) { // a device qualifier exists from USB 2.0 on (§9.6.2)
            byte[] q = source.descriptor(Descriptor.DEVICE_QUALIFIER, 0, 0);
            if (q != null) {
                qualifier = Optional.of(RawDescriptors.qualifier(q));
                for (int i = 0; i < qualifier.get().numConfigurations(); i++) {
                    byte[] raw = source.descriptor(Descriptor.OTHER_SPEED_CONFIGURATION, i, 0);
                    if (raw == null) {
                        other.clear(); // none, or not all: the model then stalls the request, as this device did
                        break;
                    }
                    other.add(RawDescriptors.configuration(raw, Descriptor.OTHER_SPEED_CONFIGURATION).configuration());
                }
            }
        }
        TreeSet<Integer> indices = new TreeSet<>(List.of(device.iManufacturer(), device.iProduct(), device.iSerialNumber()));
        for (List<Descriptor.Configuration> set : List.of(configurations, other)) {
            for (Descriptor.Configuration c : set) {
                indices.add(c.iConfiguration());
                c.interfaces().forEach(i -> indices.add(i.iInterface()));
            }
        }
        indices.remove(0);
        List<Integer> langIds = List.of();
        List<String> strings = new ArrayList<>();
        if (!indices.isEmpty()) {
            byte[] zero = source.descriptor(Descriptor.STRING, 0, 0);
            langIds = zero == null ? List.of() : RawDescriptors.languages(zero).langIds();
            if (langIds.isEmpty()) {
                throw new HostUsbException("the device names strings but has no LANGID in string descriptor zero");
            }
            for (int index : indices) {
                byte[] s = source.descriptor(Descriptor.STRING, index, langIds.get(0));
                while (strings.size() < index) {
                    strings.add(null);
                }
                if (s == null) {
                    skipped.add("string " + index + " (named, but the device stalled it)");
                } else {
                    strings.set(index - 1, RawDescriptors.string(s));
                }
            }
        }
        DescriptorSet set = new DescriptorSet(device, configurations, new Descriptor.Languages(langIds), strings, qualifier, other);
        return new Result(set, skipped);
    }
}
