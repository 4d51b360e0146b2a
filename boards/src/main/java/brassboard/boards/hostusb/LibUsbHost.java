package brassboard.boards.hostusb;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.DeviceList;
import org.usb4java.LibUsb;

/**
 * The host's USB through usb4java 1.3.0, whose native library carries libusb statically (nothing
 * to install). Descriptors are read with standard GET_DESCRIPTOR control transfers on endpoint 0,
 * which need the device opened: on Linux, write access to {@code /dev/bus/usb/BBB/DDD}.
 */
public final class LibUsbHost implements UsbHost {
    /** How long one control transfer may take on the host, in ms (host I/O, not simulated time). */
    private static final int TRANSFER_TIMEOUT_MS = 1000;
    private static final int GET_DESCRIPTOR = 6;
    private static final int DEVICE_TO_HOST = 0x80;
    private static final int MAX_STRING = 255;
    private static final int CONFIGURATION_HEADER = 9;
    private static final Path USBFS = Path.of("/dev/bus/usb");

    private final Context context;
    private final DeviceList list = new DeviceList();
    private boolean listed;
    private final Map<HostDevice, Device> devices = new LinkedHashMap<>();

    private LibUsbHost(Context context) {
        this.context = context;
    }

    /**
     * Loads usb4java's native library and starts libusb.
     *
     * @throws HostUsbException one line: the library cannot be loaded, or libusb cannot start (on
     *                          Linux: no {@code /dev/bus/usb}, as in a container without the host's USB)
     */
    public static LibUsbHost start() throws HostUsbException {
        Context context = new Context();
        int r;
        try {
            r = LibUsb.init(context);
        } catch (RuntimeException | LinkageError e) { // org.usb4java.LoaderException, UnsatisfiedLinkError
            throw new HostUsbException(cannotLoad(e));
        }
        if (r != LibUsb.SUCCESS) {
            throw new HostUsbException("libusb cannot start: " + LibUsb.errorName(r) + " (" + LibUsb.strError(r) + ")"
                    + (Files.isDirectory(USBFS) ? "" : "; this host has no " + USBFS + " (no USB, or a container without the host's USB)"));
        }
        return new LibUsbHost(context);
    }

    /** The line for a native library that does not load. */
    public static String cannotLoad(Throwable e) {
        while (e.getMessage() == null && e.getCause() != null) {
            e = e.getCause(); // ExceptionInInitializerError around usb4java's LoaderException
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
        return "libusb cannot be loaded: usb4java's native library for " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + " failed to load (" + why + ")";
    }

    @Override
    public List<HostDevice> devices() throws HostUsbException {
        if (!listed) {
            int n = LibUsb.getDeviceList(context, list);
            if (n < 0) {
                throw new HostUsbException("libusb cannot list the host's USB devices: " + LibUsb.errorName(n));
            }
            listed = true;
            List<HostDevice> found = new ArrayList<>();
            Map<HostDevice, Device> byId = new LinkedHashMap<>();
            for (Device d : list) {
                DeviceDescriptor dd = new DeviceDescriptor();
                if (LibUsb.getDeviceDescriptor(d, dd) != LibUsb.SUCCESS) {
                    continue; // gone since listed
                }
                HostDevice h = new HostDevice(LibUsb.getBusNumber(d), LibUsb.getDeviceAddress(d), dd.idVendor() & 0xFFFF,
                        dd.idProduct() & 0xFFFF, speed(LibUsb.getDeviceSpeed(d)));
                found.add(h);
                byId.put(h, d);
            }
            found.sort(java.util.Comparator.comparingInt(HostDevice::bus).thenComparingInt(HostDevice::address));
            found.forEach(h -> devices.put(h, byId.get(h)));
        }
        return List.copyOf(devices.keySet());
    }

    private static String speed(int s) {
        if (s == LibUsb.SPEED_LOW) {
            return "low";
        }
        if (s == LibUsb.SPEED_FULL) {
            return "full";
        }
        if (s == LibUsb.SPEED_HIGH) {
            return "high";
        }
        if (s == LibUsb.SPEED_SUPER || s == LibUsb.SPEED_SUPER_PLUS) {
            return "super";
        }
        return "unknown";
    }

    @Override
    public Opened open(HostDevice device) throws HostUsbException {
        devices();
        Device d = devices.get(device);
        if (d == null) {
            throw new HostUsbException(device.id() + " at " + device.where() + " is not on the host's device list");
        }
        DeviceHandle handle = new DeviceHandle();
        int r = LibUsb.open(d, handle);
        if (r != LibUsb.SUCCESS) {
            throw new HostUsbException(openError(r, device));
        }
        return new Opened() {
            @Override
            public DeviceDescriptor deviceDescriptor() {
                DeviceDescriptor dd = new DeviceDescriptor();
                LibUsb.getDeviceDescriptor(d, dd);
                return dd;
            }

            @Override
            public byte[] descriptor(int type, int index, int langId) throws HostUsbException {
                if (type == brassboard.bus.usb.Descriptor.CONFIGURATION || type == brassboard.bus.usb.Descriptor.OTHER_SPEED_CONFIGURATION) {
                    // As a host does: the 9-byte header for wTotalLength, then the whole hierarchy.
                    byte[] header = get(handle, device, type, index, langId, CONFIGURATION_HEADER);
                    if (header == null || header.length < 4) {
                        return header;
                    }
                    return get(handle, device, type, index, langId, RawDescriptors.u16(header, 2));
                }
                return get(handle, device, type, index, langId, MAX_STRING);
            }

            @Override
            public void close() {
                LibUsb.close(handle);
            }
        };
    }

    /** The line for {@code libusb_open}'s error {@code r}. */
    public static String openError(int r, HostDevice device) {
        if (r == LibUsb.ERROR_ACCESS) {
            return String.format("permission denied opening %s at %s: run as root, or let your user open it with a udev rule"
                    + " (SUBSYSTEM==\"usb\", ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", MODE=\"0666\")",
                    device.id(), device.where(), device.vendor(), device.product());
        }
        if (r == LibUsb.ERROR_NO_DEVICE) {
            return device.id() + " at " + device.where() + " is gone (unplugged since it was listed)";
        }
        return "cannot open " + device.id() + " at " + device.where() + ": " + LibUsb.errorName(r) + " (" + LibUsb.strError(r) + ")";
    }

    private static byte[] get(DeviceHandle handle, HostDevice device, int type, int index, int langId, int length)
            throws HostUsbException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        int r = LibUsb.controlTransfer(handle, (byte) DEVICE_TO_HOST, (byte) GET_DESCRIPTOR, (short) (type << 8 | index),
                (short) langId, buffer, TRANSFER_TIMEOUT_MS);
        if (r == LibUsb.ERROR_PIPE) {
            return null; // the device stalled the request: it has no such descriptor
        }
        if (r < 0) {
            throw new HostUsbException(String.format("GET_DESCRIPTOR(type %d, index %d) to %s at %s failed: %s", type, index,
                    device.id(), device.where(), LibUsb.errorName(r)));
        }
        byte[] out = new byte[r];
        buffer.get(0, out);
        return out;
    }

    @Override
    public void close() {
        if (listed) {
            LibUsb.freeDeviceList(list, true);
        }
        LibUsb.exit(context);
    }
}
