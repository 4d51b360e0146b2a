package brassboard.bus.usb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The standard USB descriptors (USB 2.0 §9.6) as immutable records, each serialised to its exact
 * wire bytes by {@link #bytes()}. Field names follow the specification's tables without the type
 * prefixes ({@code bcdUSB} becomes {@code bcdUsb}, {@code wMaxPacketSize} {@code maxPacketSize}).
 */
public sealed interface Descriptor {
    // ---- Descriptor types, Table 9-5 ----
    int DEVICE = 1;
    int CONFIGURATION = 2;
    int STRING = 3;
    int INTERFACE = 4;
    int ENDPOINT = 5;
    int DEVICE_QUALIFIER = 6;
    int OTHER_SPEED_CONFIGURATION = 7;

    /** The descriptor as the device sends it. */
    byte[] bytes();

    /** Device descriptor, Table 9-8 (18 bytes). */
    record Device(int bcdUsb, int deviceClass, int deviceSubClass, int deviceProtocol, int maxPacketSize0,
                  int idVendor, int idProduct, int bcdDevice, int iManufacturer, int iProduct, int iSerialNumber,
                  int numConfigurations) implements Descriptor {
        public Device {
            if (maxPacketSize0 != 8 && maxPacketSize0 != 16 && maxPacketSize0 != 32 && maxPacketSize0 != 64) {
                throw new IllegalArgumentException("bMaxPacketSize0 " + maxPacketSize0 + " is not 8, 16, 32 or 64");
            }
        }

        @Override
        public byte[] bytes() {
            return new byte[] {18, DEVICE, lo(bcdUsb), hi(bcdUsb), (byte) deviceClass, (byte) deviceSubClass,
                (byte) deviceProtocol, (byte) maxPacketSize0, lo(idVendor), hi(idVendor), lo(idProduct), hi(idProduct),
                lo(bcdDevice), hi(bcdDevice), (byte) iManufacturer, (byte) iProduct, (byte) iSerialNumber,
                (byte) numConfigurations};
        }
    }

    /** Device qualifier descriptor, Table 9-9 (10 bytes): how the device would look at the other speed. */
    record DeviceQualifier(int bcdUsb, int deviceClass, int deviceSubClass, int deviceProtocol, int maxPacketSize0,
                           int numConfigurations) implements Descriptor {
        @Override
        public byte[] bytes() {
            return new byte[] {10, DEVICE_QUALIFIER, lo(bcdUsb), hi(bcdUsb), (byte) deviceClass, (byte) deviceSubClass,
                (byte) deviceProtocol, (byte) maxPacketSize0, (byte) numConfigurations, 0};
        }
    }

    /** Endpoint descriptor, Table 9-13 (7 bytes). {@code address} bit 7 is the direction (1 = IN). */
    record Endpoint(int address, int attributes, int maxPacketSize, int interval) implements Descriptor {
        /** bmAttributes transfer types. */
        public static final int CONTROL = 0;
        public static final int ISOCHRONOUS = 1;
        public static final int BULK = 2;
        public static final int INTERRUPT = 3;

        /** A bulk endpoint: {@code in} selects the direction. */
        public static Endpoint bulk(int number, boolean in, int maxPacketSize) {
            return new Endpoint(number | (in ? 0x80 : 0), BULK, maxPacketSize, 0);
        }

        public Endpoint {
            if ((address & 0x70) != 0 || (address & 0x0F) == 0) {
                throw new IllegalArgumentException(String.format("endpoint address 0x%02x: numbers are 1-15, bit 7 the direction", address));
            }
        }

        /** Endpoint number, 1-15. */
        public int number() {
            return address & 0x0F;
        }

        /** Whether it is an IN (device-to-host) endpoint. */
        public boolean in() {
            return (address & 0x80) != 0;
        }

        /** The transfer type, bmAttributes bits 1:0. */
        public int transferType() {
            return attributes & 3;
        }

        @Override
        public byte[] bytes() {
            return new byte[] {7, ENDPOINT, (byte) address, (byte) attributes, lo(maxPacketSize), hi(maxPacketSize), (byte) interval};
        }
    }

    /** Interface descriptor, Table 9-12 (9 bytes), followed on the wire by its endpoints. */
    record Interface(int number, int alternateSetting, int interfaceClass, int interfaceSubClass, int interfaceProtocol,
                     int iInterface, List<Endpoint> endpoints) implements Descriptor {
        public Interface {
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {9, INTERFACE, (byte) number, (byte) alternateSetting, (byte) endpoints.size(),
                (byte) interfaceClass, (byte) interfaceSubClass, (byte) interfaceProtocol, (byte) iInterface});
            for (Endpoint e : endpoints) {
                out.writeBytes(e.bytes());
            }
            return out.toByteArray();
        }
    }

    /**
     * Configuration descriptor, Table 9-10 (9 bytes), followed by all its interfaces and their
     * endpoints; wTotalLength and bNumInterfaces are computed.
     *
     * @param attributes bmAttributes: bit 7 must be one, bit 6 self-powered, bit 5 remote wakeup
     * @param maxPower   bMaxPower, in units of 2 mA
     */
    record Configuration(int value, int iConfiguration, int attributes, int maxPower, List<Interface> interfaces)
            implements Descriptor {
        public Configuration {
            interfaces = List.copyOf(interfaces);
            if (value == 0) {
                throw new IllegalArgumentException("bConfigurationValue 0 means 'not configured'; configurations are numbered from 1");
            }
        }

        /** bNumInterfaces: distinct interface numbers (alternate settings count once). */
        public int numInterfaces() {
            return (int) interfaces.stream().mapToInt(Interface::number).distinct().count();
        }

        /** Whether bmAttributes says the device is self-powered. */
        public boolean selfPowered() {
            return (attributes & 0x40) != 0;
        }

        @Override
        public byte[] bytes() {
            return bytes(CONFIGURATION);
        }

        /** The hierarchy with the first descriptor's type {@code type} (2, or 7 for other-speed). */
        byte[] bytes(int type) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Interface i : interfaces) {
                body.writeBytes(i.bytes());
            }
            int total = 9 + body.size();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {9, (byte) type, lo(total), hi(total), (byte) numInterfaces(), (byte) value,
                (byte) iConfiguration, (byte) (attributes | 0x80), (byte) maxPower});
            out.writeBytes(body.toByteArray());
            return out.toByteArray();
        }
    }

    /** A string descriptor, Table 9-16: UNICODE (UTF-16LE) text. */
    record Text(String text) implements Descriptor {
        @Override
        public byte[] bytes() {
            byte[] s = text.getBytes(StandardCharsets.UTF_16LE);
            if (s.length > 253) {
                throw new IllegalStateException("string descriptor '" + text + "' is longer than 126 characters");
            }
            byte[] out = new byte[2 + s.length];
            out[0] = (byte) out.length;
            out[1] = STRING;
            System.arraycopy(s, 0, out, 2, s.length);
            return out;
        }
    }

    /** String descriptor zero, Table 9-15: the LANGID codes the device supports. */
    record Languages(List<Integer> langIds) implements Descriptor {
        /** English (United States). */
        public static final int EN_US = 0x0409;

        public Languages {
            langIds = List.copyOf(langIds);
        }

        @Override
        public byte[] bytes() {
            byte[] out = new byte[2 + 2 * langIds.size()];
            out[0] = (byte) out.length;
            out[1] = STRING;
            for (int i = 0; i < langIds.size(); i++) {
                out[2 + 2 * i] = lo(langIds.get(i));
                out[3 + 2 * i] = hi(langIds.get(i));
            }
            return out;
        }
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    private static byte hi(int v) {
        return (byte) (v >>> 8);
    }
}
