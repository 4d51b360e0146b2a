package brassboard.boards.board;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A board as its file describes it (read by {@link BoardReader}): the CPU cluster, the memories,
 * the devices (top level in file order, each with the devices on its bus) and the console.
 *
 * @param name       the board's name ({@code virt})
 * @param source     what messages call the file
 * @param model      the device tree's {@code /model}
 * @param compatible the device tree's {@code /compatible}
 * @param cpuModel   the cores' model ({@code cortex-a15})
 * @param maxCpus    most cores the board takes ({@code --smp})
 * @param memories   RAM and ROM regions
 * @param stdout     the device {@code /chosen/stdout-path} names, or null
 * @param devices    the top-level devices in file order
 */
public record BoardDescription(String name, String source, String model, List<String> compatible, String cpuModel, int maxCpus,
                               List<Memory> memories, String stdout, List<DeviceSpec> devices) {
    /** Read-only: a built-in board's description is parsed once and shared by every machine (and thread). */
    public BoardDescription {
        compatible = List.copyOf(compatible);
        memories = List.copyOf(memories);
        devices = List.copyOf(devices);
    }

    /** The DT compatible string of each supported core model. */
    public static final Map<String, String> CPU_MODELS = Map.of("cortex-a15", "arm,cortex-a15");

    /**
     * A memory: RAM (its size the machine's {@code --ram}, at most {@code max}) or ROM (its size
     * and contents from {@code file}, or zeroed at {@code size}).
     */
    public record Memory(String name, String kind, long base, long size, long max, Path file, int line) {
        public boolean isRam() {
            return kind.equals("ram");
        }
    }

    /** The RAM every board has exactly one of. */
    public Memory ram() {
        return memories.stream().filter(Memory::isRam).findFirst().orElseThrow();
    }

    /** Every device, parents before their children, in file order. */
    public List<DeviceSpec> allDevices() {
        List<DeviceSpec> all = new ArrayList<>();
        for (DeviceSpec d : devices) {
            collect(d, all);
        }
        return all;
    }

    private static void collect(DeviceSpec d, List<DeviceSpec> into) {
        into.add(d);
        for (DeviceSpec c : d.children()) {
            collect(c, into);
        }
    }

    /** Every device by name. */
    public Map<String, DeviceSpec> byName() {
        Map<String, DeviceSpec> m = new LinkedHashMap<>();
        for (DeviceSpec d : allDevices()) {
            m.put(d.name(), d);
        }
        return m;
    }

    public Optional<DeviceSpec> device(String deviceName) {
        return Optional.ofNullable(byName().get(deviceName));
    }

    /** The first device of catalogue type {@code type}. */
    public Optional<DeviceSpec> first(String type) {
        return allDevices().stream().filter(d -> d.type().name().equals(type)).findFirst();
    }
}
