package brassboard.boards.board;

import brassboard.arm.api.ArmCpu;
import brassboard.boards.api.ConfigException;
import brassboard.firmware.fdt.FdtNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the device catalogue: what a board file may say about a device of this type
 * (parameters, register windows and their size rules, interrupt outputs, the bus it sits on and
 * the bus it offers), the fault points it declares, how it is built and how it writes its
 * device-tree node. Built with {@link #define}.
 */
public final class DeviceType {
    /** Where an instance sits. */
    public enum Bus {
        /** On the system bus, with register windows. */
        SYSTEM,
        /** Nowhere: a board feature (PSCI, semihosting, the generic timer, a fixed clock). */
        NONE,
        /** On an SPI controller's chip select ({@code cs}). */
        SPI,
        /** In a PCIe host bridge's slot ({@code slot}). */
        PCI,
        /** On a USB host controller's root port ({@code port}). */
        USB;

        /** The key of a device entry that places it on this bus ({@code cs}, {@code slot}, {@code port}), or null. */
        public String positionKey() {
            return switch (this) {
                case SPI -> "cs";
                case PCI -> "slot";
                case USB -> "port";
                case SYSTEM, NONE -> null;
            };
        }

        /** What messages call a position ({@code chip select}, {@code slot}, {@code port}). */
        public String positionWord() {
            return this == SPI ? "chip select" : positionKey();
        }
    }

    /** A register window: its name, size limits and whether its size must be a power of two. */
    public record Window(String name, long minSize, long maxSize, boolean powerOfTwo, String doc) {
    }

    /** Builds one instance into the machine under construction. */
    @FunctionalInterface
    public interface Factory {
        void build(BuildContext ctx, DeviceSpec spec) throws ConfigException;
    }

    /** Attaches a per-core part (the generic timer) to each core once the cores exist. */
    @FunctionalInterface
    public interface PerCore {
        void attach(BuildContext ctx, DeviceSpec spec, int core, ArmCpu cpu);
    }

    /** Writes the instance's node(s) under {@code parent}. */
    @FunctionalInterface
    public interface NodeWriter {
        void write(DeviceTreeWriter.Context dt, DeviceSpec spec, FdtNode parent);
    }

    private final String name;
    private final String summary;
    private Bus bus = Bus.SYSTEM;
    private final List<Param> params = new ArrayList<>();
    private final List<Window> windows = new ArrayList<>();
    private final List<String> irqs = new ArrayList<>();
    private final List<String> faultPoints = new ArrayList<>();
    private Bus offers;
    private String positionsParam;
    private int firstPosition;
    private int positions;
    private boolean phandle;
    private boolean interruptController;
    private java.util.function.BiPredicate<DeviceSpec, String> inputs;
    private String inputsDoc;
    private java.util.function.Function<DeviceSpec, String> check = spec -> null;
    private Factory factory = (ctx, spec) -> { };
    private PerCore perCore;
    private NodeWriter node;

    private DeviceType(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    /** A new type named {@code name} (as board files write it), sitting on the system bus until told otherwise. */
    public static DeviceType define(String name, String summary) {
        return new DeviceType(name, summary);
    }

    public DeviceType on(Bus b) {
        this.bus = b;
        return this;
    }

    /** A register window; the first one is the device's {@code base}/{@code size} in a board file. */
    public DeviceType window(String windowName, long minSize, long maxSize, boolean powerOfTwo, String doc) {
        windows.add(new Window(windowName, minSize, maxSize, powerOfTwo, doc));
        return this;
    }

    public DeviceType param(Param p) {
        params.add(p);
        return this;
    }

    /** Interrupt outputs, in the order the device tree lists them. */
    public DeviceType irqs(String... outputs) {
        irqs.addAll(List.of(outputs));
        return this;
    }

    /** Fault points an instance declares; {@code {name}} stands for the instance's name. */
    public DeviceType faults(String... points) {
        faultPoints.addAll(List.of(points));
        return this;
    }

    /**
     * Devices of bus {@code b} sit on this one, at positions {@code first} up to (excluding)
     * {@code first + count}, or up to the value of parameter {@code countParam} when it is not null.
     */
    public DeviceType offers(Bus b, int first, int count, String countParam) {
        this.offers = b;
        this.firstPosition = first;
        this.positions = count;
        this.positionsParam = countParam;
        return this;
    }

    /**
     * The type has named interrupt inputs other devices' outputs may be wired to
     * ({@code DEVICE.INPUT}); {@code accepts} says whether an instance has input {@code name}.
     */
    public DeviceType inputs(String doc, java.util.function.BiPredicate<DeviceSpec, String> accepts) {
        this.inputsDoc = doc;
        this.inputs = accepts;
        return this;
    }

    /** The node gets a phandle (other nodes refer to it). */
    public DeviceType phandle() {
        this.phandle = true;
        return this;
    }

    /** The type is an interrupt controller: {@code spi N} and {@code ppi N} targets name its inputs. */
    public DeviceType interruptController() {
        this.interruptController = true;
        this.phandle = true;
        return this;
    }

    /**
     * A rule over the whole entry that parameter kinds cannot say; {@code rule} returns null, or
     * {@code FIELD: what is wrong} for the board file's error line.
     */
    public DeviceType check(java.util.function.Function<DeviceSpec, String> rule) {
        this.check = rule;
        return this;
    }

    /** The entry's problem as {@code FIELD: what}, or null. */
    String problem(DeviceSpec spec) {
        return check.apply(spec);
    }

    public DeviceType factory(Factory f) {
        this.factory = f;
        return this;
    }

    public DeviceType perCore(PerCore p) {
        this.perCore = p;
        return this;
    }

    public DeviceType node(NodeWriter w) {
        this.node = w;
        return this;
    }

    public String name() {
        return name;
    }

    public String summary() {
        return summary;
    }

    public Bus bus() {
        return bus;
    }

    public List<Param> params() {
        return List.copyOf(params);
    }

    public Optional<Param> param(String key) {
        return params.stream().filter(p -> p.name().equals(key)).findFirst();
    }

    public List<Window> windows() {
        return List.copyOf(windows);
    }

    public List<String> irqOutputs() {
        return List.copyOf(irqs);
    }

    public List<String> faultPoints() {
        return List.copyOf(faultPoints);
    }

    /** The bus this type offers to devices listed under it, or null. */
    public Bus offers() {
        return offers;
    }

    public int firstPosition() {
        return firstPosition;
    }

    /** How many positions an instance offers. */
    public int positions(DeviceSpec spec) {
        return positionsParam == null ? positions : (int) spec.number(positionsParam);
    }

    /** Whether an instance {@code spec} has interrupt input {@code name}. */
    public boolean hasInput(DeviceSpec spec, String name) {
        return inputs != null && inputs.test(spec, name);
    }

    /** What the inputs are called, or null when the type has none (for {@code brassboard devices}). */
    public String inputsDoc() {
        return inputsDoc;
    }

    public boolean hasPhandle() {
        return phandle;
    }

    public boolean isInterruptController() {
        return interruptController;
    }

    Factory factory() {
        return factory;
    }

    Optional<PerCore> perCore() {
        return Optional.ofNullable(perCore);
    }

    Optional<NodeWriter> node() {
        return Optional.ofNullable(node);
    }
}
