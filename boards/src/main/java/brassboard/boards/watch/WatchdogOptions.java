package brassboard.boards.watch;

import java.util.List;

/**
 * Thresholds of the lockup detectors, in virtual nanoseconds, as {@code --watchdog} sets them.
 *
 * @param hardNs           a core with IRQs masked (after it once enabled them), or with an IRQ
 *                         pending at its input that it does not take, this long is in a hard lockup
 *                         (Linux's default watchdog_thresh: 10 s)
 * @param softNs           a core that does not pass through the scheduler for this long is in a soft
 *                         lockup (Linux: 2 × watchdog_thresh = 20 s)
 * @param spinNs           a core retrying a load-exclusive of one address without a successful
 *                         store-exclusive there for this long is spinning; spins feed the
 *                         wait-for graph whose cycles are deadlocks
 * @param schedulerSymbols functions that mark "the scheduler ran" for the soft-lockup detector;
 *                         when none is given (or none is found), any exception return to a thread
 *                         mode (User, System, Supervisor) or an idle WFI counts instead
 * @param stopOnLockup     end the run (exit status 3) at the first report
 * @param enabled          detectors on at all
 */
public record WatchdogOptions(long hardNs, long softNs, long spinNs, List<String> schedulerSymbols,
                              boolean stopOnLockup, boolean enabled) {
    public static final long DEFAULT_HARD_NS = 10_000_000_000L;
    public static final long DEFAULT_SOFT_NS = 20_000_000_000L;
    public static final long DEFAULT_SPIN_NS = 1_000_000_000L;

    public WatchdogOptions {
        schedulerSymbols = List.copyOf(schedulerSymbols);
    }

    /** Linux's defaults, no scheduler symbol, not stopping. */
    public static WatchdogOptions defaults() {
        return new WatchdogOptions(DEFAULT_HARD_NS, DEFAULT_SOFT_NS, DEFAULT_SPIN_NS, List.of(), false, true);
    }

    public WatchdogOptions withHard(long ns) {
        return new WatchdogOptions(ns, softNs, spinNs, schedulerSymbols, stopOnLockup, enabled);
    }

    public WatchdogOptions withSoft(long ns) {
        return new WatchdogOptions(hardNs, ns, spinNs, schedulerSymbols, stopOnLockup, enabled);
    }

    public WatchdogOptions withSpin(long ns) {
        return new WatchdogOptions(hardNs, softNs, ns, schedulerSymbols, stopOnLockup, enabled);
    }

    public WatchdogOptions withSchedulerSymbols(List<String> names) {
        return new WatchdogOptions(hardNs, softNs, spinNs, names, stopOnLockup, enabled);
    }

    public WatchdogOptions withStopOnLockup(boolean stop) {
        return new WatchdogOptions(hardNs, softNs, spinNs, schedulerSymbols, stop, enabled);
    }

    public WatchdogOptions withEnabled(boolean on) {
        return new WatchdogOptions(hardNs, softNs, spinNs, schedulerSymbols, stopOnLockup, on);
    }
}
