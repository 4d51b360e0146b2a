package brassboard.boards.trace;

/**
 * A slice on a CPU's track: an exception from its entry to its return, or a function span from
 * the function's entry to its return.
 *
 * @param cpu     the core's {@code cpuId}
 * @param name    the exception's kind ({@code irq}, {@code svc}, {@code data-abort}, ...) or the function's name
 * @param kind    exception or span
 * @param beginNs virtual time of the entry
 * @param pc      for an exception: the PC it was taken at; for a span: the function's address
 */
public record Slice(int cpu, String name, Kind kind, long beginNs, int pc) {
    /** What a slice is. */
    public enum Kind {
        EXCEPTION, SPAN
    }

    /** How a slice ended. */
    public enum End {
        /** The exception returned, or the function returned to its caller. */
        RETURNED,
        /** Something it was nested in ended first (an exception return, or the return of an outer span). */
        CUT,
        /** The core was reset. */
        RESET,
        /** Still open when the run ended. */
        RUN_END
    }
}
