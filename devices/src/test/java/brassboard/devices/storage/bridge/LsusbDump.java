package brassboard.devices.storage.bridge;

import brassboard.bus.usb.Descriptor;
import brassboard.devices.storage.usb.EhciHost;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of an {@code lsusb -v} dump as "Section.field=value" lines (numbers normalised: BCD
 * versions as hex, MaxPower in mA; string indices followed by the string as lsusb prints it), and the
 * same lines built from what a device answers GET_DESCRIPTOR and GET_STATUS with over EHCI.
 */
public final class LsusbDump {
    private static final Pattern FIELD = Pattern.compile("^\\s+(b[A-Z]\\w*|w[A-Z]\\w*|i[A-Z]\\w*|id[A-Z]\\w*|bcd\\w+|bm\\w+|MaxPower)\\s+(\\S+)(?:\\s+(.*))?$");

    private LsusbDump() {
    }

    /** The fields of the dump in resource {@code name}. */
    public static List<String> parse(String name) throws IOException {
        List<String> out = new ArrayList<>();
        String section = "";
        try (InputStream in = LsusbDump.class.getResourceAsStream(name)) {
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String line = raw.stripTrailing();
                String t = line.strip();
                if (t.startsWith("Device Status:")) {
                    out.add("Status=" + Integer.decode(t.substring("Device Status:".length()).strip()));
                    continue;
                }
                if (t.endsWith(":") && !t.contains("  ")) {
                    section = t.substring(0, t.indexOf(' ') < 0 ? t.length() - 1 : t.indexOf(' '));
                    continue;
                }
                Matcher m = FIELD.matcher(line);
                if (!m.matches()) {
                    continue; // decoded sub-lines (Transfer Type, Self Powered, ...) follow from the fields
                }
                String field = m.group(1);
                String v = m.group(2);
                long value;
                if (field.startsWith("bcd")) {
                    String[] p = v.split("\\.");
                    value = Long.parseLong(p[0], 16) << 8 | Long.parseLong(p[1], 16);
                } else if (field.equals("MaxPower")) {
                    value = Long.parseLong(v.replace("mA", ""));
                } else {
                    value = Long.decode(v);
                }
                String entry = section + "." + field + "=" + value;
                if (field.startsWith("i") && !field.startsWith("id") && value != 0) {
                    entry += " " + m.group(3);
                }
                out.add(entry);
            }
        }
        return out;
    }

    // How each descriptor's fields are named and laid out (USB 2.0 Tables 9-8 to 9-13): the name lsusb
    // prints and the field's kind: 1 or 2 bytes, S a string index (1 byte), P bMaxPower (1 byte, 2 mA units).
    private static final int S = -1;
    private static final int P = -2;
    private static final Object[] DEVICE = {"bLength", 1, "bDescriptorType", 1, "bcdUSB", 2, "bDeviceClass", 1,
        "bDeviceSubClass", 1, "bDeviceProtocol", 1, "bMaxPacketSize0", 1, "idVendor", 2, "idProduct", 2, "bcdDevice", 2,
        "iManufacturer", S, "iProduct", S, "iSerial", S, "bNumConfigurations", 1};
    private static final Object[] CONFIGURATION = {"bLength", 1, "bDescriptorType", 1, "wTotalLength", 2,
        "bNumInterfaces", 1, "bConfigurationValue", 1, "iConfiguration", S, "bmAttributes", 1, "MaxPower", P};
    private static final Object[] INTERFACE = {"bLength", 1, "bDescriptorType", 1, "bInterfaceNumber", 1,
        "bAlternateSetting", 1, "bNumEndpoints", 1, "bInterfaceClass", 1, "bInterfaceSubClass", 1, "bInterfaceProtocol", 1,
        "iInterface", S};
    private static final Object[] ENDPOINT = {"bLength", 1, "bDescriptorType", 1, "bEndpointAddress", 1, "bmAttributes", 1,
        "wMaxPacketSize", 2, "bInterval", 1};
    private static final Object[] QUALIFIER = {"bLength", 1, "bDescriptorType", 1, "bcdUSB", 2, "bDeviceClass", 1,
        "bDeviceSubClass", 1, "bDeviceProtocol", 1, "bMaxPacketSize0", 1, "bNumConfigurations", 1};

    /** The same fields, read from the device at {@code addr} (configured or addressed) through {@code host}. */
    public static List<String> read(EhciHost host, int addr) {
        List<String> out = new ArrayList<>();
        fields(out, "Device", DEVICE, host.control(addr, 0x80, 6, Descriptor.DEVICE << 8, 0, 18), 0, host, addr);
        byte[] c = host.control(addr, 0x80, 6, Descriptor.CONFIGURATION << 8, 0, 255);
        for (int at = 0; at < c.length; at += u8(c, at)) {
            switch (u8(c, at + 1)) {
                case Descriptor.CONFIGURATION -> fields(out, "Configuration", CONFIGURATION, c, at, host, addr);
                case Descriptor.INTERFACE -> fields(out, "Interface", INTERFACE, c, at, host, addr);
                case Descriptor.ENDPOINT -> fields(out, "Endpoint", ENDPOINT, c, at, host, addr);
                default -> throw new AssertionError("unexpected descriptor type " + u8(c, at + 1));
            }
        }
        fields(out, "Device", QUALIFIER, host.control(addr, 0x80, 6, Descriptor.DEVICE_QUALIFIER << 8, 0, 10), 0, host, addr);
        out.add("Status=" + u16(host.control(addr, 0x80, 0, 0, 0, 2), 0));
        return out;
    }

    /** Decodes the descriptor at {@code at} of {@code d} by {@code table} into "section.field=value" lines. */
    private static void fields(List<String> out, String section, Object[] table, byte[] d, int at, EhciHost host, int addr) {
        for (int i = 0; i < table.length; i += 2) {
            int kind = (Integer) table[i + 1];
            String value = switch (kind) {
                case 2 -> String.valueOf(u16(d, at));
                case S -> string(host, addr, u8(d, at));
                case P -> String.valueOf(2 * u8(d, at));
                default -> String.valueOf(u8(d, at));
            };
            out.add(section + "." + table[i] + "=" + value);
            at += kind == 2 ? 2 : 1;
        }
    }

    /** "index string" as lsusb prints it (a UTF-16 code unit with a non-zero high byte as '?'), or "0". */
    private static String string(EhciHost host, int addr, int index) {
        if (index == 0) {
            return "0";
        }
        byte[] d = host.control(addr, 0x80, 6, Descriptor.STRING << 8 | index, 0x0409, 255);
        StringBuilder b = new StringBuilder();
        for (int i = 2; i + 1 < u8(d, 0); i += 2) {
            b.append(d[i + 1] != 0 ? '?' : (char) u8(d, i));
        }
        return index + " " + b;
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    private static int u16(byte[] b, int at) {
        return u8(b, at) | u8(b, at + 1) << 8;
    }
}
