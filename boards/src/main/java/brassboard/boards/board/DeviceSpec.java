package brassboard.boards.board;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One device as a board file describes it, checked against its {@link DeviceType}.
 *
 * @param name     its name (unique in the board; trace sources and fault points use it)
 * @param type     its catalogue entry
 * @param line     the line of its entry in the board file
 * @param windows  its register windows by the type's window names, in the type's order
 * @param params   its parameters with defaults filled in: Long, Boolean, String, Path or List of String
 * @param irqs     where each interrupt output goes, by output name
 * @param when     a command-line option ({@code usb}, {@code spi-flash} ...) without which the device is left out
 * @param parent   the device whose bus it sits on (SPI, PCI) or whose node holds its node, or null
 * @param position its chip select or slot on the parent's bus, or -1
 * @param children the devices on its bus, in file order
 */
public record DeviceSpec(String name, DeviceType type, int line, Map<String, Region> windows, Map<String, Object> params,
                         Map<String, IrqTarget> irqs, Optional<String> when, String parent, int position, List<DeviceSpec> children) {
    /** Read-only views (in file order): a built-in board's description is parsed once and shared by every machine. */
    public DeviceSpec {
        windows = Collections.unmodifiableMap(windows);
        params = Collections.unmodifiableMap(params);
        irqs = Collections.unmodifiableMap(irqs);
    }

    /** An address range of the system bus, with the board-file line that placed it. */
    public record Region(String name, long base, long size, int line) {
        public long last() {
            return base + size - 1;
        }
    }

    /**
     * Where an interrupt output goes: {@code count} consecutive inputs from {@code first} of kind
     * {@code input} ({@code spi}, {@code ppi}, or a named input) of device {@code device} (the
     * board's interrupt controller when the file names none).
     */
    public record IrqTarget(String device, String input, int first, int count, int line, String text) {
        public boolean isSpi() {
            return input.equals("spi");
        }

        public boolean isPpi() {
            return input.equals("ppi");
        }
    }

    /** The first (main) register window. */
    public Region window() {
        return windows.values().iterator().next();
    }

    public Region window(String windowName) {
        return windows.get(windowName);
    }

    public long number(String key) {
        return (Long) params.get(key);
    }

    public boolean flag(String key) {
        return (Boolean) params.get(key);
    }

    public String text(String key) {
        return (String) params.get(key);
    }

    public Optional<Path> file(String key) {
        return Optional.ofNullable((Path) params.get(key));
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object v = params.get(key);
        return v == null ? List.of() : (List<String>) v;
    }

    public IrqTarget irq(String output) {
        return irqs.get(output);
    }
}
