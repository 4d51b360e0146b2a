package brassboard.boards.hostusb;

import brassboard.bus.usb.Descriptor;
import brassboard.devices.storage.bridge.LsusbDump;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.usb4java.DeviceDescriptor;

/**
 * A device that answers with what an {@code lsusb -v} dump shows (the field note's bridges), as a
 * {@link DescriptorCapture.Source}: usb4java's {@link DeviceDescriptor} with its libusb structure
 * filled from the dump's fields, and GET_DESCRIPTOR answered with the dump's descriptors encoded
 * as a device sends them. What the dump does not show (other-speed configurations, unnamed strings)
 * stalls. Strings are as lsusb printed them (the Super Top's serial as ten '?').
 */
final class LsusbSource implements DescriptorCapture.Source {
    // Field sizes per descriptor type, in the dump's order (USB 2.0 Tables 9-8 to 9-13); 0: MaxPower in mA.
    private static final Map<Integer, int[]> SIZES = Map.of(
            Descriptor.DEVICE, new int[] {1, 1, 2, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1},
            Descriptor.CONFIGURATION, new int[] {1, 1, 2, 1, 1, 1, 1, 0},
            Descriptor.INTERFACE, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1},
            Descriptor.ENDPOINT, new int[] {1, 1, 1, 1, 2, 1},
            Descriptor.DEVICE_QUALIFIER, new int[] {1, 1, 2, 1, 1, 1, 1, 1});

    private byte[] device;
    private final ByteArrayOutputStream configuration = new ByteArrayOutputStream();
    private byte[] qualifier;
    private final Map<Integer, String> strings = new HashMap<>();
    /** Every request made, for tests. */
    final java.util.List<String> requests = new java.util.ArrayList<>();

    /** The dump in the devices module's test resource {@code name} ({@code supertop-lsusb.txt}). */
    LsusbSource(String name) throws IOException {
        List<String> fields = LsusbDump.parse(name);
        int i = 0;
        while (i < fields.size() && !fields.get(i).startsWith("Status=")) {
            // A descriptor starts at its bLength; its bDescriptorType says which it is.
            int type = Integer.parseInt(value(fields.get(i + 1)));
            int[] sizes = SIZES.get(type);
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            for (int size : sizes) {
                String f = fields.get(i++);
                String v = value(f);
                int space = v.indexOf(' ');
                int n = Integer.parseInt(space < 0 ? v : v.substring(0, space));
                if (space >= 0) {
                    strings.put(n, v.substring(space + 1)); // "iProduct=3 USB 2.0  IDE DEVICE"
                }
                switch (size) {
                    case 0 -> b.put((byte) (n / 2));
                    case 2 -> b.putShort((short) n);
                    default -> b.put((byte) n);
                }
            }
            if (type == Descriptor.DEVICE_QUALIFIER) {
                b.put((byte) 0); // bReserved, which lsusb does not print
            }
            byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
            switch (type) {
                case Descriptor.DEVICE -> device = bytes;
                case Descriptor.DEVICE_QUALIFIER -> qualifier = bytes;
                default -> configuration.writeBytes(bytes);
            }
        }
    }

    private static String value(String field) {
        return field.substring(field.indexOf('=') + 1);
    }

    /** usb4java's device descriptor with libusb's structure (host byte order) filled from the dump. */
    @Override
    public DeviceDescriptor deviceDescriptor() {
        DeviceDescriptor d = new DeviceDescriptor();
        ByteBuffer host = d.getBuffer().order(ByteOrder.nativeOrder());
        ByteBuffer wire = ByteBuffer.wrap(device).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < 18; at++) {
            boolean word = at == 2 || at == 8 || at == 10 || at == 12;
            if (word) {
                host.putShort(at, wire.getShort(at));
                at++;
            } else {
                host.put(at, wire.get(at));
            }
        }
        return d;
    }

    @Override
    public byte[] descriptor(int type, int index, int langId) {
        requests.add(type + "/" + index + "/" + Integer.toHexString(langId));
        return switch (type) {
            case Descriptor.CONFIGURATION -> index == 0 ? configuration.toByteArray() : null;
            case Descriptor.DEVICE_QUALIFIER -> qualifier;
            case Descriptor.STRING -> index == 0 ? new byte[] {4, Descriptor.STRING, 0x09, 0x04}
                    : strings.containsKey(index) ? new Descriptor.Text(strings.get(index)).bytes() : null;
            default -> null;
        };
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** The configuration's bytes as encoded (for checks). */
    byte[] configurationBytes() {
        return configuration.toByteArray();
    }
}
