package brassboard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What CoreMark printed on the console, and whether it is a correct run: CoreMark's verification
 * lines (seedcrc, crclist, crcmatrix, crcstate, crcfinal), its verdict, its score, and the port's
 * banner and timing markers.
 *
 * <p>The port always runs CoreMark's "2K performance run" (seeds 0, 0, 0x66, 2000 bytes), whose
 * seed, list, matrix and state CRCs CoreMark knows; the final CRC depends on the iteration count,
 * so the bench compares it across runs and emulators. CoreMark also counts a timed part shorter
 * than 10 s of its clock as an error (its rule for a reportable score): it then prints "Errors
 * detected" and no score line. Such a run is correct here when every CRC is right and that rule
 * is the only complaint.
 *
 * @param counterHz     the generic timer's rate from the port's banner, or -1 without a banner
 * @param seedcrc       the {@code seedcrc} value, or -1 if absent (likewise the other CRCs)
 * @param iterations    CoreMark's "Iterations", or -1
 * @param totalTicks    CoreMark's "Total ticks" (the generic timer's counter), or -1
 * @param iterationsPerSecond CoreMark's own "Iterations/Sec" as printed, or null
 * @param scoreLine     "CoreMark 1.0 : ..." if printed, else null
 * @param validated     whether "Correct operation validated" was printed
 * @param errorsDetected whether "Errors detected" was printed
 * @param tooShort      whether CoreMark complained that the run lasted under 10 s
 * @param errors        every other line with "ERROR" in it, and "Cannot validate ..."
 * @param timingMarkers how many of the port's two timing markers were printed
 */
record CoremarkOutput(long counterHz, int seedcrc, int crclist, int crcmatrix, int crcstate, int crcfinal, long iterations,
                      long totalTicks, String iterationsPerSecond, String scoreLine, boolean validated, boolean errorsDetected,
                      boolean tooShort, List<String> errors, int timingMarkers) {
    /** The port's lines (core_portme.c). */
    static final String MARK_START = "brassboard-coremark: timing starts";
    static final String MARK_STOP = "brassboard-coremark: timing stops";
    private static final Pattern BANNER = Pattern.compile("^brassboard-coremark: \\d+ iterations, [AT]32 code, counter (\\d+) Hz$");

    /** CoreMark's known values for its 2K performance run (core_main.c's tables, entry 3). */
    static final int SEEDCRC_2K_PERFORMANCE = 0xe9f5;
    static final int CRCLIST_2K_PERFORMANCE = 0xe714;
    static final int CRCMATRIX_2K_PERFORMANCE = 0x1fd7;
    static final int CRCSTATE_2K_PERFORMANCE = 0x8e3a;

    private static final Pattern CRC = Pattern.compile("^(?:\\[0\\])?(seedcrc|crclist|crcmatrix|crcstate|crcfinal) *: 0x([0-9a-fA-F]{1,4})$");
    private static final Pattern FIELD = Pattern.compile("^(Total ticks|Iterations/Sec|Iterations) *: *(\\S+)$");
    private static final String TOO_SHORT = "ERROR! Must execute for at least 10 secs";

    /** Reads a console transcript (CR LF or LF line ends). */
    static CoremarkOutput parse(String console) {
        long hz = -1;
        int[] crc = {-1, -1, -1, -1, -1};
        List<String> names = List.of("seedcrc", "crclist", "crcmatrix", "crcstate", "crcfinal");
        long iterations = -1;
        long ticks = -1;
        String perSecond = null;
        String score = null;
        boolean validated = false;
        boolean errorsDetected = false;
        boolean tooShort = false;
        int markers = 0;
        List<String> errors = new ArrayList<>();
        for (String raw : console.split("\n")) {
            String line = raw.strip();
            Matcher m;
            if ((m = BANNER.matcher(line)).matches()) {
                hz = parseLong(m.group(1));
            } else if (line.equals(MARK_START) || line.equals(MARK_STOP)) {
                markers++;
            } else if ((m = CRC.matcher(line)).matches()) {
                crc[names.indexOf(m.group(1))] = Integer.parseInt(m.group(2), 16);
            } else if ((m = FIELD.matcher(line)).matches()) {
                switch (m.group(1)) {
                    case "Total ticks" -> ticks = parseLong(m.group(2));
                    case "Iterations" -> iterations = parseLong(m.group(2));
                    default -> perSecond = m.group(2);
                }
            } else if (line.startsWith("CoreMark 1.0 : ")) {
                score = line;
            } else if (line.startsWith("Correct operation validated")) {
                validated = true;
            } else if (line.equals("Errors detected")) {
                errorsDetected = true;
            } else if (line.startsWith(TOO_SHORT)) {
                tooShort = true;
            } else if (line.contains("ERROR") || line.startsWith("Cannot validate")
                    || line.startsWith("brassboard-coremark: ") && !line.startsWith("brassboard-coremark: timing")) {
                errors.add(line);
            }
        }
        return new CoremarkOutput(hz, crc[0], crc[1], crc[2], crc[3], crc[4], iterations, ticks, perSecond, score, validated,
                errorsDetected, tooShort, List.copyOf(errors), markers);
    }

    /** The first thing wrong with this run of {@code expectedIterations} iterations, in one line; empty if it is correct. */
    Optional<String> problem(long expectedIterations) {
        if (counterHz < 0) {
            return Optional.of("the port's first line (brassboard-coremark: ... counter N Hz) never came: the image did not run");
        }
        if (!errors.isEmpty()) {
            return Optional.of("CoreMark: " + errors.get(0));
        }
        if (timingMarkers != 2) {
            return Optional.of("the port printed " + timingMarkers + " of its 2 timing lines");
        }
        Optional<String> wrong = crcProblem("seedcrc", seedcrc, SEEDCRC_2K_PERFORMANCE)
                .or(() -> crcProblem("crclist", crclist, CRCLIST_2K_PERFORMANCE))
                .or(() -> crcProblem("crcmatrix", crcmatrix, CRCMATRIX_2K_PERFORMANCE))
                .or(() -> crcProblem("crcstate", crcstate, CRCSTATE_2K_PERFORMANCE));
        if (wrong.isPresent()) {
            return wrong;
        }
        if (crcfinal < 0) {
            return Optional.of("CoreMark printed no crcfinal line");
        }
        if (iterations != expectedIterations) {
            return Optional.of("CoreMark ran " + (iterations < 0 ? "an unknown number of" : Long.toString(iterations))
                    + " iterations, not the " + expectedIterations + " it was built for");
        }
        if (totalTicks < 0) {
            return Optional.of("CoreMark printed no Total ticks line");
        }
        if (validated) {
            return scoreLine == null ? Optional.of("CoreMark validated the run but printed no 'CoreMark 1.0 :' score line")
                    : Optional.empty();
        }
        if (tooShort && errorsDetected) {
            return Optional.empty(); // every CRC right; the only error CoreMark counted is the 10 s rule
        }
        return Optional.of("CoreMark did not print 'Correct operation validated'");
    }

    /** How CoreMark judged a correct run, for the table. */
    String verdict() {
        return validated ? "validated" : "CRCs ok, < 10 s";
    }

    /** CoreMark's own score: its score line, else its Iterations/Sec and why there is no score line. */
    String ownScore() {
        if (scoreLine != null) {
            return scoreLine;
        }
        return "Iterations/Sec " + (iterationsPerSecond == null ? "n/a" : iterationsPerSecond)
                + (tooShort ? " (no 'CoreMark 1.0' line: the timed part lasted under 10 s of its clock, CoreMark's minimum for a reportable score)"
                : "");
    }

    /**
     * Brassboard's retired instructions in the timed part: Brassboard's counter advances with virtual
     * time, which advances {@code 1e9 / cpuHz} ns per instruction, so ticks × cpuHz / counterHz
     * (× 16 on virt: 1 GHz, 62.5 MHz), exact to one tick. -1 if unknown.
     */
    long timedInstructions(long cpuHz) {
        if (totalTicks < 0 || counterHz <= 0) {
            return -1;
        }
        return Math.round((double) totalTicks * cpuHz / counterHz);
    }

    private static Optional<String> crcProblem(String name, int value, int expected) {
        if (value < 0) {
            return Optional.of("CoreMark printed no " + name + " line");
        }
        if (value != expected) {
            return Optional.of(String.format("%s 0x%04x, expected 0x%04x (CoreMark's known value for its 2K performance run)",
                    name, value, expected));
        }
        return Optional.empty();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
