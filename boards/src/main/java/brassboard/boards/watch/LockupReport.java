package brassboard.boards.watch;

import java.util.List;

/**
 * One finding of the lockup detectors.
 *
 * @param kind   what was found
 * @param timeNs virtual time of the finding
 * @param cpus   the cores involved, in ascending order
 * @param text   the report for a person: a headline and indented detail lines
 */
public record LockupReport(Kind kind, long timeNs, List<Integer> cpus, String text) {
    /** What a detector found. */
    public enum Kind {
        HARD_LOCKUP("lockup.hard"),
        SOFT_LOCKUP("lockup.soft"),
        DEADLOCK("lockup.deadlock");

        private final String event;

        Kind(String event) {
            this.event = event;
        }

        /** The trace event kind this report is emitted as. */
        public String traceEvent() {
            return event;
        }
    }

    public LockupReport {
        cpus = List.copyOf(cpus);
    }

    /** The first line of {@link #text}. */
    public String headline() {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
