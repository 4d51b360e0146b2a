package brassboard.boards.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Built-in lists of functions to trace as spans ({@code --profile}). */
public final class SpanProfiles {
    private static final Map<String, List<String>> PROFILES = new LinkedHashMap<>();

    /**
     * Functions of the {@code linux} profile that live in modules of Debian's armmp kernel, not in
     * the kernel image: traced once their module is loaded ({@link Activity} finds them then).
     * USB: the HCD's interrupt handler and EHCI's (top half), the URB give-back tasklet and the hub
     * thread's work (bottom halves); usb-storage's control thread and its bulk-only transport (one
     * span per command); SCSI: the error handler thread and the error-handling steps, and the
     * completion of a command in the block softirq.
     */
    private static final List<String> LINUX_MODULE_FUNCTIONS = List.of(
            "usb_hcd_irq", "ehci_irq", "usb_giveback_urb_bh", "hub_event",                         // usbcore, ehci-hcd
            "usb_stor_control_thread", "usb_stor_Bulk_transport",                                  // usb-storage
            "scsi_error_handler", "scsi_eh_scmd_add", "scsi_eh_get_sense", "scsi_eh_ready_devs",   // scsi_mod
            "scsi_eh_flush_done_q", "scsi_complete");

    static {
        PROFILES.put("irqkit", List.of("gic_handle_irq", "irq_enter", "irq_exit", "__do_softirq", "tasklet_action",
                "process_one_work", "schedule", "run_timer_softirq", "ksoftirqd_run"));
        // Since Linux 6.10 (and in 6.1.y from 6.1.9x: Debian's armmp kernel) __do_softirq is a wrapper of
        // handle_softirqs(false), and ksoftirqd calls handle_softirqs(true) directly: trace both.
        List<String> linux = new java.util.ArrayList<>(List.of("handle_irq_event", "gic_handle_irq", "irq_enter", "irq_exit",
                "__do_softirq", "handle_softirqs", "tasklet_action", "tasklet_hi_action", "process_one_work", "run_timer_softirq",
                "hrtimer_interrupt", "__schedule", "schedule",
                // the block layer's completion softirq (BLOCK_SOFTIRQ), where a finished disk request is completed
                "blk_done_softirq"));
        linux.addAll(LINUX_MODULE_FUNCTIONS);
        PROFILES.put("linux", List.copyOf(linux));
    }

    /** Each profile's scheduler entry points: passing through one resets the soft-lockup clock. */
    private static final Map<String, List<String>> SCHEDULERS = Map.of(
            "irqkit", List.of("schedule"),
            "linux", List.of("__schedule"));

    /** The scheduler functions of profile {@code name} (empty for an unknown one). */
    public static List<String> schedulers(String name) {
        return SCHEDULERS.getOrDefault(name, List.of());
    }

    /** Functions whose span start counts as a bottom half running, for the report's deferral latency. */
    public static final List<String> BOTTOM_HALVES = List.of("__do_softirq", "handle_softirqs", "tasklet_action", "process_one_work");

    private SpanProfiles() {
    }

    /** Whether {@code function} is one of the {@code linux} profile's functions that live in a kernel module. */
    public static boolean inLinuxModule(String function) {
        return LINUX_MODULE_FUNCTIONS.contains(function);
    }

    /** The function names of profile {@code name}. */
    public static Optional<List<String>> names(String name) {
        return Optional.ofNullable(PROFILES.get(name));
    }

    /** The known profiles' names. */
    public static List<String> known() {
        return List.copyOf(PROFILES.keySet());
    }
}
