package brassboard.boards.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When a run stops besides the firmware ending it.
 *
 * @param maxTimeNs    virtual time limit, {@link Long#MAX_VALUE} for none
 * @param maxInsns     instruction limit, {@link Long#MAX_VALUE} for none
 * @param until        stop when console output matches (within its last {@value #UNTIL_WINDOW} characters)
 */
public record RunLimits(long maxTimeNs, long maxInsns, Optional<Pattern> until) {
    /** How much recent console output {@code until} is matched against. */
    public static final int UNTIL_WINDOW = 4096;

    /** No limits at all. */
    public static RunLimits none() {
        return new RunLimits(Long.MAX_VALUE, Long.MAX_VALUE, Optional.empty());
    }

    public RunLimits withMaxInsns(long n) {
        return new RunLimits(maxTimeNs, n, until);
    }

    public RunLimits withMaxTimeNs(long ns) {
        return new RunLimits(ns, maxInsns, until);
    }

    public RunLimits withUntil(Pattern p) {
        return new RunLimits(maxTimeNs, maxInsns, Optional.of(p));
    }
}
