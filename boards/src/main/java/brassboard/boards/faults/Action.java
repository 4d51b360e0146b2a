package brassboard.boards.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule does when it fires: an action name and its parameters. Which actions a point
 * accepts is the point's to say ({@link brassboard.bus.api.FaultPoint#actions()}); this class
 * knows every action's parameters:
 *
 * <ul>
 *   <li>{@code error}: the access ends in a bus error (the CPU takes a precise external abort);</li>
 *   <li>{@code flip} ({@code mask} or {@code bit}; {@code reg} at {@code cpuN.reg}), {@code set}, {@code clear}
 *       ({@code mask}): invert, set or clear bits: of the data, of a RAM word, of a register;</li>
 *   <li>{@code replace} ({@code value}): the data becomes the value;</li>
 *   <li>{@code delay} ({@code ns}): the access costs that much more virtual time; an IRQ assertion or a
 *       timer expiry arrives that much later;</li>
 *   <li>{@code drop}: the occurrence is lost (a write that never lands, an IRQ assertion);</li>
 *   <li>{@code spurious} ({@code duration}, optional: 0, a pulse), {@code storm} ({@code period},
 *       {@code duration}), {@code stuck-high}, {@code stuck-low} ({@code duration}, optional: forever):
 *       an IRQ line's level, from {@code when.after};</li>
 *   <li>{@code drift} ({@code factor}): a timer runs at {@code factor} times its rate;</li>
 *   <li>{@code skip}: a timer expiry does not fire;</li>
 *   <li>{@code completer-abort}, {@code unsupported-request}: a PCIe request (configuration access,
 *       DMA) completes with that error status;</li>
 *   <li>{@code poison} ({@code mask}, optional: all 32 bits): PCIe DMA data arrives poisoned, XORed with the mask;</li>
 *   <li>{@code link-down} ({@code duration}, optional: forever): a PCIe link goes down from {@code when.after};</li>
 *   <li>{@code corrupt} ({@code bits}, optional: 1), {@code fcs-error}, {@code ring-overflow}: a received WiFi frame
 *       gets bit flips at seeded positions, fails its FCS, or finds the RX ring full;</li>
 *   <li>{@code pll-unlock}: an RF transceiver's synthesizers lose lock from {@code when.after};
 *       {@code calibration-fail}: an RF calibration fails; {@code garbage}: an RF register read returns a seeded random byte.</li>
 *   <li>USB transactions: {@code timeout}, {@code crc}, {@code stall}, {@code babble}, {@code nak-storm}
 *       ({@code count} or {@code duration}); a USB device's link: {@code disconnect} ({@code duration},
 *       optional: for good), {@code reconnect};</li>
 *   <li>a bulk-only CSW: {@code wrong-residue} ({@code value}), {@code phase-error}, {@code bad-signature},
 *       {@code bad-tag}, {@code no-csw}; a SCSI command: {@code check-condition} ({@code key}, {@code asc},
 *       {@code ascq} optional), {@code busy};</li>
 *   <li>a disk's sectors: {@code unc}, {@code write-fault} ({@code retry}, optional: 1 s), {@code latency}
 *       ({@code ns}), {@code grow}; a USB-to-IDE bridge: {@code wedge} ({@code return-after}, optional).</li>
 * </ul>
 */
public final class Action {
    /** An action's parameters: all of {@code required}, exactly one of {@code oneOf} (when not empty), any of {@code optional}. */
    record Spec(List<String> required, List<String> oneOf, List<String> optional) {
        List<String> all() {
            List<String> a = new ArrayList<>(required);
            a.addAll(oneOf);
            a.addAll(optional);
            return a;
        }
    }

    /** Every action this engine can perform, with its parameters, in documentation order. */
    static final Map<String, Spec> SPECS;
    /** Parameters that are durations (a number of ns, or a number and a unit). */
    static final List<String> DURATIONS = List.of("ns", "duration", "period", "retry", "return-after");

    static {
        Map<String, Spec> m = new LinkedHashMap<>();
        m.put("error", spec(List.of(), List.of(), List.of()));
        m.put("flip", spec(List.of(), List.of("mask", "bit"), List.of("reg")));
        m.put("set", spec(List.of("mask"), List.of(), List.of()));
        m.put("clear", spec(List.of("mask"), List.of(), List.of()));
        m.put("replace", spec(List.of("value"), List.of(), List.of()));
        m.put("delay", spec(List.of("ns"), List.of(), List.of()));
        m.put("drop", spec(List.of(), List.of(), List.of()));
        m.put("spurious", spec(List.of(), List.of(), List.of("duration")));
        m.put("storm", spec(List.of("period", "duration"), List.of(), List.of()));
        m.put("stuck-high", spec(List.of(), List.of(), List.of("duration")));
        m.put("stuck-low", spec(List.of(), List.of(), List.of("duration")));
        m.put("drift", spec(List.of("factor"), List.of(), List.of()));
        m.put("skip", spec(List.of(), List.of(), List.of()));
        m.put("completer-abort", spec(List.of(), List.of(), List.of()));
        m.put("unsupported-request", spec(List.of(), List.of(), List.of()));
        m.put("poison", spec(List.of(), List.of(), List.of("mask")));
        m.put("link-down", spec(List.of(), List.of(), List.of("duration")));
        m.put("corrupt", spec(List.of(), List.of(), List.of("bits")));
        m.put("fcs-error", spec(List.of(), List.of(), List.of()));
        m.put("ring-overflow", spec(List.of(), List.of(), List.of()));
        m.put("pll-unlock", spec(List.of(), List.of(), List.of()));
        m.put("calibration-fail", spec(List.of(), List.of(), List.of()));
        m.put("garbage", spec(List.of(), List.of(), List.of()));
        // USB packets (usb.<port>.packet) and links (usb.<port>.link)
        m.put("timeout", spec(List.of(), List.of(), List.of()));
        m.put("crc", spec(List.of(), List.of(), List.of()));
        m.put("stall", spec(List.of(), List.of(), List.of()));
        m.put("babble", spec(List.of(), List.of(), List.of()));
        m.put("nak-storm", spec(List.of(), List.of("count", "duration"), List.of()));
        m.put("disconnect", spec(List.of(), List.of(), List.of("duration")));
        m.put("reconnect", spec(List.of(), List.of(), List.of()));
        // Bulk-only transport (bot.<device>)
        m.put("wrong-residue", spec(List.of("value"), List.of(), List.of()));
        m.put("phase-error", spec(List.of(), List.of(), List.of()));
        m.put("bad-signature", spec(List.of(), List.of(), List.of()));
        m.put("bad-tag", spec(List.of(), List.of(), List.of()));
        m.put("no-csw", spec(List.of(), List.of(), List.of()));
        // SCSI commands (scsi.<device>.command)
        m.put("check-condition", spec(List.of("key", "asc"), List.of(), List.of("ascq")));
        m.put("busy", spec(List.of(), List.of(), List.of()));
        // Disk sectors (disk.<name>.sector)
        m.put("unc", spec(List.of(), List.of(), List.of("retry")));
        m.put("write-fault", spec(List.of(), List.of(), List.of("retry")));
        m.put("latency", spec(List.of("ns"), List.of(), List.of()));
        m.put("grow", spec(List.of(), List.of(), List.of()));
        // USB-to-IDE bridges (bridge.<device>)
        m.put("wedge", spec(List.of(), List.of(), List.of("return-after")));
        SPECS = Collections.unmodifiableMap(m);
    }

    private static Spec spec(List<String> required, List<String> oneOf, List<String> optional) {
        return new Spec(required, oneOf, optional);
    }

    private final String name;
    private final Map<String, Number> params;

    private Action(String name, Map<String, ? extends Number> params) {
        this.name = name;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * An action by name with exactly its parameters.
     *
     * @throws IllegalArgumentException for an unknown action, a missing or extra parameter, or a value out of range
     */
    public static Action of(String name, Map<String, ? extends Number> params) {
        String problem = problem(name, params.keySet());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        for (Map.Entry<String, ? extends Number> e : params.entrySet()) {
            String bad = badValue(name, e.getKey(), e.getValue());
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
        }
        return new Action(name, params);
    }

    /** What is wrong with these parameter names for the action, or null. */
    static String problem(String name, java.util.Collection<String> given) {
        Spec s = SPECS.get(name);
        if (s == null) {
            return "'" + name + "' is not a fault action; known actions: " + String.join(", ", SPECS.keySet());
        }
        for (String p : given) {
            if (!s.all().contains(p)) {
                return "action " + name + " has no parameter '" + p + "'"
                        + (s.all().isEmpty() ? " (it takes none)" : "; its parameters: " + describe(s));
            }
        }
        for (String p : s.required()) {
            if (!given.contains(p)) {
                return "action " + name + " needs parameter '" + p + "'";
            }
        }
        if (!s.oneOf().isEmpty()) {
            long n = s.oneOf().stream().filter(given::contains).count();
            if (n != 1) {
                return "action " + name + (n == 0 ? " needs" : " takes only one of") + " parameter '" + String.join("' or '", s.oneOf()) + "'";
            }
        }
        return null;
    }

    /** A parameter's value out of range, or null. */
    static String badValue(String action, String param, Number v) {
        switch (param) {
            case "bit" -> {
                if (v.longValue() < 0 || v.longValue() > 31) {
                    return v + " is not a bit number; expected 0 to 31";
                }
            }
            case "reg" -> {
                if (v.longValue() < 0 || v.longValue() > 15) {
                    return v + " is not a register; expected r0 to r15";
                }
            }
            case "factor" -> {
                double f = v.doubleValue();
                if (!(f > 0) || Double.isInfinite(f)) {
                    return v + " is not a rate factor; expected a number above 0 (1 = the true rate)";
                }
            }
            case "bits" -> {
                if (v.longValue() < 1 || v.longValue() > 64) {
                    return v + " is not a number of bits to flip; expected 1 to 64";
                }
            }
            case "period" -> {
                if (v.longValue() < 2) {
                    return "a storm's period must be at least 2 ns";
                }
            }
            case "ns", "duration", "retry", "return-after" -> {
                if (v.longValue() < 0) {
                    return "a duration cannot be negative: " + v;
                }
            }
            case "count" -> {
                if (v.longValue() < 1) {
                    return v + " is not a count; expected 1 or more";
                }
            }
            case "key" -> {
                if (v.longValue() > 0xF) {
                    return v + " is not a sense key; expected 0x0 to 0xf (0x3 MEDIUM ERROR, 0x4 HARDWARE ERROR, ...)";
                }
            }
            case "asc", "ascq" -> {
                if (v.longValue() > 0xFF) {
                    return v + " does not fit the " + param.toUpperCase(java.util.Locale.ROOT) + " byte; expected 0x00 to 0xff";
                }
            }
            case "value" -> {
                if (action.equals("wrong-residue") && v.longValue() > 0xFFFF_FFFFL) {
                    return v + " does not fit dCSWDataResidue; expected 0 to 0xffffffff";
                }
            }
            default -> {
            }
        }
        return null;
    }

    private static String describe(Spec s) {
        List<String> parts = new ArrayList<>(s.required());
        if (!s.oneOf().isEmpty()) {
            parts.add(String.join(" or ", s.oneOf()));
        }
        for (String o : s.optional()) {
            parts.add(o + " (optional)");
        }
        return String.join(", ", parts);
    }

    /** The access ends in a bus error. */
    public static Action error() {
        return of("error", Map.of());
    }

    /** Inverts the bits under {@code mask}. */
    public static Action flip(long mask) {
        return of("flip", Map.of("mask", mask));
    }

    /** Inverts bit {@code bit} (0-31). */
    public static Action flipBit(int bit) {
        return of("flip", Map.of("bit", (long) bit));
    }

    /** At a {@code cpuN.reg} point: inverts bit {@code bit} of register {@code reg} (0-15). */
    public static Action flipRegister(int reg, int bit) {
        return of("flip", Map.of("reg", (long) reg, "bit", (long) bit));
    }

    /** Sets the data bits under {@code mask}. */
    public static Action set(long mask) {
        return of("set", Map.of("mask", mask));
    }

    /** Clears the data bits under {@code mask}. */
    public static Action clear(long mask) {
        return of("clear", Map.of("mask", mask));
    }

    /** The data becomes {@code value}. */
    public static Action replace(long value) {
        return of("replace", Map.of("value", value));
    }

    /** The occurrence costs (or arrives) {@code ns} more nanoseconds of virtual time. */
    public static Action delay(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("a delay cannot be negative: " + ns);
        }
        return of("delay", Map.of("ns", ns));
    }

    /** The occurrence is lost (a write that never lands, an IRQ assertion). */
    public static Action drop() {
        return of("drop", Map.of());
    }

    /** An IRQ assertion nobody made, for {@code durationNs} (0: a single pulse). */
    public static Action spurious(long durationNs) {
        return of("spurious", Map.of("duration", durationNs));
    }

    /** An IRQ line asserted for half of every {@code periodNs} (from its start), for {@code durationNs}. */
    public static Action storm(long periodNs, long durationNs) {
        return of("storm", Map.of("period", periodNs, "duration", durationNs));
    }

    /** An IRQ line held high for {@code durationNs}. */
    public static Action stuckHigh(long durationNs) {
        return of("stuck-high", Map.of("duration", durationNs));
    }

    /** An IRQ line held high for the rest of the run. */
    public static Action stuckHigh() {
        return of("stuck-high", Map.of());
    }

    /** An IRQ line held low for {@code durationNs}. */
    public static Action stuckLow(long durationNs) {
        return of("stuck-low", Map.of("duration", durationNs));
    }

    /** An IRQ line held low for the rest of the run. */
    public static Action stuckLow() {
        return of("stuck-low", Map.of());
    }

    /** A timer runs at {@code factor} times its rate (2: expiries come after half the programmed time). */
    public static Action drift(double factor) {
        return of("drift", Map.of("factor", factor));
    }

    /** A timer expiry does not fire. */
    public static Action skip() {
        return of("skip", Map.of());
    }

    /** A PCIe request ends with a Completer Abort. */
    public static Action completerAbort() {
        return of("completer-abort", Map.of());
    }

    /** A PCIe request ends with an Unsupported Request. */
    public static Action unsupportedRequest() {
        return of("unsupported-request", Map.of());
    }

    /** PCIe DMA data arrives poisoned, every 32-bit word XORed with {@code mask}. */
    public static Action poison(long mask) {
        return of("poison", Map.of("mask", mask));
    }

    /** A PCIe link is down for {@code durationNs}, then comes back. */
    public static Action linkDown(long durationNs) {
        return of("link-down", Map.of("duration", durationNs));
    }

    /** A received WiFi frame gets {@code bits} bit flips at positions drawn from the plan's seeded generator. */
    public static Action corrupt(int bits) {
        return of("corrupt", Map.of("bits", (long) bits));
    }

    /** A received WiFi frame fails its FCS check. */
    public static Action fcsError() {
        return of("fcs-error", Map.of());
    }

    /** A received WiFi frame finds the RX ring full. */
    public static Action ringOverflow() {
        return of("ring-overflow", Map.of());
    }

    /** An RF transceiver's synthesizers lose lock (until the driver programs them again). */
    public static Action pllUnlock() {
        return of("pll-unlock", Map.of());
    }

    /** An RF calibration fails. */
    public static Action calibrationFail() {
        return of("calibration-fail", Map.of());
    }

    /** An RF register read returns a byte from the plan's seeded generator. */
    public static Action garbage() {
        return of("garbage", Map.of());
    }

    /** A USB transaction gets no answer: the host times out (XactErr). */
    public static Action timeout() {
        return of("timeout", Map.of());
    }

    /** A USB packet arrives with a bad CRC (XactErr). */
    public static Action crc() {
        return of("crc", Map.of());
    }

    /** A USB transaction is answered STALL. */
    public static Action stall() {
        return of("stall", Map.of());
    }

    /** A USB IN transaction babbles (Babble Detected, Halted). */
    public static Action babble() {
        return of("babble", Map.of());
    }

    /** A USB endpoint answers NAK to this and the next {@code count - 1} transactions. */
    public static Action nakStorm(long count) {
        return of("nak-storm", Map.of("count", count));
    }

    /** A USB endpoint answers NAK for {@code durationNs} from this transaction. */
    public static Action nakStormFor(long durationNs) {
        return of("nak-storm", Map.of("duration", durationNs));
    }

    /** A USB device drops off the bus, for good. */
    public static Action disconnect() {
        return of("disconnect", Map.of());
    }

    /** A USB device drops off the bus and is plugged in again after {@code durationNs}. */
    public static Action disconnect(long durationNs) {
        return of("disconnect", Map.of("duration", durationNs));
    }

    /** A USB device taken off the bus is plugged in again. */
    public static Action reconnect() {
        return of("reconnect", Map.of());
    }

    /** The CSW carries dCSWDataResidue {@code residue}. */
    public static Action wrongResidue(long residue) {
        return of("wrong-residue", Map.of("value", residue));
    }

    /** The CSW says Phase Error (bCSWStatus 02h). */
    public static Action phaseError() {
        return of("phase-error", Map.of());
    }

    /** The CSW's signature is not "USBS". */
    public static Action badSignature() {
        return of("bad-signature", Map.of());
    }

    /** The CSW's tag is not the CBW's. */
    public static Action badTag() {
        return of("bad-tag", Map.of());
    }

    /** The device never sends the CSW (its bulk IN endpoint NAKs until a reset). */
    public static Action noCsw() {
        return of("no-csw", Map.of());
    }

    /** The SCSI command ends in CHECK CONDITION with this sense key, ASC and ASCQ. */
    public static Action checkCondition(int key, int asc, int ascq) {
        return of("check-condition", Map.of("key", (long) key, "asc", (long) asc, "ascq", (long) ascq));
    }

    /** The SCSI command ends with status BUSY. */
    public static Action busy() {
        return of("busy", Map.of());
    }

    /** A disk read fails with UNC after {@code retryNs} of retries. */
    public static Action unc(long retryNs) {
        return of("unc", Map.of("retry", retryNs));
    }

    /** A disk write fails after {@code retryNs} of retries. */
    public static Action writeFault(long retryNs) {
        return of("write-fault", Map.of("retry", retryNs));
    }

    /** A disk access takes {@code ns} longer. */
    public static Action latency(long ns) {
        return of("latency", Map.of("ns", ns));
    }

    /** The rule's LBA range becomes bad on the disk's medium for good. */
    public static Action grow() {
        return of("grow", Map.of());
    }

    /** The bridge's firmware wedges (and its device drops off the bus), for good. */
    public static Action wedge() {
        return of("wedge", Map.of());
    }

    /** The bridge's firmware wedges and comes back after {@code ns}. */
    public static Action wedge(long returnAfterNs) {
        return of("wedge", Map.of("return-after", returnAfterNs));
    }

    public String name() {
        return name;
    }

    /** The parameters, by name: {@code factor} is a {@link Double}, the others {@link Long}s. */
    public Map<String, Number> params() {
        return params;
    }

    boolean has(String p) {
        return params.containsKey(p);
    }

    long param(String p) {
        return params.get(p).longValue();
    }

    double factor() {
        return params.get("factor").doubleValue();
    }

    /** The bits the action inverts, sets or clears: {@code mask}, or {@code 1 << bit}. */
    long mask() {
        return has("bit") ? 1L << param("bit") : param("mask");
    }

    /** {@code flip mask=0x1}, {@code delay ns=500}, {@code flip reg=r3 bit=5}, {@code error}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        params.forEach((k, v) -> b.append(' ').append(k).append('=').append(format(k, v)));
        return b.toString();
    }

    private static String format(String k, Number v) {
        if (k.equals("ns")) {
            return Long.toString(v.longValue());
        }
        if (DURATIONS.contains(k)) {
            return v.longValue() + "ns";
        }
        return switch (k) {
            case "factor" -> Double.toString(v.doubleValue());
            case "count" -> Long.toString(v.longValue());
            case "reg" -> "r" + v;
            case "bit" -> Long.toString(v.longValue());
            default -> Values.hex(v.longValue());
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Action a && a.name.equals(name) && a.params.equals(params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, params);
    }
}
