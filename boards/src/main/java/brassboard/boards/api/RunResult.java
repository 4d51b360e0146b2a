package brassboard.boards.api;

/**
 * How a run ended.
 *
 * @param outcome       why it stopped
 * @param exitCode      the process exit status this maps to
 * @param message       one line for a person (what stopped it, at what virtual time)
 * @param virtualTimeNs virtual time at the end
 * @param instructions  instructions retired
 */
public record RunResult(Outcome outcome, int exitCode, String message, long virtualTimeNs, long instructions) {
    /** Why a run stopped. */
    public enum Outcome {
        /** The firmware powered off (PSCI SYSTEM_OFF): exit status 0. */
        POWER_OFF,
        /** The firmware exited through semihosting with its own exit code. */
        FIRMWARE_EXIT,
        /** The console output matched {@code --until}: exit status 0. */
        UNTIL_MATCHED,
        /** A limit ({@code --max-time}, {@code --max-insns}) or an idle machine with nothing pending: exit status 4. */
        LIMIT,
        /** The emulated CPU stopped on something the emulator does not support yet (Thumb, an unfetchable exception vector): exit status 3. */
        UNSUPPORTED,
        /** A lockup detector fired with {@code --stop-on-lockup}: exit status 3. */
        LOCKUP,
        /** Someone outside the machine ended it ({@code Ctrl-A x} on an interactive console): exit status 0, as QEMU. */
        TERMINATED
    }

    /** Exit status of a run stopped by a limit. */
    public static final int EXIT_LIMIT = 4;
    /** Exit status of a run the emulator could not continue. */
    public static final int EXIT_UNSUPPORTED = 3;
    /** Exit status of a run a lockup detector ended. */
    public static final int EXIT_LOCKUP = 3;
}
