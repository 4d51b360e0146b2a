package brassboard.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench --coremark}'s table: one row per run and emulator, each run checked (the process,
 * then CoreMark's output, then that every run printed the same crcfinal), CoreMark's own scores
 * and, with more than one run, the medians.
 */
final class CoremarkTable {
    static final String HEADER = String.format(Locale.ROOT, "%-12s %4s %10s %14s %9s %13s %9s %16s  %s", "emulator", "run",
            "iterations", "instructions", "seconds", "iterations/s", "MIPS", "brassboard/qemu", "CoreMark's check");

    private final long iterations;
    private final long cpuHz;
    private final List<Double> brassboardSeconds = new ArrayList<>();
    private final List<Double> qemuSeconds = new ArrayList<>();
    private final List<String> ownScores = new ArrayList<>();
    private long instructions = -1;
    private int crcfinal = -1;
    private String crcfinalWhere;
    private String failure;
    private long retired = -1;
    private long counterHz = -1;
    private final List<String> untimed = new ArrayList<>();

    /** For runs of {@code iterations} iterations on a Brassboard core of {@code cpuHz} instructions per virtual second. */
    CoremarkTable(long iterations, long cpuHz) {
        this.iterations = iterations;
        this.cpuHz = cpuHz;
    }

    /** Run {@code run}'s rows: Brassboard's, then QEMU's if it ran ({@code qemu} null otherwise). */
    List<String> add(int run, CoremarkBench.Run brassboard, CoremarkBench.Run qemu) {
        String bCheck = check("brassboard", run, brassboard);
        if (bCheck == null) {
            CoremarkOutput o = brassboard.output();
            instructions = o.timedInstructions(cpuHz);
            counterHz = o.counterHz();
            retired = brassboard.retired();
        }
        String qCheck = qemu == null ? null : check("qemu", run, qemu);
        double b = bCheck == null ? brassboard.timedSeconds() : Double.NaN;
        double q = qemu != null && qCheck == null ? qemu.timedSeconds() : Double.NaN;
        if (bCheck == null) {
            timed("brassboard", run, b, brassboardSeconds);
        }
        if (qemu != null && qCheck == null) {
            timed("qemu", run, q, qemuSeconds);
        }
        List<String> rows = new ArrayList<>();
        rows.add(row("brassboard", Integer.toString(run), b, qemu == null ? Double.NaN : q / b, bCheck == null ? brassboard.output().verdict() : "FAILED: " + bCheck));
        if (qemu != null) {
            rows.add(row("qemu", Integer.toString(run), q, Double.NaN, qCheck == null ? qemu.output().verdict() : "FAILED: " + qCheck));
        }
        return rows;
    }

    /** The lines after the table: medians, what the columns mean, CoreMark's own scores. */
    List<String> footer() {
        List<String> lines = new ArrayList<>();
        if (brassboardSeconds.size() > 1 || qemuSeconds.size() > 1) {
            double b = median(brassboardSeconds);
            double q = median(qemuSeconds);
            lines.add(row("brassboard", "med", b, q / b, "median of " + brassboardSeconds.size() + " runs"));
            if (!qemuSeconds.isEmpty()) {
                lines.add(row("qemu", "med", q, Double.NaN, "median of " + qemuSeconds.size() + " runs"));
            }
        }
        if (!untimed.isEmpty()) {
            lines.add("n/a seconds (" + String.join(", ", untimed) + "): both timing lines reached the console pipe in one read,"
                    + " so the timed part was shorter than the host can time this way; run more iterations (--iterations)");
        }
        lines.add("seconds: host wall clock between the port's 'timing starts' and 'timing stops' lines as they reach the console"
                + " pipe, the part CoreMark times; each run a new process (a new JVM for Brassboard), its start-up (JVM or QEMU start,"
                + " image load, CoreMark's data set-up) and exit left out, the emulator's warm-up (translator, HotSpot) in");
        lines.add("instructions: Brassboard's retired count in that part (CoreMark's Total ticks x " + (counterHz > 0 && cpuHz % counterHz == 0 ? Long.toString(cpuHz / counterHz)
                        : fmt((double) cpuHz / counterHz, "%.4f"))
                + ": Brassboard's counter runs at " + counterHz + " Hz of virtual time, which advances " + 1_000_000_000L / cpuHz
                + " ns per instruction)" + (retired >= 0 ? ", of " + retired
                + " in the whole run" : "") + "; QEMU runs the same image, so the same instructions; MIPS = instructions / seconds");
        lines.add("CoreMark's own score (its clock is the generic timer: on Brassboard virtual time, the score of a "
                + cpuHz / 1_000_000 + " MHz core retiring one instruction per cycle, not Brassboard's speed; under QEMU the host clock):");
        lines.addAll(ownScores);
        return lines;
    }

    /**
     * Records a correct run's timed seconds for the medians; a run whose two timing lines came in
     * one read of the pipe (0 s) is too short to time and is named in the footer instead.
     */
    private void timed(String who, int run, double seconds, List<Double> series) {
        if (seconds > 0) {
            series.add(seconds);
        } else {
            untimed.add(who + " run " + run);
        }
    }

    /** The first failure of any run, in one line; empty if every run was correct. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Null if {@code r} is a correct run, else why not; records its own score and crcfinal. */
    private String check(String who, int run, CoremarkBench.Run r) {
        String problem = r.processProblem();
        CoremarkOutput o = r.output();
        if (problem == null) {
            problem = o.problem(iterations).orElse(null);
        }
        if (problem == null) {
            if (crcfinal < 0) {
                crcfinal = o.crcfinal();
                crcfinalWhere = who + " run " + run;
            } else if (o.crcfinal() != crcfinal) {
                problem = String.format(Locale.ROOT, "crcfinal 0x%04x, but 0x%04x on %s", o.crcfinal(), crcfinal, crcfinalWhere);
            }
        }
        if (problem == null) {
            ownScores.add(String.format(Locale.ROOT, "  %-10s %d: crcfinal 0x%04x; %s", who, run, o.crcfinal(), o.ownScore()));
        } else if (failure == null) {
            failure = who + " run " + run + ": " + problem;
        }
        return problem;
    }

    private String row(String who, String run, double seconds, double ratio, String check) {
        double perSecond = iterations / seconds;
        double mips = instructions / seconds / 1e6;
        return String.format(Locale.ROOT, "%-12s %4s %10d %14s %9s %13s %9s %16s  %s", who, run, iterations,
                instructions < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", instructions), fmt(seconds, "%.3f"),
                fmt(perSecond, "%.1f"), instructions < 0 ? "n/a" : fmt(mips, "%.1f"), fmt(ratio, "%.3f"), check).stripTrailing();
    }

    private static String fmt(double v, String format) {
        return Double.isFinite(v) && v > 0 ? String.format(Locale.ROOT, format, v) : "n/a";
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
