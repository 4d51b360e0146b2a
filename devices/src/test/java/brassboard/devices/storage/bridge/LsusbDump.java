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
final class LsusbDump {
    private static final Pattern FIELD = Pattern.compile("^\\s+(b[A-Z]\\w*|w[A-Z]\\w*|i[A-Z]\\w*|id[A-Z]\\w*|bcd\\w+|bm\\w+|MaxPower)\\s+(\\S+)(?:\\s+(.*))?$");

    private LsusbDump() {
    }

    /** The fields of the dump in resource {@code name}. */
    static List<String> parse(String name) throws IOException {
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

    /** The same fields, read from the device at {@code addr} (configured or addressed) through {@code host}. */
    static List<String> read(EhciHost host, int addr) {
        List<String> out = new ArrayList<>();
        byte[] d = host.control(addr, 0x80, 6, Descriptor.DEVICE << 8, 0, 18);
        String s = "Device";
        out.add(s + ".bLength=" + u8(d, 0));
        out.add(s + ".bDescriptorType=" + u8(d, 1));
        out.add(s + ".bcdUSB=" + u16(d, 2));
        out.add(s + ".bDeviceClass=" + u8(d, 4));
        out.add(s + ".bDeviceSubClass=" + u8(d, 5));
        out.add(s + ".bDeviceProtocol=" + u8(d, 6));
        out.add(s + ".bMaxPacketSize0=" + u8(d, 7));
        out.add(s + ".idVendor=" + u16(d, 8));
        out.add(s + ".idProduct=" + u16(d, 10));
        out.add(s + ".bcdDevice=" + u16(d, 12));
        out.add(s + ".iManufacturer=" + string(host, addr, u8(d, 14)));
        out.add(s + ".iProduct=" + string(host, addr, u8(d, 15)));
        out.add(s + ".iSerial=" + string(host, addr, u8(d, 16)));
        out.add(s + ".bNumConfigurations=" + u8(d, 17));
        byte[] c = host.control(addr, 0x80, 6, Descriptor.CONFIGURATION << 8, 0, 255);
        for (int at = 0; at < c.length; at += u8(c, at)) {
            switch (u8(c, at + 1)) {
                case Descriptor.CONFIGURATION -> {
                    s = "Configuration";
                    out.add(s + ".bLength=" + u8(c, at));
                    out.add(s + ".bDescriptorType=" + u8(c, at + 1));
                    out.add(s + ".wTotalLength=" + u16(c, at + 2));
                    out.add(s + ".bNumInterfaces=" + u8(c, at + 4));
                    out.add(s + ".bConfigurationValue=" + u8(c, at + 5));
                    out.add(s + ".iConfiguration=" + string(host, addr, u8(c, at + 6)));
                    out.add(s + ".bmAttributes=" + u8(c, at + 7));
                    out.add(s + ".MaxPower=" + 2 * u8(c, at + 8));
                }
                case Descriptor.INTERFACE -> {
                    s = "Interface";
                    out.add(s + ".bLength=" + u8(c, at));
                    out.add(s + ".bDescriptorType=" + u8(c, at + 1));
                    out.add(s + ".bInterfaceNumber=" + u8(c, at + 2));
                    out.add(s + ".bAlternateSetting=" + u8(c, at + 3));
                    out.add(s + ".bNumEndpoints=" + u8(c, at + 4));
                    out.add(s + ".bInterfaceClass=" + u8(c, at + 5));
                    out.add(s + ".bInterfaceSubClass=" + u8(c, at + 6));
                    out.add(s + ".bInterfaceProtocol=" + u8(c, at + 7));
                    out.add(s + ".iInterface=" + string(host, addr, u8(c, at + 8)));
                }
                case Descriptor.ENDPOINT -> {
                    s = "Endpoint";
                    out.add(s + ".bLength=" + u8(c, at));
                    out.add(s + ".bDescriptorType=" + u8(c, at + 1));
                    out.add(s + ".bEndpointAddress=" + u8(c, at + 2));
                    out.add(s + ".bmAttributes=" + u8(c, at + 3));
                    out.add(s + ".wMaxPacketSize=" + u16(c, at + 4));
                    out.add(s + ".bInterval=" + u8(c, at + 6));
                }
                default -> throw new AssertionError("unexpected descriptor type " + u8(c, at + 1));
            }
        }
        byte[] q = host.control(addr, 0x80, 6, Descriptor.DEVICE_QUALIFIER << 8, 0, 10);
        s = "Device";
        out.add(s + ".bLength=" + u8(q, 0));
        out.add(s + ".bDescriptorType=" + u8(q, 1));
        out.add(s + ".bcdUSB=" + u16(q, 2));
        out.add(s + ".bDeviceClass=" + u8(q, 4));
        out.add(s + ".bDeviceSubClass=" + u8(q, 5));
        out.add(s + ".bDeviceProtocol=" + u8(q, 6));
        out.add(s + ".bMaxPacketSize0=" + u8(q, 7));
        out.add(s + ".bNumConfigurations=" + u8(q, 8));
        byte[] status = host.control(addr, 0x80, 0, 0, 0, 2);
        out.add("Status=" + u16(status, 0));
        return out;
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
