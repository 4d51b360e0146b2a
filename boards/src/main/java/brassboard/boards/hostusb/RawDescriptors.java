package brassboard.boards.hostusb;

import brassboard.bus.usb.Descriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Descriptors as a device sends them (USB 2.0 §9.6) decoded into the project's {@link Descriptor}
 * records: the inverse of {@link Descriptor#bytes()}. Each method checks bLength and
 * bDescriptorType and says in one line what is wrong with bytes that are not the descriptor asked for.
 */
public final class RawDescriptors {
    private RawDescriptors() {
    }

    /** A configuration as read: the record, and what it held that the records do not model. */
    public record ConfigurationRead(Descriptor.Configuration configuration, List<String> skipped) {
        public ConfigurationRead {
            skipped = List.copyOf(skipped);
        }
    }

    /** The device descriptor, Table 9-8. */
    public static Descriptor.Device device(byte[] d) {
        check(d, 0, Descriptor.DEVICE, 18, "device");
        return new Descriptor.Device(u16(d, 2), u8(d, 4), u8(d, 5), u8(d, 6), u8(d, 7), u16(d, 8), u16(d, 10), u16(d, 12),
                u8(d, 14), u8(d, 15), u8(d, 16), u8(d, 17));
    }

    /** The device qualifier, Table 9-9. */
    public static Descriptor.DeviceQualifier qualifier(byte[] d) {
        check(d, 0, Descriptor.DEVICE_QUALIFIER, 10, "device qualifier");
        return new Descriptor.DeviceQualifier(u16(d, 2), u8(d, 4), u8(d, 5), u8(d, 6), u8(d, 7), u8(d, 8));
    }

    /**
     * A configuration's whole hierarchy (GET_DESCRIPTOR(CONFIGURATION) of wTotalLength bytes, or of an
     * OTHER_SPEED_CONFIGURATION: {@code type} 2 or 7): the configuration, its interfaces (every
     * alternate setting) and their endpoints. Class- and vendor-specific descriptors between them
     * (a HID report descriptor's header, an audio class's) are not modelled: they are left out and
     * named in {@link ConfigurationRead#skipped()}.
     */
    public static ConfigurationRead configuration(byte[] d, int type) {
        check(d, 0, type, 9, type == Descriptor.CONFIGURATION ? "configuration" : "other-speed configuration");
        int total = u16(d, 2);
        if (total > d.length) {
            throw new IllegalArgumentException("configuration descriptor: wTotalLength " + total + " but only " + d.length
                    + " bytes were read");
        }
        List<Descriptor.Interface> interfaces = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int[] iface = null; // the current interface's fields, until its endpoints are in
        List<Descriptor.Endpoint> endpoints = new ArrayList<>();
        for (int at = u8(d, 0); at < total; ) {
            int length = u8(d, at);
            if (length < 2 || at + length > total) {
                throw new IllegalArgumentException(String.format("configuration descriptor: a descriptor at byte %d has bLength %d,"
                        + " which does not fit the %d bytes of wTotalLength", at, length, total));
            }
            int kind = u8(d, at + 1);
            if (kind == Descriptor.INTERFACE) {
                check(d, at, kind, 9, "interface");
                if (iface != null) {
                    interfaces.add(interfaceOf(iface, endpoints));
                }
                iface = new int[] {u8(d, at + 2), u8(d, at + 3), u8(d, at + 5), u8(d, at + 6), u8(d, at + 7), u8(d, at + 8)};
                endpoints = new ArrayList<>();
            } else if (kind == Descriptor.ENDPOINT && iface != null) {
                if (length < 7) {
                    throw new IllegalArgumentException("endpoint descriptor at byte " + at + ": bLength " + length + ", expected 7");
                }
                endpoints.add(new Descriptor.Endpoint(u8(d, at + 2), u8(d, at + 3), u16(d, at + 4), u8(d, at + 6)));
            } else {
                skipped.add(String.format("descriptor type %02Xh (%d bytes) at byte %d", kind, length, at));
            }
            at += length;
        }
        if (iface != null) {
            interfaces.add(interfaceOf(iface, endpoints));
        }
        return new ConfigurationRead(new Descriptor.Configuration(u8(d, 5), u8(d, 6), u8(d, 7), u8(d, 8), interfaces), skipped);
    }

    private static Descriptor.Interface interfaceOf(int[] f, List<Descriptor.Endpoint> endpoints) {
        return new Descriptor.Interface(f[0], f[1], f[2], f[3], f[4], f[5], endpoints);
    }

    /** String descriptor zero, Table 9-15: the LANGIDs. */
    public static Descriptor.Languages languages(byte[] d) {
        check(d, 0, Descriptor.STRING, 2, "string descriptor zero");
        List<Integer> ids = new ArrayList<>();
        for (int at = 2; at + 1 < u8(d, 0); at += 2) {
            ids.add(u16(d, at));
        }
        return new Descriptor.Languages(ids);
    }

    /**
     * A string descriptor's text, Table 9-16: its UTF-16LE code units taken as they are (a unit that
     * is not a character, like the U+FFFF of an erased serial-number EEPROM, is kept, not replaced);
     * an odd last byte is dropped.
     */
    public static String string(byte[] d) {
        check(d, 0, Descriptor.STRING, 2, "string");
        StringBuilder b = new StringBuilder();
        for (int at = 2; at + 1 < u8(d, 0); at += 2) {
            b.append((char) u16(d, at));
        }
        return b.toString();
    }

    private static void check(byte[] d, int at, int type, int minLength, String what) {
        if (d.length < at + 2 || u8(d, at) < minLength || d.length < at + u8(d, at)) {
            throw new IllegalArgumentException(what + " descriptor: " + (d.length - at) + " bytes with bLength "
                    + (d.length > at ? u8(d, at) : 0) + "; expected at least " + minLength);
        }
        if (u8(d, at + 1) != type) {
            throw new IllegalArgumentException(String.format("%s descriptor: bDescriptorType %d, expected %d", what, u8(d, at + 1), type));
        }
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return u8(b, at) | u8(b, at + 1) << 8;
    }
}
