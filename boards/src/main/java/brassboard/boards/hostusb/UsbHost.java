package brassboard.boards.hostusb;

import java.util.List;

/**
 * The host's USB as {@code brassboard usb} sees it: the devices on its buses, and a device opened to
 * read its descriptors. {@link LibUsbHost} is the real one (usb4java); every failure is a
 * {@link HostUsbException} with one line a person can act on.
 */
public interface UsbHost extends AutoCloseable {
    /** A device on a host bus, as the device list shows it (nothing read from the device yet). */
    record HostDevice(int bus, int address, int vendor, int product, String speed) {
        /** {@code 14cd:6600}. */
        public String id() {
            return String.format("%04x:%04x", vendor, product);
        }

        /** {@code bus 2 address 9 (/dev/bus/usb/002/009)}. */
        public String where() {
            return String.format("bus %d address %d (/dev/bus/usb/%03d/%03d)", bus, address, bus, address);
        }
    }

    /** An opened device: its descriptors can be read. */
    interface Opened extends DescriptorCapture.Source, AutoCloseable {
        @Override
        void close();
    }

    /** Every device on the host's buses (root hubs included), in bus and address order. */
    List<HostDevice> devices() throws HostUsbException;

    /**
     * Opens {@code device} to read its descriptors.
     *
     * @throws HostUsbException one line: permission denied (with what to do), the device gone, ...
     */
    Opened open(HostDevice device) throws HostUsbException;

    @Override
    void close();
}
