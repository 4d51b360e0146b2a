package brassboard.boards.api;

import brassboard.devices.storage.block.RawImageBackend;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A USB device plugged into the board's EHCI controller ({@code --usb}): for now QEMU's
 * {@code usb-storage} stick backed by a raw disk image.
 *
 * @param disk the raw image (a whole number of 512-byte sectors)
 * @param mode how writes are handled: copy-on-write (the default: the file is never changed),
 *             write-through, or read-only
 * @param port the root port, 1 to {@value #PORTS} (QEMU's {@code port=}); empty: the lowest free one
 */
public record UsbAttachment(Path disk, RawImageBackend.Mode mode, OptionalInt port) {
    /** Root ports of the EHCI controller (HCSPARAMS.N_PORTS). */
    public static final int PORTS = 6;
    /** The syntax, for messages. */
    public static final String SYNTAX = "storage,disk=FILE[,write-through|,readonly][,port=N]";

    public UsbAttachment {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(port, "port");
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > PORTS)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is out of range; the EHCI controller has ports 1 to " + PORTS);
        }
    }

    /** A usb-storage stick on {@code disk}, copy-on-write, on the lowest free port. */
    public static UsbAttachment storage(Path disk) {
        return new UsbAttachment(disk, RawImageBackend.Mode.COPY_ON_WRITE, OptionalInt.empty());
    }

    /** This stick with writes handled in {@code m}. */
    public UsbAttachment withMode(RawImageBackend.Mode m) {
        return new UsbAttachment(disk, m, port);
    }

    /** This stick on root port {@code n} (1 to {@value #PORTS}). */
    public UsbAttachment onPort(int n) {
        return new UsbAttachment(disk, mode, OptionalInt.of(n));
    }

    /**
     * Parses {@code --usb}'s argument, {@value #SYNTAX}.
     *
     * @throws ConfigException one line naming what is wrong and what was expected
     */
    public static UsbAttachment parse(String spec) throws ConfigException {
        String[] parts = spec.split(",", -1);
        String where = "--usb " + spec + ": ";
        if (!parts[0].equals("storage")) {
            throw new ConfigException(where + "unknown device kind '" + parts[0] + "'; expected " + SYNTAX);
        }
        Path disk = null;
        RawImageBackend.Mode mode = null;
        OptionalInt port = OptionalInt.empty();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? null : p.substring(eq + 1);
            switch (key) {
                case "disk" -> {
                    if (value == null || value.isEmpty()) {
                        throw new ConfigException(where + "disk= needs a file name; expected " + SYNTAX);
                    }
                    if (disk != null) {
                        throw new ConfigException(where + "disk= given twice; expected one disk per device");
                    }
                    disk = Path.of(value);
                }
                case "write-through", "readonly" -> {
                    if (value != null) {
                        throw new ConfigException(where + "'" + key + "' takes no value; expected " + SYNTAX);
                    }
                    if (mode != null) {
                        throw new ConfigException(where + "write-through and readonly exclude each other; expected at most one");
                    }
                    mode = key.equals("readonly") ? RawImageBackend.Mode.READ_ONLY : RawImageBackend.Mode.WRITE_THROUGH;
                }
                case "port" -> {
                    if (port.isPresent()) {
                        throw new ConfigException(where + "port= given twice");
                    }
                    int n;
                    try {
                        n = Integer.parseInt(value == null ? "" : value);
                    } catch (NumberFormatException e) {
                        throw new ConfigException(where + "port '" + value + "' is not a number; expected 1 to " + PORTS);
                    }
                    if (n < 1 || n > PORTS) {
                        throw new ConfigException(where + "port " + n + " is out of range; the EHCI controller has ports 1 to " + PORTS);
                    }
                    port = OptionalInt.of(n);
                }
                default -> throw new ConfigException(where + "unknown key '" + key + "'; expected " + SYNTAX);
            }
        }
        if (disk == null) {
            throw new ConfigException(where + "no disk=FILE; expected " + SYNTAX);
        }
        return new UsbAttachment(disk, mode == null ? RawImageBackend.Mode.COPY_ON_WRITE : mode, port);
    }

    @Override
    public String toString() {
        return "storage,disk=" + disk + switch (mode) {
            case COPY_ON_WRITE -> "";
            case WRITE_THROUGH -> ",write-through";
            case READ_ONLY -> ",readonly";
        } + (port.isPresent() ? ",port=" + port.getAsInt() : "");
    }
}
