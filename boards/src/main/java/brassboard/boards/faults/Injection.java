package brassboard.boards.faults;

import brassboard.boards.api.Machine;
import brassboard.bus.api.Masters;

/**
 * One fault injected during a run.
 *
 * @param timeNs   virtual time of the occurrence
 * @param rule     the rule that fired (1 is the plan's first)
 * @param point    the fault point's name
 * @param action   what was done
 * @param address  the access's address (-1 when not applicable)
 * @param size     the access's size in bytes (0 when not applicable)
 * @param master   the bus master ({@link Masters})
 * @param write    whether the access was a write
 * @param oldValue the data before the fault
 * @param newValue the data after it (equal to {@code oldValue} for error, drop and delay)
 */
public record Injection(long timeNs, int rule, String point, Action action, long address, int size, int master,
                        boolean write, long oldValue, long newValue) {
    /** What the fault did to the access: {@code 0x12345678 -> 0x12345679}, {@code bus error}, {@code dropped}, {@code +500 ns}. */
    public String effect() {
        return switch (action.name()) {
            case "error" -> value(oldValue) + " -> bus error";
            case "drop" -> value(oldValue) + " -> dropped";
            case "delay" -> value(oldValue) + " +" + action.param("ns") + " ns";
            default -> value(oldValue) + " -> " + value(newValue);
        };
    }

    /** {@code cpu0 read 4 bytes at 0x40100020}. */
    public String access() {
        return String.format("%s %s %d bytes at 0x%08x", Masters.name(master), write ? "write" : "read", size, address);
    }

    /** The detail of the {@code fault.inject} trace event. */
    String traceDetail() {
        return point + " rule " + rule + " " + action + ": " + access() + ": " + effect();
    }

    /** One line of the end-of-run report. */
    String reportLine() {
        return String.format("%16s  %-9s %s: %s", Machine.formatTime(timeNs), point, access(), effect());
    }

    private String value(long v) {
        int digits = size <= 0 || size > 8 ? 8 : size * 2;
        return String.format("0x%0" + digits + "x", v);
    }
}
