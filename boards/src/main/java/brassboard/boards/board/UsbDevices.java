package brassboard.boards.board;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.UsbAttachment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalogue entries for USB devices on a {@code usb-ehci}'s root ports ({@code port: N} under its
 * {@code devices:}): QEMU's usb-storage stick and the two USB-to-IDE bridges. Each is the board-file
 * form of one {@code --usb} device (docs/usb.md): the same keys, each its own field, so a mistake is
 * reported at its line and field. The controller builds them ({@link PcieDevices}); an entry's name
 * is the device's name in fault points ({@code bot.NAME}, {@code disk.NAME.sector}, ...).
 */
final class UsbDevices {
    /** Keys that carry a value, in {@code --usb}'s syntax; {@code disk}, {@code descriptors} and the flags are their own params. */
    private static final List<String> DEFECTS = List.of("bad", "bad-read", "bad-write", "retry-time");
    private static final List<String> WEDGE = List.of("wedge-pattern", "wedge-after", "return-after");

    private UsbDevices() {
    }

    static List<DeviceType> types() {
        return List.of(
                device(UsbAttachment.Kind.STORAGE, "usb-storage", "USB mass-storage stick (QEMU's usb-storage, bulk-only SCSI) over a raw disk image"),
                device(UsbAttachment.Kind.SUPERTOP, "usb-supertop", "Super Top USB 2.0 IDE bridge (14cd:6600) with an ATA disk over a raw image"),
                device(UsbAttachment.Kind.JMICRON, "usb-jmicron", "JMicron JM20337 USB-to-ATA bridge (152d:2338) with an ATA disk over a raw image"));
    }

    private static DeviceType device(UsbAttachment.Kind kind, String name, String summary) {
        DeviceType t = DeviceType.define(name, summary)
                .on(DeviceType.Bus.USB)
                .param(Param.requiredFile("disk", "the raw disk image (relative to the board file)"))
                .param(Param.bool("write-through", false, "writes go to the image (default: kept in memory, copy on write)"))
                .param(Param.bool("readonly", false, "the disk refuses writes"))
                .param(Param.optionalText("bad", "LBA ranges that fail reads and writes: A-B[+C-D...]"))
                .param(Param.optionalText("bad-read", "LBA ranges that fail reads"))
                .param(Param.optionalText("bad-write", "LBA ranges that fail writes"))
                .param(Param.optionalText("retry-time", "how long the disk retries a bad sector before failing (a duration: 1ms)"));
        if (kind == UsbAttachment.Kind.SUPERTOP) {
            t.param(Param.optionalText("wedge-pattern", "the bridge wedges on data holding these bytes: HEX[@OFFSET]"))
                    .param(Param.optionalText("wedge-after", "the bridge wedges after this many bytes (a size: 1M)"))
                    .param(Param.optionalText("return-after", "a wedged bridge comes back after this long (a duration)"));
        }
        if (kind != UsbAttachment.Kind.STORAGE) {
            t.param(Param.file("descriptors", "the bridge's USB descriptors (YAML, as brassboard usb capture writes them)"));
        }
        if (kind == UsbAttachment.Kind.STORAGE) {
            t.faults("bot.{name}", "scsi.{name}.command", "disk.{name}.sector");
        } else {
            t.faults("bot.{name}", "scsi.{name}.command", "disk.{name}.sector", "bridge.{name}");
        }
        return t.check(spec -> {
                    if (spec.flag("write-through") && spec.flag("readonly")) {
                        return "readonly: write-through and readonly exclude each other; expected at most one";
                    }
                    for (String key : kind == UsbAttachment.Kind.SUPERTOP ? concat(DEFECTS, WEDGE) : DEFECTS) {
                        if (spec.text(key) != null) {
                            String problem = problem(kind, spec.text(key), key);
                            if (problem != null) {
                                return key + ": " + problem;
                            }
                        }
                    }
                    return null;
                })
                .factory((ctx, spec) -> {
                    // built by the usb-ehci it sits on (PcieDevices), with the controller's other devices
                });
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** What {@code --usb} says of {@code key=value} alone, without its "--usb SPEC: " prefix; or null. */
    private static String problem(UsbAttachment.Kind kind, String value, String key) {
        String spec = kind.word() + ",disk=-," + key + "=" + value;
        try {
            UsbAttachment.parse(spec);
            return null;
        } catch (ConfigException e) {
            String m = e.getMessage();
            String prefix = "--usb " + spec + ": ";
            return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        }
    }

    /** The device an entry describes, as {@code --usb} would give it, on root port {@code spec.position()}. */
    static UsbAttachment attachment(DeviceSpec spec) throws ConfigException {
        UsbAttachment.Kind kind = switch (spec.type().name()) {
            case "usb-storage" -> UsbAttachment.Kind.STORAGE;
            case "usb-supertop" -> UsbAttachment.Kind.SUPERTOP;
            case "usb-jmicron" -> UsbAttachment.Kind.JMICRON;
            default -> throw new IllegalArgumentException(spec.name() + " is no USB device");
        };
        StringBuilder sb = new StringBuilder(kind.word()).append(",disk=").append(spec.file("disk").orElseThrow()).append(",port=").append(spec.position());
        if (spec.flag("write-through")) {
            sb.append(",write-through");
        }
        if (spec.flag("readonly")) {
            sb.append(",readonly");
        }
        for (String key : kind == UsbAttachment.Kind.SUPERTOP ? concat(DEFECTS, WEDGE) : DEFECTS) {
            if (spec.text(key) != null) {
                sb.append(',').append(key).append('=').append(spec.text(key));
            }
        }
        if (kind != UsbAttachment.Kind.STORAGE) {
            spec.file("descriptors").ifPresent((Path f) -> sb.append(",descriptors=").append(f));
        }
        return UsbAttachment.parse(sb.toString());
    }
}
