package brassboard.boards.campaign;

import java.util.Locale;

/** How a campaign run is classified against the golden run (the rules are in {@link Classifier}). */
public enum Outcome {
    /** Same console output and exit status as the golden run, no detector fired, normal end. */
    MASKED,
    /** The firmware reported the fault (an exit status or output pattern the campaign names) and ended normally. */
    DETECTED,
    /** A run limit or a lockup detector ended the run. */
    HANG,
    /** A core stopped: an exception loop, something unsupported, or the firmware's panic pattern. */
    CRASH,
    /** Silent data corruption: a normal end, but the output or exit status differs and nothing reported it. */
    SDC,
    /** Brassboard itself failed on this run (a bug): the run says nothing about the firmware. */
    ERROR;

    /** The lower-case name used in results and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome with this {@link #label()}. */
    public static Outcome ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
