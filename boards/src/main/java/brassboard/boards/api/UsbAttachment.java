package brassboard.boards.api;

import brassboard.devices.storage.ata.BadSectors;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.storage.bridge.WedgeTrigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A USB device plugged into the board's EHCI controller ({@code --usb}): QEMU's {@code usb-storage}
 * stick, or one of the field note's USB-to-IDE bridges (the Super Top 14cd:6600, the JMicron JM20337
 * 152d:2338) with an ATA disk behind it, each backed by a raw disk image.
 *
 * @param kind   which device
 * @param disk   the raw image (a whole number of 512-byte sectors)
 * @param mode   how writes are handled: copy-on-write (the default: the file is never changed),
 *               write-through, or read-only
 * @param port   the root port, 1 to {@value #PORTS} (QEMU's {@code port=}); empty: the lowest free one
 * @param defects the disk's bad sectors and retry time
 * @param wedge  the Super Top's controller bug (only for {@link Kind#SUPERTOP}; {@link WedgeTrigger#NONE} otherwise)
 * @param descriptors a bridge's descriptors from a file ({@code brassboard usb capture}'s YAML) instead of
 *               the field note's dump: the bridge's firmware under the identity of the device captured
 *               (bridges only; empty: the dump)
 */
public record UsbAttachment(Kind kind, Path disk, RawImageBackend.Mode mode, OptionalInt port, Defects defects,
                            WedgeTrigger wedge, Optional<Path> descriptors) {
    /** Root ports of the EHCI controller (HCSPARAMS.N_PORTS). */
    public static final int PORTS = 6;
    /** The syntax, for messages. */
    public static final String SYNTAX = "storage|supertop|jmicron,disk=FILE[,write-through|,readonly][,port=N]"
            + "[,bad=A-B[+C-D...]][,bad-read=...][,bad-write=...][,retry-time=DURATION]"
            + "[,wedge-pattern=HEX[@OFFSET]][,wedge-after=SIZE][,return-after=DURATION] (wedge-* and return-after: supertop only)"
            + "[,descriptors=FILE.yaml] (supertop and jmicron)";

    /** The devices {@code --usb} knows. */
    public enum Kind {
        /** QEMU's usb-storage stick. */
        STORAGE("storage"),
        /** The Super Top USB 2.0 IDE bridge, 14cd:6600. */
        SUPERTOP("supertop"),
        /** The JMicron JM20337 bridge, 152d:2338. */
        JMICRON("jmicron");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word {@code --usb} names it by. */
        public String word() {
            return word;
        }

        static Kind of(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * The disk's defects: sectors that cannot be read, sectors that cannot be written (LBA ranges),
     * and the time a failing access spends in retries (empty: {@link BadSectors#DEFAULT_RETRY_NS}).
     */
    public record Defects(List<BadSectors.Range> unreadable, List<BadSectors.Range> unwritable, OptionalLong retryNs) {
        /** A perfect disk. */
        public static final Defects NONE = new Defects(List.of(), List.of(), OptionalLong.empty());

        public Defects {
            unreadable = List.copyOf(unreadable);
            unwritable = List.copyOf(unwritable);
            Objects.requireNonNull(retryNs, "retryNs");
        }

        /** Whether nothing is configured. */
        public boolean none() {
            return unreadable.isEmpty() && unwritable.isEmpty() && retryNs.isEmpty();
        }

        /** The medium these defects describe. */
        public BadSectors medium() {
            BadSectors b = new BadSectors(retryNs.orElse(BadSectors.DEFAULT_RETRY_NS));
            unreadable.forEach(r -> b.addUnreadable(r.first(), r.last()));
            unwritable.forEach(r -> b.addUnwritable(r.first(), r.last()));
            return b;
        }

        /** The highest LBA a range names, or -1. */
        public long lastLba() {
            long last = -1;
            for (BadSectors.Range r : unreadable) {
                last = Math.max(last, r.last());
            }
            for (BadSectors.Range r : unwritable) {
                last = Math.max(last, r.last());
            }
            return last;
        }
    }

    public UsbAttachment {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(defects, "defects");
        Objects.requireNonNull(wedge, "wedge");
        Objects.requireNonNull(descriptors, "descriptors");
        if (kind == Kind.STORAGE && descriptors.isPresent()) {
            throw new IllegalArgumentException("descriptors from a file apply to the bridges (supertop, jmicron), not to storage");
        }
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > PORTS)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is out of range; the EHCI controller has ports 1 to " + PORTS);
        }
        if (kind != Kind.SUPERTOP && (wedge.armed() || wedge.returnAfterNs() >= 0)) {
            throw new IllegalArgumentException("a wedge trigger applies to the Super Top only, not to " + kind.word());
        }
    }

    /** A device with the dumped descriptors. */
    public UsbAttachment(Kind kind, Path disk, RawImageBackend.Mode mode, OptionalInt port, Defects defects, WedgeTrigger wedge) {
        this(kind, disk, mode, port, defects, wedge, Optional.empty());
    }

    /** A usb-storage stick on {@code disk}. */
    public UsbAttachment(Path disk, RawImageBackend.Mode mode, OptionalInt port) {
        this(Kind.STORAGE, disk, mode, port, Defects.NONE, WedgeTrigger.NONE);
    }

    /** A usb-storage stick on {@code disk}, copy-on-write, on the lowest free port. */
    public static UsbAttachment storage(Path disk) {
        return new UsbAttachment(disk, RawImageBackend.Mode.COPY_ON_WRITE, OptionalInt.empty());
    }

    /** A {@code kind} device on {@code disk}, copy-on-write, on the lowest free port, without defects or bug. */
    public static UsbAttachment of(Kind kind, Path disk) {
        return new UsbAttachment(kind, disk, RawImageBackend.Mode.COPY_ON_WRITE, OptionalInt.empty(), Defects.NONE, WedgeTrigger.NONE);
    }

    /** This device with writes handled in {@code m}. */
    public UsbAttachment withMode(RawImageBackend.Mode m) {
        return new UsbAttachment(kind, disk, m, port, defects, wedge, descriptors);
    }

    /** This device on root port {@code n} (1 to {@value #PORTS}). */
    public UsbAttachment onPort(int n) {
        return new UsbAttachment(kind, disk, mode, OptionalInt.of(n), defects, wedge, descriptors);
    }

    /** This device with the disk's defects {@code d}. */
    public UsbAttachment withDefects(Defects d) {
        return new UsbAttachment(kind, disk, mode, port, d, wedge, descriptors);
    }

    /** This (Super Top) device with the controller bug {@code w}. */
    public UsbAttachment withWedge(WedgeTrigger w) {
        return new UsbAttachment(kind, disk, mode, port, defects, w, descriptors);
    }

    /** This bridge answering with the descriptors in {@code file} ({@code brassboard usb capture}'s YAML). */
    public UsbAttachment withDescriptors(Path file) {
        return new UsbAttachment(kind, disk, mode, port, defects, wedge, Optional.of(file));
    }

    /**
     * Parses {@code --usb}'s argument, {@value #SYNTAX}. LBA ranges are {@code FIRST-LAST} (or one
     * LBA), several joined by {@code +}; a key may also be repeated.
     *
     * @throws ConfigException one line naming what is wrong and what was expected
     */
    public static UsbAttachment parse(String spec) throws ConfigException {
        String[] parts = spec.split(",", -1);
        String where = "--usb " + spec + ": ";
        Kind kind = Kind.of(parts[0]);
        if (kind == null) {
            throw new ConfigException(where + "unknown device kind '" + parts[0] + "'; expected " + SYNTAX);
        }
        Path disk = null;
        RawImageBackend.Mode mode = null;
        OptionalInt port = OptionalInt.empty();
        List<BadSectors.Range> unreadable = new ArrayList<>();
        List<BadSectors.Range> unwritable = new ArrayList<>();
        OptionalLong retry = OptionalLong.empty();
        WedgeTrigger wedge = WedgeTrigger.NONE;
        Optional<Path> descriptors = Optional.empty();
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
                case "bad", "bad-read", "bad-write" -> {
                    List<BadSectors.Range> ranges = ranges(where, key, value);
                    if (!key.equals("bad-write")) {
                        unreadable.addAll(ranges);
                    }
                    if (!key.equals("bad-read")) {
                        unwritable.addAll(ranges);
                    }
                }
                case "retry-time" -> {
                    if (retry.isPresent()) {
                        throw new ConfigException(where + "retry-time= given twice");
                    }
                    retry = OptionalLong.of(duration(where, key, value));
                }
                case "wedge-pattern" -> {
                    supertopOnly(where, kind, key);
                    if (wedge.pattern().isPresent()) {
                        throw new ConfigException(where + "wedge-pattern= given twice; expected one pattern");
                    }
                    wedge = pattern(where, value, wedge);
                }
                case "wedge-after" -> {
                    supertopOnly(where, kind, key);
                    long bytes;
                    try {
                        bytes = Quantities.sizeBytes(value == null ? "" : value);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(where + "wedge-after: " + e.getMessage());
                    }
                    if (bytes == 0) {
                        throw new ConfigException(where + "wedge-after=0: expected a size of data written after which the bridge wedges, like 630M");
                    }
                    wedge = wedge.withAfterBytes(bytes);
                }
                case "return-after" -> {
                    supertopOnly(where, kind, key);
                    wedge = wedge.returningAfter(duration(where, key, value));
                }
                case "descriptors" -> {
                    if (kind == Kind.STORAGE) {
                        throw new ConfigException(where + "descriptors= applies to the bridges (supertop, jmicron), not to storage");
                    }
                    if (value == null || value.isEmpty()) {
                        throw new ConfigException(where + "descriptors= needs a file, as 'brassboard usb capture VID:PID' writes it");
                    }
                    if (descriptors.isPresent()) {
                        throw new ConfigException(where + "descriptors= given twice; expected one file");
                    }
                    descriptors = Optional.of(Path.of(value));
                }
                default -> throw new ConfigException(where + "unknown key '" + key + "'; expected " + SYNTAX);
            }
        }
        if (disk == null) {
            throw new ConfigException(where + "no disk=FILE; expected " + SYNTAX);
        }
        return new UsbAttachment(kind, disk, mode == null ? RawImageBackend.Mode.COPY_ON_WRITE : mode, port,
                new Defects(unreadable, unwritable, retry), wedge, descriptors);
    }

    private static void supertopOnly(String where, Kind kind, String key) throws ConfigException {
        if (kind != Kind.SUPERTOP) {
            throw new ConfigException(where + key + "= applies to supertop only (the Super Top's controller bug), not to "
                    + kind.word());
        }
    }

    private static long duration(String where, String key, String value) throws ConfigException {
        try {
            return Quantities.durationNs(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + key + ": " + e.getMessage());
        }
    }

    /** {@code A-B[+C-D...]}: LBA ranges. */
    private static List<BadSectors.Range> ranges(String where, String key, String value) throws ConfigException {
        if (value == null || value.isEmpty()) {
            throw new ConfigException(where + key + "= needs LBA ranges; expected FIRST-LAST, several joined by +, like 1000-1023+5000");
        }
        List<BadSectors.Range> out = new ArrayList<>();
        for (String r : value.split("\\+", -1)) {
            String[] ends = r.split("-", -1);
            long first;
            long last;
            try {
                if (ends.length > 2) {
                    throw new NumberFormatException();
                }
                first = Long.parseLong(ends[0].strip());
                last = ends.length == 2 ? Long.parseLong(ends[1].strip()) : first;
            } catch (NumberFormatException e) {
                throw new ConfigException(where + key + ": '" + r + "' is not an LBA range; expected FIRST-LAST in decimal sectors, like 1000-1023");
            }
            if (first < 0 || last < first) {
                throw new ConfigException(where + key + ": '" + r + "' ends before it starts; expected FIRST-LAST with FIRST <= LAST");
            }
            out.add(new BadSectors.Range(first, last));
        }
        return out;
    }

    /** {@code HEX[@OFFSET]}. */
    private static WedgeTrigger pattern(String where, String value, WedgeTrigger wedge) throws ConfigException {
        String v = value == null ? "" : value;
        int at = v.indexOf('@');
        String hex = at < 0 ? v : v.substring(0, at);
        byte[] bytes;
        try {
            if (hex.isEmpty() || hex.length() % 2 != 0) {
                throw new IllegalArgumentException();
            }
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + "wedge-pattern: '" + hex + "' is not hex bytes; expected an even number of hex digits, like deadbeef");
        }
        if (bytes.length > 512) {
            throw new ConfigException(where + "wedge-pattern: " + bytes.length + " bytes; expected at most 512 (one sector)");
        }
        int offset = -1;
        if (at >= 0) {
            try {
                offset = Integer.parseInt(v.substring(at + 1));
            } catch (NumberFormatException e) {
                offset = -2;
            }
            if (offset < 0 || offset + bytes.length > 512) {
                throw new ConfigException(where + "wedge-pattern: offset '" + v.substring(at + 1) + "' does not fit the pattern in a "
                        + "512-byte sector; expected 0 to " + (512 - bytes.length));
            }
        }
        return new WedgeTrigger(Optional.of(bytes), offset, wedge.afterBytes(), wedge.returnAfterNs());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind.word()).append(",disk=").append(disk);
        b.append(switch (mode) {
            case COPY_ON_WRITE -> "";
            case WRITE_THROUGH -> ",write-through";
            case READ_ONLY -> ",readonly";
        });
        port.ifPresent(p -> b.append(",port=").append(p));
        List<BadSectors.Range> both = new ArrayList<>(defects.unreadable());
        both.retainAll(defects.unwritable());
        ranges(b, "bad", both);
        ranges(b, "bad-read", defects.unreadable().stream().filter(r -> !both.contains(r)).toList());
        ranges(b, "bad-write", defects.unwritable().stream().filter(r -> !both.contains(r)).toList());
        defects.retryNs().ifPresent(ns -> b.append(",retry-time=").append(ns).append("ns"));
        wedge.pattern().ifPresent(p -> b.append(",wedge-pattern=").append(HexFormat.of().formatHex(p))
                .append(wedge.sectorOffset() >= 0 ? "@" + wedge.sectorOffset() : ""));
        if (wedge.afterBytes() > 0) {
            b.append(",wedge-after=").append(wedge.afterBytes());
        }
        if (wedge.returnAfterNs() >= 0) {
            b.append(",return-after=").append(wedge.returnAfterNs()).append("ns");
        }
        descriptors.ifPresent(f -> b.append(",descriptors=").append(f));
        return b.toString();
    }

    private static void ranges(StringBuilder b, String key, List<BadSectors.Range> ranges) {
        if (!ranges.isEmpty()) {
            b.append(',').append(key).append('=');
            for (int i = 0; i < ranges.size(); i++) {
                b.append(i == 0 ? "" : "+").append(ranges.get(i));
            }
        }
    }
}
