package brassboard.boards.board;

import brassboard.arm.gic.Gic;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.MmioRegion;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a device type's factory builds into: the machine's kernel (scheduler, tracer, fault
 * points, system bus), the run's configuration and command-line devices, and the registry in
 * which devices publish what others need (their model objects, interrupt outputs and inputs,
 * reset actions).
 */
public final class BuildContext {
    private final BoardDescription board;
    private final MachineConfig config;
    private final BoardOptions options;
    private final Console console;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final FaultPoints faults;
    private final AddressSpace bus;
    private final Map<String, Object> models = new HashMap<>();
    private final Map<String, IrqLine> outputs = new LinkedHashMap<>();
    private final Map<String, Function<DeviceSpec.IrqTarget, IrqSink>> inputs = new HashMap<>();
    private final List<Runnable> resets = new ArrayList<>();
    private Gic gic;
    private final FirmwareServices services = new FirmwareServices();
    private final List<java.util.function.Consumer<brassboard.boards.api.Machine>> machineHooks = new ArrayList<>();

    BuildContext(BoardDescription board, MachineConfig config, BoardOptions options, Console console,
                 Scheduler scheduler, Tracer tracer, FaultPoints faults, AddressSpace bus) {
        this.board = board;
        this.config = config;
        this.options = options;
        this.console = console;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.faults = faults;
        this.bus = bus;
    }

    public BoardDescription board() {
        return board;
    }

    public MachineConfig config() {
        return config;
    }

    public BoardOptions options() {
        return options;
    }

    public Console console() {
        return console;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Tracer tracer() {
        return tracer;
    }

    public FaultPoints faults() {
        return faults;
    }

    public AddressSpace bus() {
        return bus;
    }

    /** Maps {@code mmio} at the device's window {@code window} under the window's region name. */
    public void map(DeviceSpec spec, String window, MmioDevice mmio) {
        DeviceSpec.Region r = spec.window(window);
        bus.map(r.base(), new MmioRegion(r.name(), r.size(), mmio));
    }

    /** Publishes the model object of device {@code name} (a parent's bus, a clock, the GIC ...). */
    public void publish(String name, Object model) {
        models.put(name, model);
    }

    /** The model device {@code name} published, as a {@code type}. */
    public <T> T model(String name, Class<T> type) throws ConfigException {
        Object m = models.get(name);
        if (!type.isInstance(m)) {
            throw new ConfigException(board.source() + ": device '" + name + "' is not built, or is not a " + type.getSimpleName());
        }
        return type.cast(m);
    }

    /** Declares interrupt output {@code output} of {@code spec}; the builder connects it as the file says. */
    public void output(DeviceSpec spec, String output, IrqLine line) {
        outputs.put(spec.name() + "." + output, line);
    }

    IrqLine output(String device, String output) {
        return outputs.get(device + "." + output);
    }

    /** Declares that {@code spec}'s inputs are found by {@code resolver} (an interrupt controller, a GPIO block). */
    public void inputs(DeviceSpec spec, Function<DeviceSpec.IrqTarget, IrqSink> resolver) {
        inputs.put(spec.name(), resolver);
    }

    Function<DeviceSpec.IrqTarget, IrqSink> inputs(String device) {
        return inputs.get(device);
    }

    /** The board's interrupt controller. */
    public Gic gic() throws ConfigException {
        if (gic == null) {
            throw new ConfigException(board.source() + ": the board has no interrupt controller (a gicv2 device)");
        }
        return gic;
    }

    Gic gicOrNull() {
        return gic;
    }

    void gic(Gic g) {
        if (gic == null) {
            gic = g;
        }
    }

    /** An action a system reset runs, in the order added. */
    public void onReset(Runnable r) {
        resets.add(r);
    }

    List<Runnable> resets() {
        return resets;
    }

    FirmwareServices services() {
        return services;
    }

    /** Something to tell the machine once it exists (its PCIe host, its WiFi device ...). */
    public void onMachine(java.util.function.Consumer<brassboard.boards.api.Machine> hook) {
        machineHooks.add(hook);
    }

    List<java.util.function.Consumer<brassboard.boards.api.Machine>> machineHooks() {
        return machineHooks;
    }
}
