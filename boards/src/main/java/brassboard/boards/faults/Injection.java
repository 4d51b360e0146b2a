package brassboard.boards.faults;

import brassboard.boards.api.Machine;

/**
 * One fault injected during a run.
 *
 * @param timeNs   virtual time of the injection
 * @param rule     the rule that fired (1 is the plan's first)
 * @param point    the fault point's name
 * @param action   what was done
 * @param address  the access's or RAM word's address (-1 when not applicable)
 * @param size     the access's size in bytes (0 when not applicable)
 * @param master   the bus master ({@link brassboard.bus.api.Masters}), or -1
 * @param write    whether the access was a write
 * @param oldValue the value before the fault: the data, a RAM word, a register, a line's level (0/1), a timer interval in ns
 * @param newValue the value after it (equal to {@code oldValue} for error, drop, skip and delay)
 * @param target   what the fault hit, in words: {@code cpu0 read 4 bytes at 0x40100020}, {@code assertion},
 *                 {@code expiry}, {@code r3}, {@code RAM word at 0x40001000}, {@code line}
 * @param effect   what it did: {@code 0x12345678 -> 0x12345679}, {@code bus error}, {@code dropped}, {@code +500 ns}
 */
public record Injection(long timeNs, int rule, String point, Action action, long address, int size, int master,
                        boolean write, long oldValue, long newValue, String target, String effect) {
    /** What the fault hit ({@link #target}). */
    public String access() {
        return target;
    }

    /** The detail of the {@code fault.inject} trace event: {@code POINT rule N ACTION: TARGET: EFFECT}. */
    String traceDetail() {
        return point + " rule " + rule + " " + action + ": " + target + ": " + effect;
    }

    /** One line of the end-of-run report. */
    String reportLine() {
        return String.format("%16s  %-9s %s: %s", Machine.formatTime(timeNs), point, target, effect);
    }
}
